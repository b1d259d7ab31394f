"""Writing a file a user asked for: the right suffix, never over an existing file unless told
(``--force``), and atomically — a temporary file in the same directory, renamed into place, so
a reader never sees half a PDF or workbook and a failure leaves nothing behind.

One small place on purpose: every command that writes a document (signed PDFs, results
workbooks, reports) goes through it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from parkeval.errors import ParkevalError


def check_output(path: Path, *, suffixes: Iterable[str], force: bool = False) -> Path:
    """Refuse, before any work is done, an output with the wrong suffix or one that exists
    (unless ``force``); returns the path."""
    allowed = tuple(s.lower() for s in suffixes)
    if path.suffix.lower() not in allowed:
        raise ParkevalError(
            f"输出文件应以 {' 或 '.join(allowed)} 结尾：{path}",
            hint=f"例如：{path.with_suffix(allowed[0]).name}",
        )
    if path.is_dir():
        raise ParkevalError(f"输出路径是一个目录：{path}")
    if path.exists() and not force:
        raise ParkevalError(
            f"文件已存在：{path}；未作任何改动",
            hint="换一个文件名，或加 --force 覆盖该文件。",
        )
    return path


def write_output(path: Path, data: bytes, *, suffixes: Iterable[str], force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (checked as :func:`check_output`). Without
    ``force`` the file is linked into place, so a file that appeared meanwhile is not replaced."""
    check_output(path, suffixes=suffixes, force=force)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ParkevalError(f"无法写入 {path}：{exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file exists: nothing is clobbered
            except FileExistsError:
                raise ParkevalError(
                    f"文件已存在：{path}；未作任何改动", hint="加 --force 覆盖该文件。"
                ) from None
            except OSError:  # a file system without hard links: best effort
                if path.exists():
                    raise ParkevalError(f"文件已存在：{path}；未作任何改动") from None
                os.replace(tmp, path)
    except OSError as exc:
        raise ParkevalError(f"无法写入 {path}：{exc.strerror}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
