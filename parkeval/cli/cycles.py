"""Rating-cycle commands: apply, grant, waive, rate, target, confirm, rectified, assess, status, due.

Each parses options, calls one function of :mod:`parkeval.cycles` and renders the result;
``--json`` prints exactly what the library returns.
"""

from typing import Annotated, Any

import typer

from parkeval.cli.app import app
from parkeval.cli.common import (
    JsonOpt,
    console,
    echo_json,
    parse_date_option,
    parse_option,
    settings_of,
)
from parkeval.errors import ParkevalError

ParkArg = Annotated[str, typer.Argument(help="园区编码。Park code.")]
PolicyOpt = Annotated[str, typer.Option("--policy", "-p", help="政策编号，如 gx-2021。Policy id.")]
CycleOpt = Annotated[str, typer.Option("--cycle", help="考核周期：gx-2021 annual/comprehensive；"
                                       "bt-2022 self_evaluation/biennial。Cycle id.")]
YearOpt = Annotated[int, typer.Option("--year", help="考核覆盖的最后一个年度（2024 年度考核即 2024）。"
                                      "Last calendar year covered.")]

STATE_STYLE = {"active": "green", "rectifying": "yellow", "revoked": "red"}


def _year(year: int) -> int:
    if not 1990 <= year <= 2100:
        raise ParkevalError(f"--year {year} 超出范围（1990–2100）")
    return year


def _warnings(out: Any, warnings: list[str]) -> None:
    for w in warnings:
        out.print(f"[yellow]注意[/]：{w}")


@app.command("apply")
def apply_(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    received: Annotated[str, typer.Option("--received", help="收到申请的日期 YYYY-MM-DD。Date received.")] = ...,  # type: ignore[assignment]
    materials: Annotated[list[str] | None, typer.Option(
        "--materials", help="已提交的申报材料（编号或名称，可重复或用逗号分隔）。Materials submitted.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录认定申请，显示材料清单、评估期限与公示期。Record an application."""
    from parkeval.cycles import apply as run

    result = run(settings_of(ctx), park, policy_id=policy, received=parse_date_option(received, "--received"),
                 materials=materials or [])
    if json_out:
        echo_json(result)
        return
    out = console()
    out.print(f"已记录 [bold]{park}[/] 的 {policy} 认定申请（收到日期 {result['received_on']}）")
    out.print(f"申报材料（{result['materials_article']}）：")
    for m in result["materials"]:
        out.print(f"  {'[green]✓[/]' if m['submitted'] else '[red]✗[/]'} {m['name']}")
    if result["evaluation_deadline"]:
        local = "（本地设置）" if result.get("evaluation_local") else f"（{result.get('evaluation_article')}）"
        out.print(f"评估期限：{result['evaluation_deadline']}{local}")
    if result["publicity_from"]:
        local = "（本地设置）" if result.get("publicity_local") else f"（{result.get('publicity_article')}）"
        out.print(f"公示期：{result['publicity_days']} 日，评估通过后公示；"
                  f"按评估期限最迟为 {result['publicity_from']} 至 {result['publicity_until']}{local}")


@app.command()
def grant(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    on: Annotated[str, typer.Option("--on", help="批复认定（授牌）日期 YYYY-MM-DD。Date recognised.")] = ...,  # type: ignore[assignment]
    doc_no: Annotated[str | None, typer.Option("--doc-no", help="批复文号或证书编号。Document number.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录认定（授牌）；取消资格后的禁止期内拒绝。Record a recognition."""
    from parkeval.cycles import grant as run

    result = run(settings_of(ctx), park, policy_id=policy, on=parse_date_option(on, "--on"), doc_no=doc_no)
    if json_out:
        echo_json(result)
        return
    out = console()
    out.print(f"已记录 [bold]{park}[/] 于 {result['certified_on']} 获 {policy} {result['level']}认定"
              + (f"（{doc_no}）" if doc_no else "") + f"，依据 {result['article']}")
    _warnings(out, result["warnings"])


@app.command()
def waive(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    criterion: Annotated[str, typer.Option("--criterion", help="条件编号（原则性要求），如 branch_limit。")] = ...,  # type: ignore[assignment]
    reason: Annotated[str, typer.Option("--reason", help="未满足的理由。Justification.")] = ...,  # type: ignore[assignment]
    by: Annotated[str | None, typer.Option("--by", help="作出说明的单位或人员（默认全局 --by）。Who justifies.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="说明有效期至 YYYY-MM-DD（默认长期）。")] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录原则性条件未满足的说明，certify 随后显示 waived。Record a waiver."""
    from parkeval.cycles import waive as run

    settings = settings_of(ctx)
    result = run(settings, park, policy_id=policy, criterion=criterion, reason=reason, by=by or settings.actor,
                 until=parse_date_option(until, "--until"))
    if json_out:
        echo_json(result)
        return
    console().print(f"已记录说明：[bold]{park}[/] {result['article']} {result['title']}——{result['reason']}"
                    f"（{result['by']}{'，有效至 ' + str(result['until']) if result['until'] else ''}）")


@app.command()
def rate(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    cycle: CycleOpt = ...,  # type: ignore[assignment]
    year: YearOpt = ...,  # type: ignore[assignment]
    rating: Annotated[str, typer.Option("--rating", help="优秀/合格/不合格（excellent/pass/fail）。")] = ...,  # type: ignore[assignment]
    date: Annotated[str | None, typer.Option("--date", help="评定日期 YYYY-MM-DD（默认今天）。")] = None,
    by: Annotated[str | None, typer.Option("--by", help="评定单位或人员（默认全局 --by）。Who rated.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录正式考核等次（优先于建议等次）。Record an official rating."""
    from parkeval.cycles import rate as run

    settings = settings_of(ctx)
    result = run(settings, park, policy_id=policy, cycle=cycle, year=_year(year), rating=rating,
                 date=parse_date_option(date, "--date"), by=by)
    if json_out:
        echo_json(result)
        return
    out = console()
    out.print(f"已记录 [bold]{park}[/] {result['period']} {result['cycle_name']}：[bold]{result['rating']}[/]"
              f"（{result['date']}，{result['by']}）")
    if result["state"] == "revoked" and result["revoke_reason"]:
        out.print(f"[red]认定已取消[/]：{result['revoke_reason']}")
    elif result["state"] == "rectifying":
        out.print(f"[yellow]限期整改[/]，期限 {result['rectification_due']}（本地设置）")
    _warnings(out, result["warnings"])


@app.command()
def target(
    ctx: typer.Context,
    park: ParkArg,
    year: Annotated[int, typer.Option("--year", help="目标所属年度。Year the targets are for.")] = ...,  # type: ignore[assignment]
    revenue: Annotated[str | None, typer.Option("--revenue", help="营业收入目标，如 6亿、8000万、123456.78。")] = None,
    hr: Annotated[str | None, typer.Option("--hr", help="人力资源服务机构数目标（家）。")] = None,
    occupancy: Annotated[str | None, typer.Option("--occupancy", help="入驻率目标，如 65% 或 0.65。")] = None,
    goals: Annotated[str | None, typer.Option("--goals", help="其他目标（文字）。Other goals.")] = None,
    filed_on: Annotated[str | None, typer.Option("--filed-on", help="报备日期 YYYY-MM-DD（默认今天）。")] = None,
    json_out: JsonOpt = False,
) -> None:
    """报备年度发展目标（再次报备同一年度即更新）。File a year's targets."""
    from parkeval.cycles import file_target
    from parkeval.dossier import parse_ratio
    from parkeval.parsing import parse_count, parse_money

    result = file_target(settings_of(ctx), park, year=_year(year),
                         revenue_yuan=parse_option(revenue, "--revenue", parse_money),
                         hr_institutions=parse_option(hr, "--hr", parse_count),
                         occupancy=parse_option(occupancy, "--occupancy", parse_ratio), goals=goals,
                         filed_on=parse_date_option(filed_on, "--filed-on"))
    if json_out:
        echo_json(result)
        return
    from parkeval.engine import format_money

    parts = []
    if result["revenue_yuan"] is not None:
        parts.append(f"营业收入 {format_money(result['revenue_yuan'])}")
    if result["hr_institutions"] is not None:
        parts.append(f"人力资源服务机构 {result['hr_institutions']} 家")
    if result["occupancy"] is not None:
        parts.append(f"入驻率 {(result['occupancy'] * 100).normalize():f}%")  # as filed, not rounded
    if result["goals"]:
        parts.append(result["goals"])
    console().print(f"已{'更新' if result['replaced'] else '记录'} [bold]{park}[/] {result['year']} 年度发展目标"
                    f"（报备 {result['filed_on']}）：" + "；".join(parts))


@app.command()
def confirm(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    cycle: CycleOpt = ...,  # type: ignore[assignment]
    year: YearOpt = ...,  # type: ignore[assignment]
    by: Annotated[str, typer.Option("--by", help="审核确认的单位，如 包头市人力资源和社会保障局。")] = ...,  # type: ignore[assignment]
    on: Annotated[str | None, typer.Option("--on", help="审核确认日期 YYYY-MM-DD（默认今天）。")] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录设区市人社部门对自评报告的审核确认。Record the city bureau's confirmation."""
    from parkeval.cycles import confirm as run

    result = run(settings_of(ctx), park, policy_id=policy, cycle=cycle, year=_year(year), by=by,
                 on=parse_date_option(on, "--on"))
    if json_out:
        echo_json(result)
        return
    console().print(f"已记录 [bold]{park}[/] {result['period']} {result['cycle_name']}的审核确认"
                    f"（{result['confirmed_by']}，{result['confirmed_on']}）")


@app.command()
def rectified(
    ctx: typer.Context,
    park: ParkArg,
    policy: PolicyOpt = ...,  # type: ignore[assignment]
    cycle: CycleOpt = ...,  # type: ignore[assignment]
    year: YearOpt = ...,  # type: ignore[assignment]
    on: Annotated[str | None, typer.Option("--on", help="整改完成日期 YYYY-MM-DD（默认今天）。")] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录不合格后整改完成；认定随即不再处于整改期。Record a completed rectification."""
    from parkeval.cycles import rectified as run

    result = run(settings_of(ctx), park, policy_id=policy, cycle=cycle, year=_year(year),
                 on=parse_date_option(on, "--on"))
    if json_out:
        echo_json(result)
        return
    state = {"active": "[green]正常[/]", "rectifying": "[yellow]仍在整改期[/]", "revoked": "[red]已取消[/]"}
    console().print(f"已记录 [bold]{park}[/] {result['period']} {result['cycle_name']}不合格的整改完成"
                    f"（{result['rectified_on']}）；认定状态：{state.get(result['state'], result['state'])}")


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
    from parkeval.cycles import assess as run

    result = run(settings_of(ctx), park, policy_id=policy, cycle=cycle, year=_year(year), save=save)
    if json_out:
        echo_json(result)
        return
    from rich.table import Table

    from parkeval.engine import STATUS_NAMES, VERDICT_NAMES, format_money, format_percent

    out = console()
    out.print(f"[bold]{result['park_name']}[/]（{park}）{result['period']} {result['cycle_name']}"
              f"（{result['article']}），统计日 {result['as_of']}")
    _warnings(out, result["warnings"])
    out.print(f"认定条件复核：{VERDICT_NAMES[result['verdict']]}")
    for c in result["thresholds"]:
        if c["status"] not in ("pass", "waived"):
            out.print(f"  {c['article']} {c['title']}：{STATUS_NAMES[c['status']]}" + (f"——{c['gap']}" if c["gap"] else ""))
    table = Table(title=f"{result['year']} 年度目标完成情况", header_style="bold")
    for name in ("指标", "实际", "目标", "完成率"):
        table.add_column(name)
    fmt = {"revenue": format_money, "occupancy": format_percent, "hr_institutions": lambda v: f"{v}家"}
    names = {"revenue": "营业收入", "hr_institutions": "人力资源服务机构", "occupancy": "入驻率"}
    for key, m in result["targets"]["metrics"].items():
        table.add_row(names[key], fmt[key](m["actual"]) if m["actual"] is not None else "—",
                      fmt[key](m["target"]) if m["target"] is not None else "未报备",
                      format_percent(m["attainment"]) if m["attainment"] is not None else "—")
    out.print(table)
    p = result["proposal"]
    rub = Table(title="评分（权重与分数线为本地设置）", header_style="bold")
    for name in ("维度", "权重", "得分"):
        rub.add_column(name)
    for d in p["dimensions"]:
        rub.add_row(d["name"], str(d["weight"]), str(d["score"]))
    out.print(rub)
    out.print(f"总分 {p['score']}（优秀 ≥ {p['cutoffs']['优秀']}，合格 ≥ {p['cutoffs']['合格']}，本地设置）"
              f"→ 建议等次 [bold]{p['rating']}[/]")
    if p["capped"]:
        out.print(f"[yellow]{p['capped']}[/]")
    if result["official"]:
        out.print(f"正式等次：[bold]{result['official']['rating']}[/]（{result['official']['rated_on']}，"
                  f"{result['official']['rated_by']}）——以正式等次为准")
    if result["saved"]:
        out.print("已保存建议等次。")


def _render_due(out: Any, items: list[dict[str, Any]]) -> None:
    if not items:
        out.print("  （无待办事项）")
    for i in items:
        mark = "[red]已逾期[/]" if i["overdue"] else "待办"
        out.print(f"  {mark} {i['due_date']} {i['policy']} {i['what']}（{i['article']}）")


@app.command()
def status(
    ctx: typer.Context,
    park: ParkArg,
    as_of: Annotated[str | None, typer.Option("--as-of", help="状态日期 YYYY-MM-DD（默认今天）。")] = None,
    json_out: JsonOpt = False,
) -> None:
    """园区各项认定的状态、标记、历史与待办。Status of a park's certifications."""
    from parkeval.cycles import park_status

    result = park_status(settings_of(ctx), park, parse_date_option(as_of, "--as-of"))
    if json_out:
        echo_json(result)
        return
    from parkeval.lifecycle import FLAG_NAMES, STATE_NAMES

    out = console()
    out.print(f"[bold]{park}[/] 截至 {result['as_of']}")
    if not result["certifications"]:
        out.print("  尚无认定记录（parkeval grant 记录认定）")
    for c in result["certifications"]:
        style = STATE_STYLE[c["state"]]
        out.print(f"\n[bold]{c['policy']}[/] {c['level']} 认定于 {c['certified_on']}："
                  f"[{style}]{STATE_NAMES[c['state']]}[/]")
        if not c["policy_in_force"]:
            out.print("  [yellow]注意[/]：该政策已不在有效期内（认定仍然有效）")
        if c["state"] == "revoked":
            out.print(f"  取消于 {c['revoked_on']}：{c['revoke_reason']}")
            if c["reapply_after"]:
                out.print(f"  {c['reapply_after']} 起方可重新认定")
        if c["rectification_due"]:
            out.print(f"  整改期限 {c['rectification_due']}（期限为本地设置）")
        for f in c["flags"]:
            out.print(f"  [green]★[/] {FLAG_NAMES.get(f, f)}（{f}）")
        for h in c["history"]:
            what = "认定" if h["cycle"] == "recognition" else f"{h['period']} {h['cycle']} {h['rating']}"
            out.print(f"  · {h['date'] or '—'} {what}（{h['article']}）")
    out.print("\n待办：")
    _render_due(out, result["due"])


@app.command("due")
def due_(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Argument(help="园区编码。Park code.")] = None,
    all_parks: Annotated[bool, typer.Option("--all", help="全部园区。Every park.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="日期 YYYY-MM-DD（默认今天）。")] = None,
    within: Annotated[int, typer.Option("--within", help="显示今后多少天内到期的事项（默认 60）。Days ahead.")] = 60,
    json_out: JsonOpt = False,
) -> None:
    """到期或逾期的报备、自评、考核、整改与申请事项。What is due or overdue."""
    from parkeval.cycles import due

    if (park is None) == (not all_parks):
        raise ParkevalError("请给出一个园区编码，或使用 --all（二者选一）",
                            hint="例如：parkeval due nn-hr --within 30")
    result = due(settings_of(ctx), None if all_parks else [park], as_of=parse_date_option(as_of, "--as-of"),
                 within=within)
    if json_out:
        echo_json(result if all_parks else result[0])
        return
    out = console()
    for r in result:
        out.print(f"[bold]{r['park']}[/] 截至 {r['as_of']}，今后 {within} 日：")
        _render_due(out, r["due"])
