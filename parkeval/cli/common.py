"""Small helpers shared by the command modules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

import typer

from parkeval.errors import ParkevalError

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。Print JSON.")]


def settings_of(ctx: typer.Context) -> Any:
    return ctx.obj


def parse_option(value: str | None, option: str, parse: Callable[[str], Any]) -> Any:
    """An option's text through a dossier field parser (same words, same limits); a bad value
    is a user error naming the option."""
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError as exc:
        raise ParkevalError(f"{option}: {exc}") from None


def parse_date_option(value: str | None, option: str) -> dt.date | None:
    from parkeval.parsing import parse_date

    return parse_option(value, option, parse_date)


def echo_json(value: Any) -> None:
    from parkeval.jsonout import dumps

    typer.echo(dumps(value))


def console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)
