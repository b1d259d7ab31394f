"""The questions operators ask: ``compare`` (where does the park stand under each policy, and
what does it lack for the next level?) and ``whatif`` (what happens if this tenant leaves?).
Both read the database and write nothing.

Why this module is long: the two commands share the period options, the status styles and
the policy names their headers print, and ``whatif`` parses several kinds of supposed change
(tenants, dates, areas, revenue) whose renderers sit beside them; split, each half would
repeat those helpers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from parkeval.cli.app import app
from parkeval.cli.common import (
    IncludeOutsideOpt,
    IncludeRetiredOpt,
    JsonOpt,
    check_year,
    console,
    echo_json,
    esc,
    parse_date_option,
    parse_option,
    print_warnings,
    select_all,
    settings_of,
)
from parkeval.errors import ParkevalError


def _style(status: str) -> str:
    """The terminal style of a status (absent: the criterion no longer applies)."""
    from parkeval.cli.render import STATUS_STYLES

    return STATUS_STYLES.get(status, "dim")


YearArg = Annotated[
    int | None,
    typer.Option("--year", help="评估年度（默认：统计日前最近的完整年度）。Assessment year."),
]
AsOfArg = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="统计入驻机构与面积的日期（申报日）YYYY-MM-DD；默认：给出 --year 时为该年 12 月 31 日。",
    ),
]


def _period(year: int | None, as_of: str | None) -> tuple[int | None, dt.date | None]:
    return (check_year(year) if year is not None else None), parse_date_option(as_of, "--as-of")


# --------------------------------------------------------------------------- compare


@app.command()
def compare(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Argument(help="园区编码。Park code.")] = None,
    policies: Annotated[
        str,
        typer.Option(
            "--policies",
            help="逗号分隔的政策编号，如 bt-2022,gx-2021（按级别由低到高排列）。Policy ids.",
        ),
    ] = ...,  # type: ignore[assignment]
    all_parks: Annotated[
        bool, typer.Option("--all", help="比较全部园区（每园区一行）。Every park.")
    ] = False,
    year: YearArg = None,
    as_of: AsOfArg = None,
    include_outside: IncludeOutsideOpt = False,
    include_retired: IncludeRetiredOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """对照多个政策逐项比较园区（如市级称号与拟申报的自治区级）。Compare a park across policies.

    表格逐项列出各政策的要求、园区的实际值与状态；每个政策下列出待补齐的条件，由近及远。
    例如：parkeval compare nn-hr --policies bt-2022,gx-2021
    退出码 / exit code: 0 符合全部政策；1 有政策不符合；2 输入或用法错误。
    """
    from parkeval.app.compare import compare as run

    if (park is None) == (not all_parks):
        raise ParkevalError(
            "请给出一个园区编码，或使用 --all（二者选一）",
            hint="例如：parkeval compare nn-hr --policies bt-2022,gx-2021",
        )
    settings = settings_of(ctx)
    ids = [p.strip() for p in policies.split(",") if p.strip()]
    for policy_id in ids:
        settings.registry.get(policy_id)  # an unknown policy is named first
    the_year, day = _period(year, as_of)
    codes = (
        select_all(settings, ids, include_outside=include_outside, include_retired=include_retired)
        if all_parks
        else [park]
    )
    results = (
        run(settings, policy_ids=ids, park_codes=codes, year=the_year, as_of=day) if codes else []
    )
    if json_out:
        echo_json(results if all_parks else results[0])
    elif not results:
        console().print("没有要比较的园区。")
    elif all_parks:
        _render_compare_all(results, _policy_names(settings))
    else:
        _render_compare(results[0], _policy_names(settings))
    if any(s.verdict != "eligible" for r in results for s in r.standings):
        raise typer.Exit(1)


def _policy_names(settings: Any) -> dict[str, str]:
    """Each policy's short title by id: the terminal names policies, never their ids."""
    return {p.id: p.display_title for p in settings.registry.all()}


def _cell(cell: Any) -> Any:
    from rich.text import Text

    if cell is None:
        return Text("—（无此条件）", style="dim")
    text = Text(f"{cell.required}\n实际 {cell.actual}  ")
    text.append(cell.status_name, style=_style(cell.status))
    return text


def _distance(gap: Any) -> str:
    if gap.distance is None:
        return "需补充数据或材料"
    return f"差 {(gap.distance * 100).quantize(Decimal('0.1')).normalize():f}%"


def _render_compare(result: Any, names: dict[str, str]) -> None:
    from rich.table import Table
    from rich.text import Text

    from parkeval.domain.wording import STATE_NAMES, format_date

    out = console()
    out.print(Text(f"{result.park_name}（{result.park}）逐项对照", style="bold underline"))
    out.print(
        Text(f"评估年度：{result.year}  统计日：{format_date(result.as_of)}", style="dim"),
    )
    if result.titles:
        held = "；".join(
            f"{t.level_name}（{names.get(t.policy, t.policy)}，{format_date(t.certified_on)} 认定，"
            f"{STATE_NAMES[t.state]}）"
            for t in result.titles
        )
        out.print(f"已记录的称号：{esc(held)}")
    for p in result.prerequisites:
        verdict = (
            f"园区持有{p.level_name}称号（{'、'.join(names.get(h, h) for h in p.held)}）"
            if p.held
            else f"未记录园区的{p.level_name}称号"
        )
        out.print(
            f"[bold]{esc(names.get(p.policy, p.policy))} {esc(p.article)}[/]："
            f"{esc(p.wording)} —— {esc(verdict)}"
        )
    table = Table(header_style="bold", show_lines=True)
    table.add_column("指标 / 条件", overflow="fold")
    for s in result.standings:
        table.add_column(f"{s.level_name}\n{s.title}", overflow="fold")
    for row in result.rows:
        table.add_row(esc(row.measure), *(_cell(row.cells.get(s.policy)) for s in result.standings))
    out.print(table)
    aim = next((s for s in reversed(result.standings) if s.verdict != "eligible"), None)
    if aim is not None and aim.gaps:
        first = aim.gaps[0]
        out.print(
            f"[bold]距{aim.level_name}（{names.get(aim.policy, aim.policy)}）还差 {len(aim.gaps)} 项[/]，"
            f"最近的一项：{first.article} {first.title}（{_distance(first)}）",
            highlight=False,
        )
    for s, r in zip(result.standings, result.results, strict=True):
        head = Text(f"{s.level_name}《{s.title}》：")
        head.append(s.verdict_name, style="bold")
        head.append(f"（达标或已说明 {s.met}/{s.total} 项）")
        out.print(head)
        print_warnings(out, [w for w in r.warnings if "适用范围" in w])
        if s.gaps:
            out.print(f"  待补齐 {len(s.gaps)} 项（由近及远）：")
        for i, g in enumerate(s.gaps, 1):
            far = f"（{_distance(g)}）" if g.distance is not None else ""
            out.print(f"  {i}. {esc(g.article)} {esc(g.title)}：{esc(g.gap)}{far}", highlight=False)


def _render_compare_all(results: list[Any], names: dict[str, str]) -> None:
    from rich.table import Table

    first = results[0]
    table = Table(header_style="bold", title="多政策逐园区对照")
    table.add_column("园区")
    table.add_column("名称")
    for s in first.standings:
        table.add_column(f"{s.level_name}（{names.get(s.policy, s.policy)}）")
    table.add_column("最高级别最近的差距", overflow="fold")
    for r in results:
        top = r.standings[-1]
        nearest = top.gaps[0] if top.gaps else None
        table.add_row(
            esc(r.park),
            esc(r.park_name),
            *(f"{s.verdict_name}（{s.met}/{s.total}）" for s in r.standings),
            esc(f"{nearest.title}：{nearest.gap}") if nearest else "—",
        )
    console().print(table)


# --------------------------------------------------------------------------- whatif


def _pair(value: str, option: str) -> tuple[str, str]:
    key, sep, rest = value.partition("=")
    if not sep or not key.strip() or not rest.strip():
        raise ParkevalError(f"{option} {value}：应写成 名称=值，如 {option} 某某公司=2025-06-30")
    return key.strip(), rest.strip()


def _area(value: str) -> tuple[str, str, Decimal]:
    from parkeval.values import parse_area

    target, text = _pair(value, "--area")
    site, _, kind = target.partition(":")
    area = parse_option(text, f"--area {value}", lambda v: parse_area(v, allow_zero=False))
    return site.strip(), (kind.strip() or "building"), area


def _percent(value: str) -> Decimal:
    text = value.strip().removesuffix("%").removesuffix("％")
    try:
        percent = Decimal(text)
    except InvalidOperation:
        raise ParkevalError(f"--revenue {value}：应为 +10%、-5% 或 机构=金额") from None
    if not percent.is_finite() or percent <= -100 or percent > 10_000:
        raise ParkevalError(f"--revenue {value}：百分比应大于 -100% 且不超过 10000%")
    return percent


@app.command()
def whatif(
    ctx: typer.Context,
    park: Annotated[str, typer.Argument(help="园区编码。Park code.")],
    policy: Annotated[
        str, typer.Option("--policy", "-p", help="政策编号，如 gx-2021。Policy id.")
    ] = ...,  # type: ignore[assignment]
    without: Annotated[
        list[str] | None,
        typer.Option("--without", help="假设该机构不在园区（信用代码或名称，可重复）。"),
    ] = None,
    move_out: Annotated[
        list[str] | None,
        typer.Option("--move-out", help="假设机构在某日迁出：机构=YYYY-MM-DD（可重复）。"),
    ] = None,
    add_tenant: Annotated[
        list[Path] | None,
        typer.Option(
            "--add-tenant", help="假设新入驻的机构：档案格式的 tenants 文件（YAML/JSON/xlsx）。"
        ),
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option("--area", help="假设场地面积：场地=㎡，或 场地:usable=㎡（其他面积种类）。"),
    ] = None,
    revenue: Annotated[
        list[str] | None,
        typer.Option("--revenue", help="假设营业收入：+10% / -5%（全部机构），或 机构=金额。"),
    ] = None,
    risks: Annotated[
        bool,
        typer.Option("--risks", help="列出一旦迁出就会导致某项条件不达标的机构。Departure risks."),
    ] = False,
    year: YearArg = None,
    as_of: AsOfArg = None,
    json_out: JsonOpt = False,
) -> None:
    """假设分析：某机构迁出、新机构入驻、面积或营业收入变化后，逐项对比前后结果（不写入数据）。
    What if a tenant leaves, joins, or area or revenue change: every criterion before and after.

    营业收入的变化作用于该政策各营业收入条件所读取的年度（增长条件为较晚的一年）。
    退出码 / exit code: 0 变化后符合认定条件；1 不符合、有条件符合或资料不全；2 输入错误。
    """
    settings = settings_of(ctx)
    the_year, day = _period(year, as_of)
    settings.registry.get(policy)
    if risks:
        if without or move_out or add_tenant or area or revenue:
            raise ParkevalError("--risks 列出现状下的迁出风险，不能与假设的变化同时使用")
        from parkeval.app.whatif import park_risks

        found = park_risks(settings, park=park, policy_id=policy, year=the_year, as_of=day)
        echo_json(found) if json_out else _render_risks(found, _policy_names(settings))
        return
    from parkeval.app.whatif import what_if_park

    percent = None
    per_tenant = []
    for value in revenue or []:
        if "=" in value:
            from parkeval.values import parse_money

            name, text = _pair(value, "--revenue")
            per_tenant.append((name, parse_option(text, f"--revenue {value}", parse_money)))
        elif percent is not None:
            raise ParkevalError("--revenue 的百分比只能给一次")
        else:
            percent = _percent(value)
    moves = []
    for value in move_out or []:
        name, text = _pair(value, "--move-out")
        moves.append((name, parse_date_option(text, f"--move-out {value}")))
    outcome = what_if_park(
        settings,
        park=park,
        policy_id=policy,
        year=the_year,
        as_of=day,
        without=without or [],
        move_out=moves,  # type: ignore[arg-type]
        add_tenants=add_tenant or [],
        areas=[_area(v) for v in area or []],
        revenue_percent=percent,
        revenue=per_tenant,
    )
    if json_out:
        echo_json(outcome)
    else:
        _render_whatif(outcome, _policy_names(settings))
    if outcome.verdict_after != "eligible":
        raise typer.Exit(1)


def _status(status: str) -> Any:
    from rich.text import Text

    from parkeval.domain.wording import STATUS_NAMES

    return Text(STATUS_NAMES.get(status, "不适用"), style=_style(status))


def _render_whatif(w: Any, names: dict[str, str]) -> None:
    from rich.table import Table
    from rich.text import Text

    from parkeval.domain.wording import VERDICT_NAMES, format_date

    out = console()
    title = names.get(w.policy, w.policy)
    out.print(Text(f"{w.park_name}（{w.park}）假设分析 —— {title}", style="bold underline"))
    out.print(
        Text(
            f"评估年度：{w.year}  统计日：{format_date(w.as_of)}（仅为假设，未写入任何数据）",
            style="dim",
        )
    )
    for change in w.changes:
        out.print(f"  假设：{esc(change)}", highlight=False)
    table = Table(header_style="bold")
    for name in ("条款", "条件", "变化前", "", "变化后", "", "说明"):
        table.add_column(name, overflow="fold")
    for c in w.criteria:
        style = "bold" if c.changed else ""
        table.add_row(
            esc(c.article),
            Text(("▶ " if c.changed else "") + c.title, style=style),
            esc(c.before_actual),
            _status(c.before_status),
            esc(c.after_actual),
            _status(c.after_status),
            (c.after_gap or "") if c.changed else "",
        )
    out.print(table)
    verdict = Text("结论：")
    verdict.append(VERDICT_NAMES[w.verdict_before])
    verdict.append(" → ")
    verdict.append(VERDICT_NAMES[w.verdict_after], style="bold")
    verdict.append("（结论改变）" if w.verdict_changed else "（结论不变）", style="dim")
    out.print(verdict)
    changed = sum(c.changed for c in w.criteria)
    out.print(f"有变化的条件：{changed} 项" if changed else "各项条件均无变化")


def _render_risks(r: Any, names: dict[str, str]) -> None:
    from rich.table import Table
    from rich.text import Text

    from parkeval.domain.wording import format_date

    out = console()
    title = names.get(r.policy, r.policy)
    out.print(Text(f"{r.park_name}（{r.park}）迁出风险 —— {title}", style="bold underline"))
    out.print(Text(f"评估年度：{r.year}  统计日：{format_date(r.as_of)}", style="dim"))
    if not r.risks:
        out.print("没有哪一家机构的单独迁出会使已达标的条件变为不达标。")
        return
    table = Table(header_style="bold")
    for name in ("机构", "所在场地", "一旦迁出", "现在", "迁出后"):
        table.add_column(name, overflow="fold")
    for risk in r.risks:
        for i, b in enumerate(risk.breaches):
            table.add_row(
                esc(risk.name) if i == 0 else "",
                esc(risk.site) if i == 0 else "",
                esc(f"{b.article} {b.title}"),
                esc(b.actual),
                Text(f"{b.after}（{b.status_name}）", style=_style(b.status)),
            )
    out.print(table)
    out.print(f"共 {len(r.risks)} 家机构的单独迁出会使至少一项条件不达标。")
