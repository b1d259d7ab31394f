"""Rich renderings of a park's status and what is due (Simplified Chinese, no ids but the
record numbers a clerk types)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.text import Text

from parkeval.cli.common import console, esc, park_names

if TYPE_CHECKING:
    from parkeval.domain.lifecycle import DueItem

STATE_STYLE = {"active": "green", "rectifying": "yellow", "revoked": "red"}


def render_due(out: Any, items: list[DueItem]) -> None:
    """Print what is due, overdue first by date, with Chinese dates."""
    from parkeval.domain.wording import format_date

    if not items:
        out.print("  （无待办事项）")
    for i in items:
        mark = "[red]已逾期[/]" if i.overdue else "待办"
        out.print(f"  {mark} {format_date(i.due_date)} {esc(i.what)}（{esc(i.article)}）")


def render_status(settings: Any, park: str, result: Any) -> None:
    """One park's titles, history, applications, targets, waivers and voided records, in words;
    each record with its number (void takes the number and the record's Chinese name)."""
    from parkeval.domain.wording import FLAG_NAMES, KIND_NAMES, STATE_NAMES
    from parkeval.domain.wording import format_date as day

    def period(policy_id: str, cycle: str, label: str | None) -> str:
        """2024年度考核, 2023—2024年定期考核评估 (period and cycle in one phrase)."""
        from parkeval.report.sections import period_cycle_words

        policy = settings.registry.policies.get(policy_id)
        return period_cycle_words(policy, cycle, label) if policy else str(label or "")

    def title(policy_id: str | None) -> str:
        policy = settings.registry.policies.get(policy_id or "")
        return policy.display_title if policy else str(policy_id or "")

    def criterion_title(policy_id: str, criterion_id: str) -> str:
        """The criterion's title as the policy names it (its id only when the policy is gone)."""
        policy = settings.registry.policies.get(policy_id)
        found = [c.title for c in (policy.criteria if policy else []) if c.id == criterion_id]
        return found[0] if found else criterion_id

    def record(kind: str, record_id: Any) -> str:
        return f"[dim]{KIND_NAMES.get(kind, '记录')} #{record_id}[/]"

    out = console()
    out.print(f"[bold]{esc(park)}[/] 截至 {day(result.as_of)}")
    if result.retired:
        r = result.retired
        out.print(
            f"  [yellow]已停用[/]（{day(r.retired_on)}，{esc(r.reason)}，{esc(r.by)}）  {record('retirement', r.id)}"
        )
    if not result.certifications:
        out.print("  尚无认定记录（parkeval grant 记录认定）")
    for c in result.certifications:
        style = STATE_STYLE[c.state]
        out.print(
            f"\n[bold]{title(c.policy)}[/] 认定于 {day(c.certified_on)}"
            + (f"（{esc(c.doc_no)}）" if c.doc_no else "")
            + f"：[{style}]{STATE_NAMES[c.state]}[/]"
        )
        if c.override_reason:
            out.print(f"  [yellow]注意[/]：{esc(c.override_reason)}")
        if not c.policy_in_force:
            if c.state == "revoked":
                out.print("  [yellow]注意[/]：该政策已不在有效期内")
            else:
                out.print("  [yellow]注意[/]：该政策已不在有效期内（认定仍然有效）")
        if c.state == "revoked":
            out.print(f"  取消于 {day(c.revoked_on)}：{esc(c.revoke_reason)}")
            if c.reapply_after:
                out.print(f"  {day(c.reapply_after)}起方可重新认定")
        if c.rectification_due:
            out.print(f"  整改期限 {day(c.rectification_due)}（期限为本地设置）")
        for f in c.flags:
            out.print(f"  [green]★[/] {FLAG_NAMES.get(f, f)}")
        events = [
            (
                h.date,
                f"认定（{h.article}）"
                if h.cycle == "recognition"
                else f"{period(c.policy, h.cycle, h.period)}：{h.rating}"
                + (f"（{h.by}，{h.article}）" if h.by else f"（{h.article}）"),
                "grant" if h.cycle == "recognition" else "rating",
                h.id,
            )
            for h in c.history
        ]
        events += [
            (
                e.date,
                f"{period(c.policy, e.cycle, e.period)}：审核确认（{e.by}）",
                "confirmation",
                e.id,
            )
            for e in c.confirmations
        ]
        events += [
            (
                e.date,
                f"{period(c.policy, e.cycle, e.period)}：整改完成",
                "rectification",
                e.id,
            )
            for e in c.rectifications
        ]
        for date, what, kind, record_id in sorted(
            events, key=lambda e: (e[0] or dt.date.min, e[2])
        ):
            out.print(f"  · {day(date)} {esc(what)}  {record(kind, record_id)}")
    if result.applications:
        out.print("\n认定申请：")
        for a in result.applications:
            out.print(
                f"  · {day(a.received_on)} {title(a.policy_id)}（材料 {len(a.materials)} 项）  "
                f"{record('application', a.id)}"
            )
    if result.targets:
        out.print("\n年度目标（同一年度以最新报备为准）：")
        for t in result.targets:
            filed = day(t.filed_on) if t.filed_on else "—"
            out.print(f"  · {t.year}年度（报备 {filed}）  {record('target', t.id)}")
    if result.waivers:
        out.print("\n原则性条件说明：")
        for w in result.waivers:
            until = f"，有效至 {day(w.until)}" if w.until else ""
            out.print(
                f"  · {title(w.policy_id)} {esc(criterion_title(w.policy_id, w.criterion_id))}：{esc(w.reason)}（{esc(w.by)}{until}）  "
                f"{record('waiver', w.id)}"
            )
    if result.voided:
        out.print("\n已撤销的记录：")
        for v in result.voided:
            out.print(
                f"  · [strike]{esc(v.what)}[/]  撤销于 {day(v.voided_on)}（{esc(v.reason)}；{esc(v.by)}）  "
                f"{record(v.kind, v.record_id)}"
            )
    if result.goals:
        render_goal_lines(out, result.goals)
    out.print("\n待办：")
    render_due(out, result.due)


def render_goal_lines(out: Any, goals: list[Any]) -> None:
    """The 发展目标 section of one park's status: one line per goal, the draft said so."""
    from parkeval.domain.goals import DRAFT_NOTE

    out.print("\n发展目标（详见 parkeval goals）：")
    for g in goals:
        scope = "本园区" if g.scope == "park" else f"全市合计（{len(g.parks)}个园区）"
        tail = "，".join(x for x in (g.gap_text, g.growth_text) if x)
        draft = f" [yellow]（{DRAFT_NOTE}）[/]" if g.draft else ""
        if g.status == "no_record":
            said = f"目标 {g.target_text} — 无记录" if g.target_text != "—" else "无记录"
        else:
            said = f"目标 {g.target_text}，实际 {g.actual_text} — {g.status_name}"
        out.print(
            f"  · {g.year}年 {g.name}，{scope}：{said}" + (f"，{tail}" if tail else "") + draft,
            highlight=False,
        )


def render_statuses(settings: Any, results: list[Any]) -> None:
    """``status --all``: one line per park and title."""
    from rich.table import Table

    from parkeval.domain.wording import FLAG_NAMES, STATE_NAMES, format_date

    names = park_names(settings)
    table = Table(header_style="bold")
    for name in ("园区", "政策", "状态", "认定日期", "标记", "待办", "逾期"):
        table.add_column(name, overflow="fold")
    for s in results:
        if not s.certifications:
            table.add_row(esc(names.get(s.park, s.park)), "—", "尚无认定", "—", "", "", "")
        for c in s.certifications:
            policy = settings.registry.policies.get(c.policy)
            due = [d for d in s.due if d.policy == c.policy]
            table.add_row(
                esc(names.get(s.park, s.park)),
                (policy.short_title or policy.title) if policy else c.policy,
                Text(STATE_NAMES[c.state], style=STATE_STYLE[c.state]),
                format_date(c.certified_on),
                "；".join(FLAG_NAMES.get(f, f) for f in c.flags),
                str(len(due)),
                str(sum(1 for d in due if d.overdue)),
            )
    console().print(table)
