"""Where a park stands under its titles: assess (a proposed rating), status and due.

Each parses options, calls one function of :mod:`parkeval.app` and renders the result;
``--json`` prints exactly what the library returns.
"""

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from parkeval.cli.app import app
from parkeval.cli.common import (
    CycleOpt,
    IncludeOutsideOpt,
    IncludeRetiredOpt,
    JsonOpt,
    ParkArg,
    PolicyOpt,
    YearOpt,
    check_year,
    console,
    echo_json,
    parse_date_option,
    print_warnings,
    select_all,
    settings_of,
)
from parkeval.errors import ParkevalError

if TYPE_CHECKING:
    from parkeval.domain.lifecycle import DueItem

STATE_STYLE = {"active": "green", "rectifying": "yellow", "revoked": "red"}


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

    from parkeval.domain.wording import STATUS_NAMES, VERDICT_NAMES, format_money, format_percent

    out = console()
    out.print(
        f"[bold]{result.park_name}[/]（{park}）{result.period} {result.cycle_name}"
        f"（{result.article}），统计日 {result.as_of}"
    )
    print_warnings(out, result.warnings)
    out.print(f"认定条件复核：{VERDICT_NAMES[result.verdict]}")
    for c in result.thresholds:
        if c.status not in ("pass", "waived"):
            out.print(
                f"  {c.article} {c.title}：{STATUS_NAMES[c.status]}"
                + (f"——{c.gap}" if c.gap else "")
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
            f"正式等次：[bold]{result.official.rating}[/]（{result.official.rated_on}，"
            f"{result.official.rated_by}）——以正式等次为准"
        )
    if result.saved:
        out.print(f"已保存建议等次（记录编号 #{result.proposal_id}）。")


def _render_due(out: Any, items: "list[DueItem]") -> None:
    if not items:
        out.print("  （无待办事项）")
    for i in items:
        mark = "[red]已逾期[/]" if i.overdue else "待办"
        out.print(f"  {mark} {i.due_date} {i.policy} {i.what}（{i.article}）")


@app.command()
def status(
    ctx: typer.Context,
    park: ParkArg,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="状态日期 YYYY-MM-DD（默认今天）。")
    ] = None,
    include_voided: Annotated[
        bool, typer.Option("--include-voided", help="也列出已撤销的记录。Also voided records.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """园区各项认定的状态、标记、历史、待办与各记录编号。Status of a park's titles, with record ids."""
    from parkeval.app.lifecycle import park_status

    settings = settings_of(ctx)
    result = park_status(
        settings, park, parse_date_option(as_of, "--as-of"), include_voided=include_voided
    )
    if json_out:
        echo_json(result)
        return
    from parkeval.domain.wording import FLAG_NAMES, KIND_NAMES, STATE_NAMES

    def cycle_name(policy_id: str, cycle: str) -> str:
        policy = settings.registry.policies.get(policy_id)
        found = next((c.name for c in policy.cycles if c.id == cycle), None) if policy else None
        return found or cycle

    out = console()
    out.print(f"[bold]{park}[/] 截至 {result.as_of}")
    if result.retired:
        r = result.retired
        out.print(f"  [yellow]已停用[/]（{r.retired_on}，{r.reason}，{r.by}；记录 #{r.id}）")
    if not result.certifications:
        out.print("  尚无认定记录（parkeval grant 记录认定）")
    for c in result.certifications:
        style = STATE_STYLE[c.state]
        out.print(
            f"\n[bold]{c.policy}[/] {c.level} 认定于 {c.certified_on}"
            + (f"（{c.doc_no}）" if c.doc_no else "")
            + f"：[{style}]{STATE_NAMES[c.state]}[/]"
        )
        if c.override_reason:
            out.print(f"  [yellow]注意[/]：{c.override_reason}")
        if not c.policy_in_force:
            if c.state == "revoked":
                out.print("  [yellow]注意[/]：该政策已不在有效期内")
            else:
                out.print("  [yellow]注意[/]：该政策已不在有效期内（认定仍然有效）")
        if c.state == "revoked":
            out.print(f"  取消于 {c.revoked_on}：{c.revoke_reason}")
            if c.reapply_after:
                out.print(f"  {c.reapply_after} 起方可重新认定")
        if c.rectification_due:
            out.print(f"  整改期限 {c.rectification_due}（期限为本地设置）")
        for f in c.flags:
            out.print(f"  [green]★[/] {FLAG_NAMES.get(f, f)}")
        events = [
            (
                h.date,
                f"认定（{h.article}）"
                if h.cycle == "recognition"
                else f"{h.period} {cycle_name(c.policy, h.cycle)}：{h.rating}"
                + (f"（{h.by}，{h.article}）" if h.by else f"（{h.article}）"),
                "grant" if h.cycle == "recognition" else "rating",
                h.id,
            )
            for h in c.history
        ]
        events += [
            (
                e.date,
                f"{e.period} {cycle_name(c.policy, e.cycle)}：审核确认（{e.by}）",
                "confirmation",
                e.id,
            )
            for e in c.confirmations
        ]
        events += [
            (e.date, f"{e.period} {cycle_name(c.policy, e.cycle)}：整改完成", "rectification", e.id)
            for e in c.rectifications
        ]
        for date, what, kind, record_id in sorted(
            events, key=lambda e: (e[0] or dt.date.min, e[2])
        ):
            out.print(f"  · {date or '—'} {what}  [dim]{kind} #{record_id}[/]")
    if result.applications:
        out.print("\n认定申请：")
        for a in result.applications:
            out.print(
                f"  · {a.received_on} {a.policy_id}（材料 {len(a.materials)} 项）  [dim]application #{a.id}[/]"
            )
    if result.targets:
        out.print("\n年度目标（同一年度以最新报备为准）：")
        for t in result.targets:
            out.print(f"  · {t.year} 年度（报备 {t.filed_on or '—'}）  [dim]target #{t.id}[/]")
    if result.waivers:
        out.print("\n原则性条件说明：")
        for w in result.waivers:
            until = f"，有效至 {w.until}" if w.until else ""
            out.print(
                f"  · {w.policy_id} {w.criterion_id}：{w.reason}（{w.by}{until}）  [dim]waiver #{w.id}[/]"
            )
    if result.voided:
        out.print("\n已撤销的记录：")
        for v in result.voided:
            out.print(
                f"  · [strike]{v.what}[/]  撤销于 {v.voided_on}（{v.reason}；{v.by}）  "
                f"[dim]{v.kind} #{v.record_id}（{KIND_NAMES.get(v.kind, v.kind)}）[/]"
            )
    out.print("\n待办：")
    _render_due(out, result.due)


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
    if json_out:
        echo_json(result if all_parks else result[0])
        return
    out = console()
    for r in result:
        out.print(f"[bold]{r.park}[/] 截至 {r.as_of}，今后 {within} 日：")
        _render_due(out, r.due)
