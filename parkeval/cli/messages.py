"""Usage errors from typer/click (and the pydantic-style checks typer runs on option values)
in Chinese: ``Missing option '--policy'`` reaches a user as ``缺少选项 --policy``.

Click formats these messages in English with no catalogue to swap, so the command line
catches them (:meth:`parkeval.cli.app._Group.main`) and says them again here, from the
exception's own fields where it has them and by pattern for the rest; anything not
recognised is shown as it is rather than guessed at.
"""

from __future__ import annotations

import re
from typing import Any

# Typer ≥ 0.20 carries its own copy of click; older ones use click itself.
try:
    from typer._click import exceptions as ce
    from typer.exceptions import Abort
except ImportError:  # pragma: no cover - older typer
    from click import exceptions as ce  # type: ignore[no-redef]
    from click.exceptions import Abort  # type: ignore[assignment,no-redef]

ClickException = ce.ClickException
NoArgsIsHelpError = getattr(ce, "NoArgsIsHelpError", ce.UsageError)

# Messages of option-value checks (typer's converters speak pydantic's words).
VALUE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Input should be a valid integer.*"), "应为整数"),
    (re.compile(r"Input should be a valid (number|decimal|float).*"), "应为数字"),
    (re.compile(r"Input should be a valid boolean.*"), "应为 true 或 false"),
    (re.compile(r"Input should be a valid date.*"), "应为日期 YYYY-MM-DD"),
    (re.compile(r"Input should be greater than or equal to (\S+?)\.?$"), r"应不小于 \1"),
    (re.compile(r"Input should be less than or equal to (\S+?)\.?$"), r"应不大于 \1"),
    (re.compile(r"Input should be (.*)"), r"格式不对（应为 \1）"),
    (re.compile(r"'?(.*?)'? is not one of (.*?)\.?$"), r"“\1”不是可选的值；可选：\2"),
    (re.compile(r"(?:Path|File|Directory) '(.*)' does not exist\.?"), r"“\1”不存在"),
    (re.compile(r"(?:Path|File) '(.*)' is a directory\.?"), r"“\1”是一个目录"),
    (re.compile(r"Value '?(.*?)'? is not a valid (.*?)\.?$"), r"“\1”不是有效的值"),
]
USAGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"No such command '(.*)'\. Did you mean (.*)\?"),
        r"没有命令 “\1”。是否要用：\2？",
    ),
    (re.compile(r"No such command '(.*)'\."), r"没有命令 “\1”"),
    (re.compile(r"Option '(.*)' requires an argument\."), r"选项 \1 后面需要一个值"),
    (re.compile(r"Option '(.*)' does not take a value\."), r"选项 \1 不带值"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)"), r"多余的参数：\1"),
    (re.compile(r"No such option: (.*)"), r"没有选项 \1"),
]


def _hint(exc: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    if hint is None and getattr(exc, "param", None) is not None:
        hint = exc.param.get_error_hint()
    if hint is None:
        return ""
    text = hint if isinstance(hint, str) else " / ".join(hint)
    return text.replace("'", "")


def _pattern(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str | None:
    for pattern, words in patterns:
        match = pattern.match(text.strip())
        if match:
            return match.expand(words)
    return None


def usage_message(exc: Any) -> str:
    """A click usage error in Chinese (one line)."""
    if isinstance(exc, ce.MissingParameter):
        what = (
            "参数"
            if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "argument"
            else "选项"
        )
        return f"缺少{what} {_hint(exc)}".rstrip()
    if isinstance(exc, ce.NoSuchOption):
        line = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            line += "（是否要用：" + "、".join(sorted(exc.possibilities)) + "？）"
        return line
    if isinstance(exc, ce.BadParameter):
        words = _pattern(str(exc.message), VALUE_PATTERNS) or str(exc.message)
        hint = _hint(exc)
        return f"{hint} 的值无效：{words}" if hint else f"值无效：{words}"
    if isinstance(exc, ce.FileError):
        return f"无法打开文件 {exc.ui_filename}：{exc.message}"
    said = _pattern(str(exc.format_message()), USAGE_PATTERNS)
    return said.replace("'", "").replace(", ", "、") if said else str(exc.format_message())


def print_usage_error(exc: Any) -> None:
    """Print a usage error on stderr in Chinese: what is wrong, the usage line, where help is."""
    from rich.console import Console
    from rich.text import Text

    err = Console(stderr=True, soft_wrap=True, highlight=False)
    err.print(Text(f"✗ 用法错误：{usage_message(exc)}", style="bold red"))
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage:", "用法：", 1)
        err.print(Text(f"  {usage}"))
        err.print(Text(f"  查看帮助：{ctx.command_path} --help", style="dim"))


__all__ = ["Abort", "ClickException", "NoArgsIsHelpError", "print_usage_error", "usage_message"]
