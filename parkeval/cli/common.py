"""Small helpers shared by the command modules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from parkeval.errors import ParkevalError

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）。Print JSON.")]
XlsxOpt = Annotated[
    Path | None,
    typer.Option(
        "--xlsx",
        help="同时写出 Excel 工作簿（每个园区一行，数值为数字）。Also write an Excel workbook.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已有的输出文件。Overwrite.")]


def check_xlsx(path: Path | None, force: bool) -> None:
    """Refuse a workbook path with the wrong suffix or one that exists, before any work."""
    if path is not None:
        from parkeval.outputs import check_output

        check_output(path, suffixes=[".xlsx"], force=force)


def write_xlsx(path: Path, data: bytes, force: bool) -> None:
    """Write a workbook atomically and say where it went (on stderr, beside any --json)."""
    from parkeval.outputs import write_output

    write_output(path, data, suffixes=[".xlsx"], force=force)
    err().print(f"已写出 Excel 工作簿 {esc(path)}")


def park_names(settings: Any) -> dict[str, str]:
    """Every park's name by its code (retired parks too), for workbooks."""
    from parkeval.app.parks import list_parks

    return {p.code: p.name for p in list_parks(settings, include_retired=True)}


def esc(value: object) -> str:
    """Data made safe to print with rich markup: a name or report id such as ``[/]`` or
    ``[link=…]`` is shown as written, never read as markup."""
    from rich.markup import escape

    return escape(str(value))


def settings_of(ctx: typer.Context) -> Any:
    """The run's settings, made by the app callback from the global options."""
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
    """An option's date text (YYYY-MM-DD and the usual Chinese forms), or an error naming the option."""
    from parkeval.values import parse_date

    return parse_option(value, option, parse_date)


def echo_json(value: Any) -> None:
    """Print a result as JSON with exact numbers (the ``--json`` contract)."""
    from parkeval.jsonout import dumps

    typer.echo(dumps(value))


def console() -> Any:
    """A rich console for the terminal output of a command."""
    from rich.console import Console

    return Console(soft_wrap=False)


# Options the life-cycle commands share.
ParkArg = Annotated[str, typer.Argument(help="园区编码。Park code.")]
PolicyOpt = Annotated[str, typer.Option("--policy", "-p", help="政策编号，如 gx-2021。Policy id.")]
CycleOpt = Annotated[
    str,
    typer.Option(
        "--cycle",
        help="考核周期：gx-2021 annual/comprehensive；bt-2022 self_evaluation/biennial。Cycle id.",
    ),
]
YearOpt = Annotated[
    int,
    typer.Option(
        "--year", help="考核覆盖的最后一个年度（2024 年度考核即 2024）。Last calendar year covered."
    ),
]


def check_year(year: int) -> int:
    """A --year within 1990–2100, or an error that says so."""
    if not 1990 <= year <= 2100:
        raise ParkevalError(f"--year {year} 超出范围（1990–2100）")
    return year


def print_warnings(out: Any, warnings: list[str]) -> None:
    """Print a result's warnings, each on its own line."""
    for w in warnings:
        out.print(f"[yellow]注意[/]：{esc(w)}")


# Options of the commands that take --all.
IncludeOutsideOpt = Annotated[
    bool,
    typer.Option(
        "--include-outside",
        help="--all 时也包括不在政策适用范围内（或未填所在地）的园区。Also parks outside the policy's jurisdiction.",
    ),
]
IncludeRetiredOpt = Annotated[
    bool,
    typer.Option("--include-retired", help="也包括已停用的园区。Also retired parks."),
]


def select_all(
    settings: Any,
    policy_id: str | list[str] | None,
    *,
    include_outside: bool,
    include_retired: bool,
) -> list[str]:
    """The park codes an ``--all`` command covers (for several policies, ``compare``: the parks
    in the jurisdiction of any); says on stderr which were left out and why."""
    from parkeval.app.parks import select_parks

    ids = [policy_id] if isinstance(policy_id, str) else list(policy_id or [])
    policies = [settings.registry.get(p) for p in ids]
    selection = select_parks(
        settings,
        policies=policies,
        include_outside=include_outside,
        include_retired=include_retired,
    )
    for line in selection.left_out(policies):
        err().print(f"[yellow]注意[/]：{esc(line)}")
    return selection.codes


def err() -> Any:
    """A rich console on stderr, for notes beside the output (never mixed into --json)."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def rule_titled(settings: Any, detail: str, rule: str) -> str:
    """A fact's detail (… 2024年 revenue_tier 核定22万元) with the reward rule's id replaced by
    its title, as the scheme names it (the id stays when no loaded scheme has the rule)."""
    titles = {r.id: r.title for s in settings.schemes.all() for r in s.rules}
    return detail.replace(f" {rule} ", f" {titles.get(rule, rule)} ", 1)
