"""Small helpers shared by the command modules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from parkeval.errors import ParkevalError

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。Print JSON.")]


def settings_of(ctx: typer.Context) -> Any:
    return ctx.obj


def parse_date_option(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    from parkeval.parsing import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise ParkevalError(f"{option}: {exc}") from None


def echo_json(value: Any) -> None:
    from parkeval.jsonout import dumps

    typer.echo(dumps(value))


def console() -> Any:
    from rich.console import Console

    return Console(soft_wrap=False)
