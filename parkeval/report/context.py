"""The one context object each report template renders from, and how it is built.

Templates see a single name, ``ctx``: a :class:`ReportContext` for ``report.html`` and a
:class:`SummaryContext` for ``summary.html``. Every field is documented here; the tests
render each template with the demo data and StrictUndefined, so a template that uses a
field not listed here fails.

The machine-readable result embedded in the PDF is :mod:`parkeval.report.payload`'s.

Why this module is long: the context classes *are* the templates' documentation (every
field a template may use, with its meaning), and they stay beside the functions that fill
them so a field and its source are read together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from parkeval.app.reporting import ReportData
from parkeval.domain.metrics import compute_metric
from parkeval.domain.results import CertificationResult
from parkeval.domain.whatif import DepartureRisk
from parkeval.domain.wording import (
    CLASS_NAMES,
    EFFECT_NAMES,
    FLAG_NAMES,
    STATE_NAMES,
    STATUS_NAMES,
    VERDICT_NAMES,
    actual_text,
    format_value,
    required_text,
)
from parkeval.policy.model import METRIC_NAMES, Metric, Policy
from parkeval.report.payload import KINDS, canonical_json, plain

SIGNERS = {
    "certification": "评估单位",
    "self_evaluation": "填报单位（园区运营机构）",
    "assessment": "评估单位",
}
RATING_ORDER = {"eligible": 0, "conditional": 1, "incomplete": 2, "not_eligible": 3}


@dataclass
class KeyFigure:
    """One line of the summary: a quantity against its threshold."""

    label: str  # e.g. 人力资源服务机构数量
    article: str  # the article the threshold comes from
    required: str  # e.g. 不低于 30家
    actual: str  # e.g. 32家
    status: str  # pass | fail | warn | waived | unknown
    status_name: str  # 达标 / 未达标 / ...


@dataclass
class CriterionRow:
    """One row of the criteria table (a :class:`~parkeval.domain.results.CriterionResult`, in words)."""

    article: str
    title: str
    wording: str  # the article's original wording, verbatim
    required: str
    actual: str
    status: str
    status_name: str
    gap: str  # the shortfall in words, a note, or ""
    evidence: str | None  # qualitative criteria: the evidence reference
    qualitative: bool
    in_principle: bool  # 原则（上）: a warning, not a failure
    local: bool  # threshold is a local setting, not the document's


@dataclass
class RosterRow:
    """One tenant of the 入驻机构名录 used for the figures."""

    name: str
    credit_code: str
    site: str
    leased_area: str
    hr_status: str  # its class (许可证, 备案, 许可证或备案, 公共机构) and number, or 否
    revenue: str  # 营业收入 for the report year
    move_in: str
    move_out: str


@dataclass
class HistoryView:
    """Rating history and consequences."""

    available: bool  # False: no record → "暂无考核记录"
    # status --json certifications, with *_name fields added; ``history`` holds the events of
    # the title in date order: what, cycle_name, period, result, date, by, article
    certifications: list[dict[str, Any]]
    due: list[dict[str, Any]]
    consequences: list[dict[str, str]]  # the policy's rules: article, wording, effect name
    as_of: dt.date | None = None  # the report's date: the state is as of this day
    voided: list[dict[str, Any]] = field(default_factory=list)  # records withdrawn (marked)


@dataclass
class RiskRow:
    """One tenant of the 风险提示 section: its departure alone would break these thresholds."""

    name: str
    site: str  # the site's name
    breaches: list[dict[str, str]]  # article, title, now, after, status, status_name


@dataclass
class ReportContext:
    """Everything ``report.html`` and its partials use, and nothing else."""

    kind: str  # certification | self_evaluation | assessment
    kind_title: str  # 认定评估报告 / 自评报告 / 考核评估报告
    report_id: str  # stable: derived from the embedded result
    generated_on: dt.date
    font_face: Markup  # the @font-face rule (the installed font's path)
    park: dict[str, Any]  # code, name, province, city, operator, layout_name, sites
    policy: dict[
        str, Any
    ]  # id, title, short_title, document_no, issuer, level_name, period, sha256
    year: int  # revenue year
    as_of: dt.date  # head-count date
    verdict: str
    verdict_name: str  # one line: 符合认定条件 ...
    rating: str | None  # assessment kind: proposed/official rating, when known
    warnings: list[str]
    key_figures: list[KeyFigure]
    criteria: list[CriterionRow]
    charts: dict[str, Markup]  # revenue, occupancy, institutions, targets → inline SVG
    history: HistoryView
    assessment: dict[str, Any] | None  # assessment_summary(...) when available
    roster: list[RosterRow]
    roster_year: int
    signer: str  # 评估单位 or 填报单位
    input_sha256: str
    # report --risks: the tenants whose departure alone would break a threshold met today;
    # None when not asked for (the 风险提示 section is left out), [] when there are none
    risks: list[RiskRow] | None = None


@dataclass
class SummaryRow:
    rank: int
    park: str
    park_name: str
    verdict: str
    verdict_name: str
    met: int
    total: int
    revenue: str
    hr_institutions: str
    occupancy: str
    report_file: str | None


@dataclass
class SummaryContext:
    """Everything ``summary.html`` uses: parks ranked under one policy."""

    kind_title: str
    report_id: str
    generated_on: dt.date
    font_face: Markup
    policy: dict[str, Any]
    year: int
    as_of: dt.date
    rows: list[SummaryRow]
    counts: dict[str, int]  # verdict name → number of parks
    chart: Markup
    input_sha256: str  # sha256 of the ranked results (the embedded attachment)
    signer: str = "评估单位"
    park: dict[str, Any] = field(default_factory=lambda: {"name": "全部园区"})


# --------------------------------------------------------------------------- helpers


def _policy_view(policy: Policy) -> dict[str, Any]:
    until = f"{policy.effective_until.isoformat()}" if policy.effective_until else "长期"
    return {
        "id": policy.id,
        "title": policy.title,
        "short_title": policy.short_title or policy.title,
        "document_no": policy.document_no,
        "issuer": policy.issuer,
        "level_name": policy.level_name,
        "period": f"{policy.effective_from.isoformat()} 至 {until}",
        "sha256": policy.sha256,
    }


# --------------------------------------------------------------------------- gathering


# --------------------------------------------------------------------------- context


def _threshold(policy: Policy, layout: str, metric: Metric, scope: str) -> Decimal | None:
    for c in policy.criteria_for(layout):
        if c.metric is metric and c.scope == scope:
            return c.threshold
    return None


def _site_scope(layout: str, role: str) -> str:
    if layout == "single":
        return "park"
    return "core" if role == "core" else "branch"


def build_charts(data: ReportData) -> dict[str, Markup]:
    """The report's charts as inline SVG: revenue by year, occupancy and institutions per site, targets."""
    from parkeval.report import charts

    facts, policy, result = data.facts, data.policy, data.result
    out: dict[str, Markup] = {}
    # the last five years any tenant reported revenue for (the snapshot summed them all)
    years = sorted(
        {int(y) for t in data.detail.tenants for y in t.revenue if int(y) <= result.year}
    )[-5:]

    def metric(m: Metric, scope: str, site: Any, year: int) -> Any:
        return compute_metric(
            facts, m, scope, site, year=year, as_of=result.as_of, tally=facts.tally
        ).value

    if years:
        revenue = [(y, metric(Metric.revenue, "park", None, y)) for y in years]
        out["revenue"] = Markup(
            charts.revenue_chart(revenue, _threshold(policy, facts.layout, Metric.revenue, "park"))
        )
    occupancy, institutions = [], []
    for site in facts.sites:
        scope = _site_scope(facts.layout, site.role)
        occ = metric(Metric.occupancy, "branch", site, result.year)  # "branch": this one site
        hr = metric(Metric.hr_institutions, "branch", site, result.year)
        occupancy.append(
            (site.name, occ, _threshold(policy, facts.layout, Metric.occupancy, scope))
        )
        institutions.append(
            (site.name, hr, _threshold(policy, facts.layout, Metric.hr_institutions, scope))
        )
    if occupancy:
        out["occupancy"] = Markup(charts.occupancy_chart(occupancy))
        out["institutions"] = Markup(charts.institutions_chart(institutions))
    targets = _targets(plain(data.assessment))
    if targets:
        out["targets"] = Markup(charts.targets_chart(targets))
    return out


def _targets(assessment: dict[str, Any] | None) -> list[tuple[str, float | None, float | None]]:
    """(label, target, actual) for each metric with a recorded target, from the
    ``targets.metrics`` of an :class:`~parkeval.app.assess.AssessmentSummary` as JSON."""
    if not assessment:
        return []
    metrics = (assessment.get("targets") or {}).get("metrics") or {}
    rows = []
    for metric, m in metrics.items():
        target, actual = m.get("target"), m.get("actual")
        if target is None:
            continue
        label = METRIC_NAMES.get(Metric(metric), metric) if metric in Metric.__members__ else metric
        rows.append((str(label), float(target), None if actual is None else float(actual)))
    return rows


def _history(data: ReportData) -> HistoryView:
    consequences = [
        {
            "article": c.article,
            "wording": c.wording or "",
            "effect": EFFECT_NAMES[c.effect],
            "rating": c.rating,
            "consecutive": str(c.consecutive),
        }
        for c in data.policy.consequences
    ]
    status = plain(data.status) or {}
    cycle_names = {"recognition": "认定（授牌）", **{c.id: c.name for c in data.policy.cycles}}
    certs = []
    for cert in status.get("certifications") or []:
        if cert.get("policy") not in (None, data.policy.id):
            continue
        view = dict(cert)
        view["state_name"] = STATE_NAMES.get(cert.get("state") or "", cert.get("state") or "—")
        view["flag_names"] = [FLAG_NAMES.get(f, f) for f in cert.get("flags") or []]
        events = [
            {
                "what": "认定（授牌）" if h.get("cycle") == "recognition" else "正式评定",
                "cycle_name": cycle_names.get(h.get("cycle"), h.get("cycle")),
                "period": h.get("period"),
                "result": h.get("rating"),
                "date": h.get("date"),
                "by": h.get("by"),
                "article": h.get("article"),
            }
            for h in cert.get("history") or []
        ]
        for kind, what in (("confirmations", "审核确认"), ("rectifications", "整改完成")):
            events += [
                {
                    "what": what,
                    "cycle_name": cycle_names.get(e.get("cycle"), e.get("cycle")),
                    "period": e.get("period"),
                    "result": None,
                    "date": e.get("date"),
                    "by": e.get("by"),
                    "article": "",
                }
                for e in cert.get(kind) or []
            ]
        view["history"] = sorted(events, key=lambda e: e["date"] or "")
        certs.append(view)
    due = [d for d in status.get("due") or [] if d.get("policy") in (None, data.policy.id)]
    voided = [v for v in status.get("voided") or [] if v.get("policy_id") in (None, data.policy.id)]
    return HistoryView(bool(certs), certs, due, consequences, data.report_date, voided)


def _roster(data: ReportData) -> list[RosterRow]:
    sites = {s.code: s.name for s in data.detail.sites}
    year = data.result.year
    rows = []
    for t in data.detail.tenants:
        hr = {"none": "否", "public": "公共机构"}.get(t.hr_class) or " ".join(
            x for x in (CLASS_NAMES[t.hr_class], t.license_no) if x
        )
        revenue = t.revenue.get(str(year))
        rows.append(
            RosterRow(
                name=t.name,
                credit_code=t.credit_code,
                site=sites.get(t.site, t.site),
                leased_area="—"
                if t.leased_area_m2 is None
                else format_value(Metric.building_area, t.leased_area_m2),
                hr_status=hr,
                revenue="未填报" if revenue is None else format_value(Metric.revenue, revenue),
                move_in=t.move_in,
                move_out=t.move_out or "—",
            )
        )
    return rows


def _risk_row(risk: DepartureRisk) -> RiskRow:
    return RiskRow(
        risk.name,
        risk.site,
        [
            {
                "article": b.article,
                "title": b.title,
                "now": b.actual,
                "after": b.after,
                "status": b.status,
                "status_name": b.status_name,
            }
            for b in risk.breaches
        ],
    )


KEY_METRICS = (Metric.building_area, Metric.hr_institutions, Metric.occupancy, Metric.revenue)


def build_context(
    data: ReportData, payload: dict[str, Any], *, kind: str, today: dt.date
) -> ReportContext:
    """The one context object ``report.html`` renders from."""
    from parkeval.report.render import font_face_css

    result, policy, detail = data.result, data.policy, data.detail
    criteria = [
        CriterionRow(
            article=c.article,
            title=c.title,
            wording=c.wording,
            required=required_text(c),
            actual=actual_text(c),
            status=c.status,
            status_name=STATUS_NAMES[c.status],
            gap=c.gap or c.note or "",
            evidence=c.evidence,
            qualitative=c.kind == "qualitative",
            in_principle=c.strictness == "in_principle",
            local=c.local,
        )
        for c in result.criteria
    ]
    key = [
        KeyFigure(
            label=c.title if c.scope != "park" else METRIC_NAMES[Metric(c.metric)],
            article=c.article,
            required=required_text(c),
            actual=actual_text(c),
            status=c.status,
            status_name=STATUS_NAMES[c.status],
        )
        for m in KEY_METRICS
        for c in result.criteria
        if c.metric == m.value
    ]
    assessment = plain(data.assessment)
    rating = None
    if assessment:
        rating = assessment.get("rating") or assessment.get("proposed_rating")
    park = {
        "code": detail.code,
        "name": detail.name,
        "province": detail.province or "",
        "city": detail.city or "",
        "operator": detail.operator or "—",
        "layout_name": "多园区（核心园区 + 分园区）" if result.layout == "multi" else "单园区",
        "sites": plain(detail.sites),
    }
    return ReportContext(
        kind=kind,
        kind_title=KINDS[kind],
        report_id=payload["report_id"],
        generated_on=today,
        font_face=Markup(font_face_css()),
        park=park,
        policy=_policy_view(policy),
        year=result.year,
        as_of=result.as_of,
        verdict=result.verdict,
        verdict_name=VERDICT_NAMES[result.verdict],
        rating=rating,
        warnings=list(result.warnings),
        key_figures=key,
        criteria=criteria,
        charts=build_charts(data),
        history=_history(data),
        assessment=assessment,
        roster=_roster(data),
        roster_year=result.year,
        signer=SIGNERS[kind],
        input_sha256=payload["input_sha256"],
        risks=None if data.risks is None else [_risk_row(r) for r in data.risks],
    )


def build_summary(
    results: list[CertificationResult], policy: Policy, files: dict[str, str], *, today: dt.date
) -> SummaryContext:
    """Rank parks: verdict first (符合 → 有条件 → 资料不全 → 不符合), then criteria met, then revenue."""
    from parkeval.report import charts
    from parkeval.report.render import font_face_css

    def figure(r: CertificationResult, metric: Metric) -> Any:
        return next(
            (c.actual for c in r.criteria if c.metric == metric.value and c.scope == "park"), None
        )

    def met(r: CertificationResult) -> int:
        return sum(1 for c in r.criteria if c.status in ("pass", "waived"))

    ordered = sorted(
        results,
        key=lambda r: (RATING_ORDER[r.verdict], -met(r), -(figure(r, Metric.revenue) or 0), r.park),
    )
    rows = [
        SummaryRow(
            rank=i,
            park=r.park,
            park_name=r.park_name,
            verdict=r.verdict,
            verdict_name=VERDICT_NAMES[r.verdict],
            met=met(r),
            total=len(r.criteria),
            revenue=format_value(Metric.revenue, figure(r, Metric.revenue)),
            hr_institutions=format_value(Metric.hr_institutions, figure(r, Metric.hr_institutions)),
            occupancy=format_value(Metric.occupancy, figure(r, Metric.occupancy)),
            report_file=files.get(r.park),
        )
        for i, r in enumerate(ordered, 1)
    ]
    counts = {name: sum(1 for r in results if r.verdict == v) for v, name in VERDICT_NAMES.items()}
    year = results[0].year if results else today.year - 1
    as_of = results[0].as_of if results else today
    digest = hashlib.sha256(canonical_json(ordered)).hexdigest()
    return SummaryContext(
        kind_title="认定评估汇总报告",
        report_id="PE-" + digest[:12].upper(),
        input_sha256=digest,
        generated_on=today,
        font_face=Markup(font_face_css()),
        policy=_policy_view(policy),
        year=year,
        as_of=as_of,
        rows=rows,
        counts=counts,
        chart=Markup(charts.ranking_chart([(r.park, r.met, r.total) for r in rows])),
    )
