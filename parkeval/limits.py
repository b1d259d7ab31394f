"""The limits on what parkeval reads, in one place (the README's "Limits and safety" lists
them): how large an input file may be, that it must be a regular file, how long a text may
be and which characters it may hold, how deep a YAML/JSON document may nest and how many
aliases it may use, how large the parts of an .xlsx may be once unpacked.

Each limit exists because a small hostile file could otherwise take all memory or hang the
run; each refusal says which limit and how to change it when it may be changed.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from parkeval.errors import ParkevalError

MAX_INPUT_ENV = "PARKEVAL_MAX_INPUT_MB"
DEFAULT_MAX_INPUT_MB = 50  # a dossier, policy or test-case file, as stored on disk
MAX_XLSX_UNPACKED_ENV = "PARKEVAL_MAX_XLSX_UNPACKED_MB"
DEFAULT_MAX_XLSX_UNPACKED_MB = 400  # all parts of a workbook together, once unpacked
MAX_XLSX_MEMBER_MB = 200  # one part (one sheet's XML)
MAX_SHARED_STRINGS_MB = 64  # the shared-strings part, which is read whole into memory
MAX_SHARED_STRINGS = 1_000_000  # distinct texts in a workbook
MAX_DEPTH = 32  # nesting of mappings and lists in YAML/JSON
MAX_YAML_NODES = 1_000_000  # values of a YAML document once its aliases (*name) are expanded
MAX_TEXT = 500  # characters of a one-line text (a name, a code, an operator, --by)
MAX_LONG_TEXT = 4000  # characters of a note, evidence or goals
SHOWN = 40  # characters of a refused value repeated in a message


def _megabytes(env: str, default: int) -> int:
    value = os.environ.get(env, "").strip()
    if not value:
        return default * 1024 * 1024
    try:
        number = int(value)
        if number <= 0:
            raise ValueError
    except ValueError:
        raise ParkevalError(
            f"环境变量 {env} 应为正整数（单位 MB），而不是 “{value[:SHOWN]}”"
        ) from None
    return number * 1024 * 1024


def max_input_bytes() -> int:
    """The size cap of one input file (PARKEVAL_MAX_INPUT_MB, default 50 MB)."""
    return _megabytes(MAX_INPUT_ENV, DEFAULT_MAX_INPUT_MB)


def max_unpacked_bytes() -> int:
    """The cap on an .xlsx's parts unpacked (PARKEVAL_MAX_XLSX_UNPACKED_MB, default 400 MB)."""
    return _megabytes(MAX_XLSX_UNPACKED_ENV, DEFAULT_MAX_XLSX_UNPACKED_MB)


def read_input(path: Path) -> bytes:
    """The bytes of an input file the user named: a regular file (a symlink to one is fine;
    a directory, FIFO, socket or device such as /dev/zero is refused without opening it) of
    at most :func:`max_input_bytes`. Raises ``ValueError`` with the reason in Chinese, or
    ``FileNotFoundError``."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ValueError(f"无法读取：{exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ValueError("这是一个目录，不是文件")
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("不是普通文件（可能是管道、设备或套接字）；请给出一个普通文件")
    cap = max_input_bytes()
    if info.st_size > cap:
        raise ValueError(
            f"文件过大（{info.st_size / 1048576:.1f} MB），超过上限 {cap // 1048576} MB；"
            f"如确需导入，可设置环境变量 {MAX_INPUT_ENV} 调整上限"
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(cap + 1)
    except OSError as exc:
        raise ValueError(f"无法读取：{exc.strerror}") from None
    if len(data) > cap:  # it grew while being read
        raise ValueError(f"文件过大，超过上限 {cap // 1048576} MB")
    return data


def shown(value: object) -> str:
    """A value as it may be repeated in a message: at most :data:`SHOWN` characters, with
    control characters made visible."""
    if isinstance(value, dict | list | tuple | set | frozenset):
        return "列表" if isinstance(value, list | tuple) else "映射或集合"  # never its repr
    if isinstance(value, bytes | bytearray):
        return "二进制数据"
    text = value if isinstance(value, str) else str(value)
    text = "".join(
        c if unicodedata.category(c)[0] != "C" or c == " " else f"\\u{ord(c):04x}"
        for c in text[: SHOWN + 1]
    )
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def text_problem(text: str, *, limit: int = MAX_TEXT, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be stored (too long, a control character, a lone surrogate, not
    valid Unicode), or None. Tabs and line breaks are allowed only in a multi-line text."""
    if len(text) > limit:
        return f"文字过长（{len(text)} 个字符）；最多 {limit} 个字符"
    for i, c in enumerate(text):
        if "\ud800" <= c <= "\udfff":
            return f"第 {i + 1} 个字符是无效的 Unicode（孤立的代理字符）"
        if multiline and c in "\t\n\r":
            continue
        category = unicodedata.category(c)
        if category in ("Cc", "Cs", "Co", "Cn") or c in "\u2028\u2029":
            what = "换行符" if c in "\n\r\u2028\u2029" else "控制字符"
            return f"第 {i + 1} 个字符是{what}（U+{ord(c):04X}），这里不允许"
    return None


def check_text(text: str, what: str, *, limit: int = MAX_TEXT, multiline: bool = False) -> str:
    """``text`` stripped, or :class:`ParkevalError` naming ``what`` (an option such as
    ``--by``) when it is blank or :func:`text_problem` refuses it."""
    problem = text_problem(text, limit=limit, multiline=multiline)
    if problem:
        raise ParkevalError(f"{what} 无效：{problem}")
    stripped = text.strip()
    if not stripped:
        raise ParkevalError(f"{what} 不能为空白")
    return stripped


__all__ = [
    "MAX_YAML_NODES",
    "MAX_DEPTH",
    "MAX_INPUT_ENV",
    "MAX_LONG_TEXT",
    "MAX_SHARED_STRINGS",
    "MAX_SHARED_STRINGS_MB",
    "MAX_TEXT",
    "MAX_XLSX_MEMBER_MB",
    "MAX_XLSX_UNPACKED_ENV",
    "check_text",
    "max_input_bytes",
    "max_unpacked_bytes",
    "read_input",
    "shown",
    "text_problem",
]
