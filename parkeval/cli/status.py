"""Where a park stands under its titles: assess (a proposed rating), status and due.

Each parses options, calls one function of :mod:`parkeval.app` and renders the result;
``--json`` prints exactly what the library returns.
"""

from typing import Annotated

import typer

from parkeval.cli.app import app
from parkeval.cli.common import (
    CycleOpt,
    ForceOpt,
    IncludeOutsideOpt,
    IncludeRetiredOpt,
    JsonOpt,
    ParkArg,
    PolicyOpt,
    XlsxOpt,
    YearOpt,
    check_xlsx,
    check_year,
    console,
    echo_json,
    esc,
    park_names,
    parse_date_option,
    print_warnings,
    select_all,
    settings_of,
    write_xlsx,
)
from parkeval.cli.render_status import render_due, render_status, render_statuses
from parkeval.errors import ParkevalError


@app.command()
def assess(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    cycle: CycleOpt = ...,  # type: ignore[assignment]
    year: YearOpt = ...,  # type: ignore[assignment]
    save: Annotated[bool, typer.Option("--save", help="保存建议等次。Store the proposal.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """计算考核期指标、对照年度目标并给出建议等次。Propose a rating for a period."""
    from parkeval.app.assess import assess as run

    result = run(
        settings_of(ctx), park, policy_id=policy, cycle=cycle, year=check_year(year), save=save
    )
    if json_out:
        echo_json(result)
        return
    from rich.table import Table

    from parkeval.domain.wording import (
        STATUS_NAMES,
        VERDICT_NAMES,
        format_date,
        format_money,
        format_percent,
    )

    out = console()
    out.print(
        f"[bold]{result.park_name}[/]（{park}）{result.period} {result.cycle_name}"
        f"（{result.article}），统计日 {format_date(result.as_of)}"
    )
    print_warnings(out, result.warnings)
    out.print(f"认定条件复核：{VERDICT_NAMES[result.verdict]}")
    for c in result.thresholds:
        if c.status not in ("pass", "waived"):
            out.print(
                f"  {esc(c.article)} {esc(c.title)}：{STATUS_NAMES[c.status]}"
                + (f"——{esc(c.gap)}" if c.gap else "")
            )
    table = Table(title=f"{result.year} 年度目标完成情况", header_style="bold")
    for name in ("指标", "实际", "目标", "完成率"):
        table.add_column(name)
    fmt = {
        "revenue": format_money,
        "occupancy": format_percent,
        "hr_institutions": lambda v: f"{v}家",
    }
    names = {"revenue": "营业收入", "hr_institutions": "人力资源服务机构", "occupancy": "入驻率"}
    for key, m in result.targets.metrics.items():
        table.add_row(
            names[key],
            fmt[key](m.actual) if m.actual is not None else "—",
            fmt[key](m.target) if m.target is not None else "未报备",
            format_percent(m.attainment) if m.attainment is not None else "—",
        )
    out.print(table)
    p = result.proposal
    rub = Table(title="评分（权重与分数线为本地设置）", header_style="bold")
    for name in ("维度", "权重", "得分"):
        rub.add_column(name)
    for d in p.dimensions:
        rub.add_row(d.name, str(d.weight), str(d.score))
    out.print(rub)
    out.print(
        f"总分 {p.score}（优秀 ≥ {p.cutoffs['优秀']}，合格 ≥ {p.cutoffs['合格']}，本地设置）"
        f"→ 建议等次 [bold]{p.rating}[/]"
    )
    if p.capped:
        out.print(f"[yellow]{p.capped}[/]")
    if result.official:
        out.print(
            f"正式等次：[bold]{esc(result.official.rating)}[/]（{format_date(result.official.rated_on)}，"
            f"{esc(result.official.rated_by)}）——以正式等次为准"
        )
    if result.saved:
        out.print(f"已保存建议等次（记录编号 #{result.proposal_id}）。")


@app.command()
def status(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Argument(help="园区编码。Park code.")] = None,
    all_parks: Annotated[
        bool, typer.Option("--all", help="全部园区（已停用的除外）。Every park.")
    ] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="状态日期 YYYY-MM-DD（默认今天）。")
    ] = None,
    include_voided: Annotated[
        bool, typer.Option("--include-voided", help="也列出已撤销的记录。Also voided records.")
    ] = False,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy", "-p", help="与 --all 同用：只含该政策适用范围内的园区。Policy id."
        ),
    ] = None,
    include_outside: IncludeOutsideOpt = False,
    include_retired: IncludeRetiredOpt = False,
    json_out: JsonOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    """园区各项认定的状态、标记、历史、待办与各记录编号。Status of a park's titles, with record ids.

    --all 列出全部园区（每个园区一行），可加 --xlsx 写出 Excel 工作簿。
    """
    from parkeval.app.lifecycle import park_status, park_statuses

    if (park is None) == (not all_parks):
        raise ParkevalError(
            "请给出一个园区编码，或使用 --all（二者选一）",
            hint="例如：parkeval status nn-hr，或 parkeval status --all --xlsx 状态.xlsx",
        )
    check_xlsx(xlsx, force)
    settings = settings_of(ctx)
    date = parse_date_option(as_of, "--as-of")
    if policy is not None:
        settings.registry.get(policy)
    if all_parks:
        codes = select_all(
            settings, policy, include_outside=include_outside, include_retired=include_retired
        )
        results = (
            park_statuses(settings, codes, as_of=date, include_voided=include_voided)
            if codes
            else []
        )
        if xlsx is not None:
            from parkeval.report.workbook import status_workbook

            write_xlsx(
                xlsx, status_workbook(results, park_names(settings), settings.registry), force
            )
        if json_out:
            echo_json(results)
        else:
            render_statuses(settings, results)
        return
    assert park is not None
    result = park_status(settings, park, date, include_voided=include_voided)
    if xlsx is not None:
        from parkeval.report.workbook import status_workbook

        write_xlsx(xlsx, status_workbook([result], park_names(settings), settings.registry), force)
    if json_out:
        echo_json(result)
        return
    render_status(settings, park, result)


MAX_WITHIN_DAYS = 3660  # --within: ten years ahead at most


@app.command("due")
def due_(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Argument(help="园区编码。Park code.")] = None,
    all_parks: Annotated[bool, typer.Option("--all", help="全部园区。Every park.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="日期 YYYY-MM-DD（默认今天）。")
    ] = None,
    within: Annotated[
        int, typer.Option("--within", help="显示今后多少天内到期的事项（默认 60）。Days ahead.")
    ] = 60,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy",
            "-p",
            help="只看该政策的事项；与 --all 同用时只含其适用范围内的园区。Policy id.",
        ),
    ] = None,
    include_outside: IncludeOutsideOpt = False,
    include_retired: IncludeRetiredOpt = False,
    json_out: JsonOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    """到期或逾期的报备、自评、考核、整改与申请事项。What is due or overdue.

    --all 不含已停用的园区；给出 --policy 时只含该政策适用范围内的园区，并说明未列入的园区数。
    """
    from parkeval.app.lifecycle import due

    if (park is None) == (not all_parks):
        raise ParkevalError(
            "请给出一个园区编码，或使用 --all（二者选一）",
            hint="例如：parkeval due nn-hr --within 30",
        )
    if not 0 <= within <= MAX_WITHIN_DAYS:
        raise ParkevalError(
            f"--within {within} 超出范围；应为 0 到 {MAX_WITHIN_DAYS} 天（十年）",
            hint="例如：parkeval due nn-hr --within 30",
        )
    check_xlsx(xlsx, force)
    settings = settings_of(ctx)
    if policy is not None:
        settings.registry.get(policy)
    codes = (
        select_all(
            settings, policy, include_outside=include_outside, include_retired=include_retired
        )
        if all_parks
        else [park]
    )
    result = (
        due(
            settings,
            codes,
            as_of=parse_date_option(as_of, "--as-of"),
            within=within,
            policy_id=policy,
        )
        if codes
        else []
    )
    if xlsx is not None:
        from parkeval.report.workbook import due_workbook

        write_xlsx(xlsx, due_workbook(result, park_names(settings), settings.registry), force)
    if json_out:
        echo_json(result if all_parks else result[0])
        return
    from parkeval.domain.wording import format_date

    out = console()
    for r in result:
        out.print(f"[bold]{esc(r.park)}[/] 截至 {format_date(r.as_of)}，今后 {within} 日：")
        render_due(out, r.due)
