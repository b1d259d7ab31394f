"""Life-cycle commands that record: apply, grant, waive, rate, target, confirm, rectified.

Each parses options, calls one function of :mod:`parkeval.app.lifecycle` and renders the
result; ``--json`` prints exactly what the library returns.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from parkeval.cli.app import app
from parkeval.cli.common import (
    CycleOpt,
    JsonOpt,
    ParkArg,
    PolicyOpt,
    YearOpt,
    check_year,
    console,
    echo_json,
    esc,
    parse_date_option,
    parse_option,
    print_warnings,
    settings_of,
)

if TYPE_CHECKING:
    pass


def day(value: object) -> str:
    """A date as documents write it: 2025年3月20日."""
    from parkeval.domain.wording import format_date

    return format_date(value)  # type: ignore[arg-type]


def phrase(ctx: typer.Context, policy: str, cycle: str, year: int) -> str:
    """A period and its cycle in one phrase: 2024年度考核, 2023—2024年定期考核评估."""
    from parkeval.domain.wording import cycle_period_name

    return cycle_period_name(settings_of(ctx).registry.get(policy).cycle(cycle), year)


@app.command("apply")
def apply_(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    received: Annotated[
        str, typer.Option("--received", help="收到申请的日期 YYYY-MM-DD。Date received.")
    ] = ...,  # type: ignore[assignment]
    materials: Annotated[
        list[str] | None,
        typer.Option(
            "--materials",
            help="已提交的申报材料（编号或名称，可重复或用逗号分隔）。Materials submitted.",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录认定申请，显示材料清单、评估期限与公示期。Record an application."""
    from parkeval.app.lifecycle import apply as run

    result = run(
        settings_of(ctx),
        park,
        policy_id=policy,
        received=parse_date_option(received, "--received"),
        materials=materials or [],
    )
    if json_out:
        echo_json(result)
        return
    out = console()
    out.print(
        f"已记录 [bold]{park}[/] 的 {policy} 认定申请（收到日期 {day(result.received_on)}；记录编号 #{result.id}）"
    )
    out.print(f"申报材料（{result.materials_article}）：")
    for m in result.materials:
        out.print(f"  {'[green]✓[/]' if m.submitted else '[red]✗[/]'} {esc(m.name)}")
    if result.evaluation_deadline:
        local = "（本地设置）" if result.evaluation_local else f"（{result.evaluation_article}）"
        out.print(f"评估期限：{day(result.evaluation_deadline)}{local}")
    if result.publicity_from:
        local = "（本地设置）" if result.publicity_local else f"（{result.publicity_article}）"
        out.print(
            f"公示期：{result.publicity_days} 日，评估通过后公示；"
            f"按评估期限最迟为 {day(result.publicity_from)} 至 {day(result.publicity_until)}{local}"
        )


@app.command()
def grant(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    on: Annotated[
        str, typer.Option("--on", help="批复认定（授牌）日期 YYYY-MM-DD。Date recognised.")
    ] = ...,  # type: ignore[assignment]
    doc_no: Annotated[
        str | None, typer.Option("--doc-no", help="批复文号或证书编号。Document number.")
    ] = None,
    outside_jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--outside-jurisdiction",
            metavar="理由",
            help="园区不在政策适用范围内（或档案未填所在地）仍确需记录时，写明理由（记入认定记录与审计日志）。",
        ),
    ] = None,
    outside_validity: Annotated[
        str | None,
        typer.Option(
            "--outside-validity",
            metavar="理由",
            help="认定日不在政策有效期内仍确需记录时，写明理由（记入认定记录与审计日志）。",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录认定（授牌）。Record a recognition.

    拒绝：晚于今天的日期；不在政策适用范围或有效期内（除非写明理由）；同一政策下已有有效认定；
    取消资格后的禁止期内。
    """
    from parkeval.app.lifecycle import grant as run

    result = run(
        settings_of(ctx),
        park,
        policy_id=policy,
        on=parse_date_option(on, "--on"),
        doc_no=doc_no,
        outside_jurisdiction=outside_jurisdiction,
        outside_validity=outside_validity,
    )
    if json_out:
        echo_json(result)
        return
    out = console()
    out.print(
        f"已记录 [bold]{park}[/] 于 {day(result.certified_on)} 获 {policy} {result.level}认定"
        + (f"（{doc_no}）" if doc_no else "")
        + (f"，依据 {result.article}" if result.article else "")
        + f"（记录编号 #{result.id}）"
    )
    print_warnings(out, result.warnings)


@app.command()
def waive(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    criterion: Annotated[
        str, typer.Option("--criterion", help="条件编号（原则性要求），如 branch_limit。")
    ] = ...,  # type: ignore[assignment]
    reason: Annotated[str, typer.Option("--reason", help="未满足的理由。Justification.")] = ...,  # type: ignore[assignment]
    by: Annotated[
        str | None,
        typer.Option("--by", help="作出说明的单位或人员（默认全局 --by）。Who justifies."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="说明有效期至 YYYY-MM-DD（默认长期）。")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录原则性条件未满足的说明，certify 随后显示 waived。Record a waiver."""
    from parkeval.app.lifecycle import waive as run

    settings = settings_of(ctx)
    result = run(
        settings,
        park,
        policy_id=policy,
        criterion=criterion,
        reason=reason,
        by=by or settings.actor,
        until=parse_date_option(until, "--until"),
    )
    if json_out:
        echo_json(result)
        return
    console().print(
        f"已记录说明：[bold]{park}[/] {result.article} {result.title}——{result.reason}"
        f"（{result.by}{'，有效至 ' + day(result.until) if result.until else ''}；记录编号 #{result.id}）"
    )


@app.command()
def rate(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    cycle: CycleOpt = ...,  # type: ignore[assignment]
    year: YearOpt = ...,  # type: ignore[assignment]
    rating: Annotated[
        str, typer.Option("--rating", help="优秀/合格/不合格（excellent/pass/fail）。")
    ] = ...,  # type: ignore[assignment]
    date: Annotated[
        str | None, typer.Option("--date", help="评定日期 YYYY-MM-DD（默认今天）。")
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="评定单位（默认：政策本地设置的评定单位，如 广西壮族自治区人力资源和社会保障厅）。Rating body.",
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录正式考核等次（优先于建议等次）。Record an official rating."""
    from parkeval.app.lifecycle import rate as run

    settings = settings_of(ctx)
    result = run(
        settings,
        park,
        policy_id=policy,
        cycle=cycle,
        year=check_year(year),
        rating=rating,
        date=parse_date_option(date, "--date"),
        by=by,
    )
    if json_out:
        echo_json(result)
        return
    out = console()
    out.print(
        f"已记录 [bold]{park}[/] {phrase(ctx, policy, cycle, year)}：[bold]{result.rating}[/]"
        f"（{day(result.date)}，{result.by}；记录编号 #{result.id}）"
    )
    if result.state == "revoked" and result.revoke_reason:
        out.print(f"[red]认定已取消[/]：{esc(result.revoke_reason)}")
    elif result.state == "rectifying":
        out.print(f"[yellow]限期整改[/]，期限 {result.rectification_due}（本地设置）")
    print_warnings(out, result.warnings)


@app.command()
def target(
    ctx: typer.Context,
    park: ParkArg,
    year: Annotated[
        int, typer.Option("--year", help="目标所属年度。Year the targets are for.")
    ] = ...,  # type: ignore[assignment]
    revenue: Annotated[
        str | None, typer.Option("--revenue", help="营业收入目标，如 6亿、8000万、123456.78。")
    ] = None,
    hr: Annotated[str | None, typer.Option("--hr", help="人力资源服务机构数目标（家）。")] = None,
    occupancy: Annotated[
        str | None, typer.Option("--occupancy", help="入驻率目标，如 65% 或 0.65。")
    ] = None,
    goals: Annotated[
        str | None, typer.Option("--goals", help="其他目标（文字）。Other goals.")
    ] = None,
    filed_on: Annotated[
        str | None, typer.Option("--filed-on", help="报备日期 YYYY-MM-DD（默认今天）。")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """报备年度发展目标（再次报备同一年度即以新报备为准，原报备保留）。File a year's targets."""
    from parkeval.app.lifecycle import file_target
    from parkeval.values import parse_count, parse_money, parse_ratio

    result = file_target(
        settings_of(ctx),
        park,
        year=check_year(year),
        revenue_yuan=parse_option(revenue, "--revenue", parse_money),
        hr_institutions=parse_option(hr, "--hr", parse_count),
        occupancy=parse_option(occupancy, "--occupancy", parse_ratio),
        goals=goals,
        filed_on=parse_date_option(filed_on, "--filed-on"),
    )
    if json_out:
        echo_json(result)
        return
    from parkeval.domain.wording import format_money

    parts = []
    if result.revenue_yuan is not None:
        parts.append(f"营业收入 {format_money(result.revenue_yuan)}")
    if result.hr_institutions is not None:
        parts.append(f"人力资源服务机构 {result.hr_institutions} 家")
    if result.occupancy is not None:
        parts.append(f"入驻率 {(result.occupancy * 100).normalize():f}%")  # as filed, not rounded
    if result.goals:
        parts.append(result.goals)
    console().print(
        f"已{'更新' if result.replaced else '记录'} [bold]{park}[/] {result.year} 年度发展目标"
        f"（报备 {day(result.filed_on)}；记录编号 #{result.id}）：" + "；".join(parts)
    )


@app.command()
def confirm(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    cycle: CycleOpt = ...,  # type: ignore[assignment]
    year: YearOpt = ...,  # type: ignore[assignment]
    by: Annotated[
        str, typer.Option("--by", help="审核确认的单位，如 包头市人力资源和社会保障局。")
    ] = ...,  # type: ignore[assignment]
    on: Annotated[
        str | None, typer.Option("--on", help="审核确认日期 YYYY-MM-DD（默认今天）。")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录设区市人社部门对自评报告的审核确认。Record the city bureau's confirmation."""
    from parkeval.app.lifecycle import confirm as run

    result = run(
        settings_of(ctx),
        park,
        policy_id=policy,
        cycle=cycle,
        year=check_year(year),
        by=by,
        on=parse_date_option(on, "--on"),
    )
    if json_out:
        echo_json(result)
        return
    console().print(
        f"已记录 [bold]{park}[/] {phrase(ctx, policy, cycle, year)}的审核确认"
        f"（{result.confirmed_by}，{day(result.confirmed_on)}；记录编号 #{result.id}）"
    )


@app.command()
def rectified(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    cycle: CycleOpt = ...,  # type: ignore[assignment]
    year: YearOpt = ...,  # type: ignore[assignment]
    on: Annotated[
        str | None, typer.Option("--on", help="整改完成日期 YYYY-MM-DD（默认今天）。")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录不合格后整改完成；认定随即不再处于整改期。Record a completed rectification."""
    from parkeval.app.lifecycle import rectified as run

    result = run(
        settings_of(ctx),
        park,
        policy_id=policy,
        cycle=cycle,
        year=check_year(year),
        on=parse_date_option(on, "--on"),
    )
    if json_out:
        echo_json(result)
        return
    state = {
        "active": "[green]正常[/]",
        "rectifying": "[yellow]仍在整改期[/]",
        "revoked": "[red]已取消[/]",
    }
    console().print(
        f"已记录 [bold]{park}[/] {phrase(ctx, policy, cycle, year)}不合格的整改完成"
        f"（{day(result.rectified_on)}；记录编号 #{result.id}）；认定状态：{state.get(result.state, result.state)}"
    )
