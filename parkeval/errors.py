"""Errors people can act on.

The core raises :class:`ParkevalError` subclasses; the CLI prints them without a
traceback and exits 2. Each message says what happened, where, and what is expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Exit codes beyond 0/1/2 (documented in the README, "Limits and safety").
EXIT_BUG = 70  # an internal error: a bug in parkeval, its traceback written to a file
EXIT_INTERRUPTED = 130  # Ctrl-C

_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@")
_KEYWORD_PASSWORD = re.compile(r"(?i)(?P<head>password\s*=\s*)(?:'[^']*'|\"[^\"]*\"|\S+)")


def redact(text: str) -> str:
    """``text`` with the passwords of any database URLs (``user:secret@``) and any
    ``password=…`` replaced by ``***``: no message or bug report shows a secret."""
    text = _URL_PASSWORD.sub(r"\g<head>***@", text)
    return _KEYWORD_PASSWORD.sub(r"\g<head>***", text)


class ParkevalError(Exception):
    """Base class of every error a user can fix (bad input, unknown id, ...)."""

    exit_code = 2
    title = "错误"
    # The field of a record the error is about (certified_on, year, rated_on …), when a check
    # of a new record says so: a dossier import names it with the row.
    record_field: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class NotFoundError(ParkevalError):
    title = "未找到"


class PolicyError(ParkevalError):
    """A policy file is invalid. The message names the file and the key."""

    title = "政策文件无效"


class GoalFileError(PolicyError):
    """A goal file (发展目标文件) is missing or invalid. The message names the file and the key."""

    title = "发展目标文件无效"


def os_reason(exc: OSError) -> str:
    """Why the operating system refused to open a file, in Chinese (never its English text)."""
    import errno

    reasons = {
        errno.ENOENT: "文件不存在",
        errno.EACCES: "没有读取权限",
        errno.EPERM: "没有读取权限",
        errno.EISDIR: "这是一个目录，不是文件",
        errno.ENOTDIR: "路径中的某一级不是目录",
        errno.ENAMETOOLONG: "文件名过长",
        errno.ELOOP: "符号链接循环",
    }
    return reasons.get(exc.errno or 0, "操作系统拒绝读取")


class ConflictError(ParkevalError):
    """The request contradicts recorded history (duplicate, lockout, ...)."""

    title = "无法执行"


@dataclass(frozen=True)
class Problem:
    """One invalid value in an input file: where it is, what is wrong, what is expected."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class InputError(ParkevalError):
    """One or more problems in input files; nothing was written."""

    problems: list[Problem] = field(default_factory=list)
    title = "输入数据有误（未写入任何数据）"
    limit = 50

    def __post_init__(self) -> None:
        lines = [str(p) for p in self.problems[: self.limit]]
        if len(self.problems) > self.limit:
            lines.append(f"…… 另有 {len(self.problems) - self.limit} 处问题未列出")
        ParkevalError.__init__(self, "\n".join(lines))
