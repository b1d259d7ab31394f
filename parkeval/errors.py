"""Errors people can act on.

The core raises :class:`ParkevalError` subclasses; the CLI prints them without a
traceback and exits 2. Each message says what happened, where, and what is expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
