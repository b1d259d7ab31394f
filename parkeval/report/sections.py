"""The sections of a report, in words, built from the embedded result alone.

Every function here reads the payload a PDF carries (:mod:`parkeval.report.payload`, parsed
with exact decimals) and the policy; none reads the database. That is what lets ``verify``
render a report's pages again from its attachment and compare them with what a reader sees.
Nothing here prints an identifier, an enum value, a raw ratio or an ISO date: names come
from :mod:`parkeval.domain.wording`, numbers go through its formatters.

Why this module is long: each section of a report (history, assessment, roster, charts) is a
small translation from the embedded JSON into words, and they share the same helpers (periods,
cycle names, target values); apart they would repeat those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from parkeval.domain.goals import GOAL_DUE_PREFIX
from parkeval.domain.results import CriterionResult
from parkeval.domain.wording import (
    CLASS_NAMES,
    EFFECT_NAMES,
    FLAG_NAMES,
    KIND_NAMES,
    RECOGNITION_NAME,
    STATE_NAMES,
    STATUS_NAMES,
    cycle_period_name,
    display_money,
    display_percent,
    format_area,
    format_date,
    format_percent,
)
from parkeval.policy.model import Cycle, Metric, Policy


@dataclass
class HistoryView:
    """The title's state as of the report's date, its history and the policy's consequences."""

    available: bool  # False: no record → "暂无考核记录"
    # one per title under this policy: state_name, certified_on, revoked_on, revoke_reason,
    # reapply_after, rectification_due (Chinese dates), flag_names, expired (bool), and
    # ``events``: what, cycle_name, period, result, date, by, article — all words
    certifications: list[dict[str, Any]]
    due: list[dict[str, str]]  # what, due_date, state (已逾期/未到期), article
    consequences: list[dict[str, str]]  # article, case (连续 2 次不合格), effect, wording
    as_of: str  # the report's date in words: the state is as of this day
    voided: list[dict[str, str]] = field(default_factory=list)  # what, voided_on, reason, by


@dataclass
class AssessmentView:
    """This period's assessment (考核评估报告): the proposal, the official rating, the rubric."""

    title: str  # 2024年度考核（第十三条）
    proposed: str  # 优秀（得分 92.5；优秀 ≥ 90 分，合格 ≥ 60 分）
    capped: str  # why 优秀 was lowered, or ""
    official: str  # 合格（2025年3月20日，广西壮族自治区人力资源和社会保障厅）, or 尚未评定
    rubric_note: str  # the local setting's note
    dimensions: list[dict[str, str]]  # name, weight (20分), score (100分), items (in words)
    targets: list[dict[str, str]]  # name, target, actual, attainment — formatted
    goals: str  # other goals filed, or ""


@dataclass
class RosterView:
    """The tenant roster (入驻机构名录) with totals per site and for the park."""

    # name, credit_code, site, leased_area, hr_status, revenue, move_in, move_out
    rows: list[dict[str, str]]
    # label (核心园区小计 / 园区合计), tenants, institutions, area (present on the head-count
    # day), revenue (tenants in the park during the year)
    totals: list[dict[str, str]]
    year: int  # the revenue year shown
    as_of: str  # the head-count day in words


def criterion(c: dict[str, Any]) -> CriterionResult:
    """A criterion of the embedded result (exact decimals) as the rules' own result type."""
    return CriterionResult(**c)


def _cycle_names(policy: Policy) -> dict[str, str]:
    return {"recognition": RECOGNITION_NAME, **{c.id: c.name for c in policy.cycles}}


def period_words(policy: Policy, cycle_id: str | None, period: Any) -> str:
    """A stored period label (2024, 2023-2024) in words: 2024年度, 2023—2024年."""
    if period in (None, ""):
        return "—"
    text = str(period).replace("-", "—")
    cyc = next((c for c in policy.cycles if c.id == cycle_id), None)
    return f"{text}年度" if cyc is None or cyc.every_years == 1 else f"{text}年"


def period_cycle_words(policy: Policy, cycle_id: str | None, period: Any) -> str:
    """A stored period label and its cycle in one phrase: 2024年度考核, 2023—2024年定期考核评估."""
    cyc = next((c for c in policy.cycles if c.id == cycle_id), None)
    if cyc is None or period in (None, ""):
        return period_words(policy, cycle_id, period) + (cyc.name if cyc else "考核")
    return cycle_period_name(cyc, int(str(period).split("-")[-1]))


def history(payload: dict[str, Any], policy: Policy) -> HistoryView:
    """The history section from the embedded ``status``, for this policy's titles only."""
    names = _cycle_names(policy)
    consequences = [
        {
            "article": c.article,
            "case": (f"连续 {c.consecutive} 次" if c.consecutive > 1 else "")
            + f"{names.get(c.cycle, '考核')}{c.rating}",
            "effect": EFFECT_NAMES[c.effect]
            + (f"（{c.lockout_years} 年内不予重新认定）" if c.lockout_years else ""),
            "wording": c.wording or "",
        }
        for c in policy.consequences
    ]
    status = payload.get("status") or {}
    certs = []
    for cert in status.get("certifications") or []:
        if cert.get("policy") not in (None, policy.id):
            continue
        events = [
            {
                "what": RECOGNITION_NAME if h.get("cycle") == "recognition" else "正式评定",
                "cycle_name": "—"
                if h.get("cycle") == "recognition"
                else names.get(h["cycle"], "考核"),
                "period": "—"
                if h.get("cycle") == "recognition"
                else period_words(policy, h.get("cycle"), h.get("period")),
                "result": h.get("rating") or "—",
                "date": format_date(h.get("date")),
                "by": h.get("by") or "—",
                "article": h.get("article") or "—",
                "sort": h.get("date") or "",
            }
            for h in cert.get("history") or []
        ]
        for key, what in (("confirmations", "审核确认"), ("rectifications", "整改完成")):
            events += [
                {
                    "what": what,
                    "cycle_name": names.get(e.get("cycle"), "考核"),
                    "period": period_words(policy, e.get("cycle"), e.get("period")),
                    "result": "—",
                    "date": format_date(e.get("date")),
                    "by": e.get("by") or "—",
                    "article": "—",
                    "sort": e.get("date") or "",
                }
                for e in cert.get(key) or []
            ]
        certs.append(
            {
                "state": cert.get("state") or "",
                "state_name": STATE_NAMES.get(cert.get("state") or "", "—"),
                "certified_on": format_date(cert.get("certified_on")),
                "doc_no": cert.get("doc_no") or "",
                "revoked_on": format_date(cert.get("revoked_on")) if cert.get("revoked_on") else "",
                "revoke_reason": cert.get("revoke_reason") or "",
                "reapply_after": format_date(cert.get("reapply_after"))
                if cert.get("reapply_after")
                else "",
                "rectification_due": format_date(cert.get("rectification_due"))
                if cert.get("rectification_due")
                else "",
                "flag_names": [FLAG_NAMES.get(f, "表扬/重点支持") for f in cert.get("flags") or []],
                # a revoked title says so; an expired policy is noted only for a title in force
                "expired": cert.get("policy_in_force") is False and cert.get("state") != "revoked",
                "events": sorted(events, key=lambda e: e["sort"]),
            }
        )
    due = [
        {
            "what": d.get("what") or "",
            "due_date": format_date(d.get("due_date")),
            "state": "已逾期" if d.get("overdue") else "未到期",
            "article": d.get("article") or "—",
        }
        for d in status.get("due") or []
        # the policy's own items; a development goal's are in the 发展目标 section
        if d.get("policy") in (None, policy.id)
        and not str(d.get("what") or "").startswith(GOAL_DUE_PREFIX)
    ]
    voided = [
        {
            "what": v.get("what") or KIND_NAMES.get(v.get("kind") or "", "记录"),
            "voided_on": format_date(v.get("voided_on")),
            "reason": v.get("reason") or "",
            "by": v.get("by") or "—",
        }
        for v in status.get("voided") or []
        if v.get("policy_id") in (None, policy.id)
    ]
    as_of = format_date(payload.get("report_date") or payload.get("as_of"))
    return HistoryView(bool(certs), certs, due, consequences, as_of, voided)


TARGET_NAMES = {
    "revenue": "年营业收入",
    "hr_institutions": "人力资源服务机构数量",
    "occupancy": "入驻面积占比",
}


def target_value(metric: str, value: Any) -> str:
    """A target or actual in words: 5.5亿元, 30家, 56%."""
    if value is None:
        return "—"
    if metric == "revenue":
        return display_money(value)
    if metric == "occupancy":
        return display_percent(value)
    return f"{value}家"


def _item(item: dict[str, Any]) -> str:
    if item.get("kind") == "target":
        name = TARGET_NAMES.get(item["item"], "目标")
        return f"{name}目标完成 {format_percent(Decimal(item['score']))}"
    return f"{item['item']}：{STATUS_NAMES.get(item.get('status') or '', '—')}"


def _number(value: Any) -> str:
    return f"{Decimal(value).normalize():f}"


def assessment(payload: dict[str, Any], policy: Policy) -> AssessmentView | None:
    """The assessment section from the embedded ``assessment`` (an assessment report only)."""
    a = payload.get("assessment")
    if not a:
        return None
    cyc: Cycle | None = next((c for c in policy.cycles if c.id == a.get("cycle")), None)
    title = cycle_period_name(cyc, int(a["year"])) if cyc else f"{a['year']}年度考核"
    p = a["proposal"]
    cutoffs = p.get("cutoffs") or {}
    proposed = (
        f"{p['rating']}（得分 {_number(p['score'])} 分；优秀 ≥ {_number(cutoffs.get('优秀', 90))} 分，"
        f"合格 ≥ {_number(cutoffs.get('合格', 60))} 分）"
    )
    official = "尚未评定"
    if a.get("official"):
        o = a["official"]
        detail = "，".join(
            x
            for x in (
                format_date(o.get("rated_on")) if o.get("rated_on") else "",
                o.get("rated_by") or "",
            )
            if x
        )
        official = o["rating"] + (f"（{detail}）" if detail else "")
    dimensions = [
        {
            "name": d["name"],
            "weight": f"{_number(d['weight'])}分",
            "score": f"{_number(d['score'])}",
            "items": "；".join(_item(i) for i in d.get("items") or [])
            or (d.get("note") or "无可评分项"),
        }
        for d in p.get("dimensions") or []
    ]
    targets = []
    t = a.get("targets") or {}
    for metric, m in (t.get("metrics") or {}).items():
        if m.get("target") is None:
            continue
        targets.append(
            {
                "name": TARGET_NAMES.get(metric, "目标"),
                "target": target_value(metric, m.get("target")),
                "actual": target_value(metric, m.get("actual")),
                "attainment": "—"
                if m.get("attainment") is None
                else format_percent(Decimal(m["attainment"])),
            }
        )
    return AssessmentView(
        title=f"{title}（{a.get('article') or (cyc.article if cyc else '')}）",
        proposed=proposed,
        capped=p.get("capped") or "",
        official=official,
        rubric_note=p.get("note") or "",
        dimensions=dimensions,
        targets=targets,
        goals=t.get("goals") or "",
    )


def roster(payload: dict[str, Any]) -> RosterView:
    """The roster from the embedded park data, with totals per site and for the park."""
    data = payload.get("park_data") or {}
    year, as_of = int(payload["year"]), str(payload["as_of"])
    sites = {s["code"]: s for s in data.get("sites") or []}
    rows, sums = [], {}
    for t in data.get("tenants") or []:
        hr_class = t.get("hr_class") or "none"
        hr = CLASS_NAMES[hr_class]  # the class, not the licence number: no bare ids on a page
        revenue = (t.get("revenue") or {}).get(str(year))
        area = t.get("leased_area_m2")
        rows.append(
            {
                "name": t["name"],
                "credit_code": t["credit_code"],
                "site": sites.get(t["site"], {}).get("name", "—"),
                "leased_area": "—" if area is None else format_area(Decimal(area)),
                "hr_status": hr,
                "revenue": "未填报" if revenue is None else display_money(Decimal(revenue)),
                "move_in": format_date(t.get("move_in")),
                "move_out": format_date(t.get("move_out")) if t.get("move_out") else "—",
            }
        )
        s = sums.setdefault(t["site"], [0, 0, Decimal(0), Decimal(0), 0])
        moved_in, moved_out = t.get("move_in") or "", t.get("move_out")
        if moved_in <= as_of and (not moved_out or moved_out > as_of):  # present on the day
            s[0] += 1
            # a 许可证 or a 备案 (the policies' default classes); public institutions apart
            s[1] += 1 if hr_class in ("licensed", "filed", "licensed_or_filed") else 0
            s[2] += Decimal(area or 0)
        if moved_in <= f"{year}-12-31" and (not moved_out or moved_out > f"{year}-01-01"):
            s[3] += Decimal(revenue or 0)  # in the park during the year
            s[4] += 1 if revenue is None else 0

    def total(label: str, parts: list[list[Any]]) -> dict[str, str]:
        missing = sum(p[4] for p in parts)
        return {
            "label": label,
            "tenants": f"{sum(p[0] for p in parts)}家",
            "institutions": f"{sum(p[1] for p in parts)}家",
            "area": format_area(sum((p[2] for p in parts), Decimal(0))),
            "revenue": display_money(sum((p[3] for p in parts), Decimal(0)))
            + (f"（{missing} 家未填报）" if missing else ""),
        }

    totals = []
    if len(sites) > 1:
        totals = [
            total(f"{site['name']}小计", [sums[code]])
            for code, site in sites.items()
            if code in sums
        ]
    totals.append(total("园区合计", list(sums.values())))
    return RosterView(rows, totals, year, format_date(as_of))


def site_charts(payload: dict[str, Any], policy: Policy, layout: str) -> dict[str, Markup]:
    """The charts of the embedded figures: revenue by year, occupancy and institutions per site
    (each against the threshold that applies to it), and targets against actuals."""
    from parkeval.report import charts

    figures = payload.get("figures") or {}
    out: dict[str, Markup] = {}

    def threshold(metric: Metric, scope: str) -> float | None:
        for c in policy.criteria_for(layout):
            if c.metric is metric and c.scope == scope and c.threshold is not None:
                return float(c.threshold)
        return None

    def num(value: Any) -> float | None:
        return None if value is None else float(value)

    revenue = figures.get("revenue") or []
    if revenue:
        out["revenue"] = Markup(
            charts.revenue_chart(
                [(int(y), num(v)) for y, v in revenue], threshold(Metric.revenue, "park")
            )
        )
    sites = figures.get("sites") or []
    if sites:
        occupancy, institutions = [], []
        for s in sites:
            scope = "park" if layout == "single" else ("core" if s["role"] == "core" else "branch")
            whose = "核心园区" if scope == "core" else ("分园区" if scope == "branch" else "园区")
            occupancy.append(
                (s["name"], whose, num(s.get("occupancy")), threshold(Metric.occupancy, scope))
            )
            institutions.append(
                (
                    s["name"],
                    whose,
                    num(s.get("hr_institutions")),
                    threshold(Metric.hr_institutions, scope),
                )
            )
        out["occupancy"] = Markup(charts.occupancy_chart(occupancy))
        out["institutions"] = Markup(charts.institutions_chart(institutions))
    a = payload.get("assessment") or {}
    metrics = (a.get("targets") or {}).get("metrics") or {}
    scale = {
        "revenue": ("年营业收入（亿元）", 1e-8, charts.yi),
        "hr_institutions": ("人力资源服务机构（家）", 1.0, charts.count),
        "occupancy": ("入驻面积占比（%）", 100.0, charts.percent),
    }
    for metric, (title, factor, fmt) in scale.items():
        m = metrics.get(metric) or {}
        if m.get("target") is None:
            continue
        target, actual = num(m.get("target")), num(m.get("actual"))
        if metric == "revenue" and max(target or 0, actual or 0) < 1e8:
            title, factor, fmt = "年营业收入（万元）", 1e-4, charts.wan  # no 0.88亿 on an axis
        out[f"target_{metric}"] = Markup(
            charts.target_chart(
                title,
                None if target is None else target * factor,
                None if actual is None else actual * factor,
                fmt,
            )
        )
    return out


__all__ = [
    "AssessmentView",
    "HistoryView",
    "RosterView",
    "assessment",
    "criterion",
    "history",
    "roster",
    "site_charts",
]
