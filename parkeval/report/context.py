"""The one context object each report template renders from, and how it is built.

Templates see a single name, ``ctx``: a :class:`ReportContext` for ``report.html`` and a
:class:`SummaryContext` for ``summary.html``. Every field is documented here; the tests
render each template with the demo data and StrictUndefined, so a template that uses a
field not listed here fails.

A context is built from the result embedded in the PDF (:mod:`parkeval.report.payload`)
and the policy — never from the database — so ``verify`` renders the very same pages from a
report's attachment and compares them with what a reader sees. The sections in words are
:mod:`parkeval.report.sections`'.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from parkeval.domain.results import CertificationResult
from parkeval.domain.wording import (
    LAYOUT_NAMES,
    REPORT_KIND_NAMES,
    STATUS_NAMES,
    VERDICT_NAMES,
    actual_text,
    display_money,
    display_percent,
    format_date,
    format_value,
    required_text,
)
from parkeval.policy.model import METRIC_NAMES, Metric, Policy
from parkeval.report import sections
from parkeval.report.goals_section import GoalsView, goals_view
from parkeval.report.payload import canonical_json
from parkeval.report.sections import AssessmentView, HistoryView, RosterView

SIGNERS = {
    "certification": "评估单位",
    "self_evaluation": "填报单位",
    "assessment": "评估单位",
}
OPINION_TITLES = {
    "certification": "评估意见",
    "self_evaluation": "自评意见",
    "assessment": "评估意见",
}
RATING_ORDER = {"eligible": 0, "conditional": 1, "incomplete": 2, "not_eligible": 3}
OPINION_LINES = 6  # blank lines for a handwritten opinion when none was given


def exact(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as read back from the PDF, numbers as exact decimals."""
    return dict(json.loads(canonical_json(payload), parse_float=Decimal))


@dataclass
class KeyFigure:
    """One line of the summary: a quantity against its threshold."""

    label: str  # e.g. 人力资源服务机构数量
    article: str  # the article the threshold comes from
    required: str  # e.g. 不低于 30家
    actual: str  # e.g. 32家
    status: str  # pass | fail | warn | waived | unknown (a CSS class only)
    status_name: str  # 达标 / 未达标 / ...


@dataclass
class CriterionRow:
    """One row of the criteria table (a :class:`~parkeval.domain.results.CriterionResult`, in words)."""

    article: str
    title: str
    wording: str  # the article's original wording, verbatim
    required: str
    actual: str
    status: str  # a CSS class only
    status_name: str
    gap: str  # the shortfall in words, a note, or ""
    evidence: str | None  # qualitative criteria: the evidence reference
    qualitative: bool
    in_principle: bool  # 原则（上）: a warning, not a failure
    local: bool  # threshold is a local setting, not the document's


@dataclass
class ReportContext:
    """Everything ``report.html`` and its partials use, and nothing else."""

    kind: str  # certification | self_evaluation | assessment (chooses wording, never shown)
    kind_title: str  # 认定评估报告 / 自评报告 / 考核评估报告
    report_id: str  # PE-…: a hash of the embedded result
    report_date: str  # the report's date in words (its 落款日期): 2025年6月30日
    font_face: Markup  # the @font-face rule (the installed font's path)
    park: dict[str, Any]  # name, region, operator, layout_name
    policy: dict[str, Any]  # title, short_title, document_no, issuer, level_name, period, checksum
    year: int  # revenue year
    as_of: str  # head-count date in words
    verdict: str  # a CSS class only
    verdict_name: str  # one line: 符合认定条件 ...
    rating: str | None  # assessment kind: the official rating, else the proposal
    rating_official: bool  # whether ``rating`` is the official one
    warnings: list[str]
    key_figures: list[KeyFigure]
    criteria: list[CriterionRow]
    charts: dict[str, Markup]  # revenue, occupancy, institutions, target_* → inline SVG
    history: HistoryView
    assessment: AssessmentView | None  # an assessment report's period, rubric and ratings
    roster: RosterView
    signer: str  # 评估单位 or 填报单位
    opinion_title: str  # 评估意见 / 自评意见
    opinion: list[str]  # the evaluators' opinion, paragraph by paragraph; [] → blank lines
    opinion_lines: int  # how many ruled lines a blank opinion box has
    checksum: str  # the park data's SHA-256, upper case, shortened
    # report --risks: the tenants whose departure alone would break a threshold met today;
    # None when not asked for (the 风险提示 section is left out), [] when there are none
    risks: list[RiskRow] | None = None
    # the development goals that apply to the park (发展目标), with charts; None: no section
    goals: GoalsView | None = None


@dataclass
class RiskRow:
    """One tenant of the 风险提示 section: its departure alone would break these thresholds."""

    name: str
    site: str  # the site's name
    breaches: list[dict[str, str]]  # article, title, now, after, status, status_name


@dataclass
class SummaryRow:
    """One park of the summary table, in words."""

    rank: int
    park_name: str
    verdict: str  # a CSS class only
    verdict_name: str
    met: str  # 7 / 9 项
    revenue: str
    hr_institutions: str
    occupancy: str


@dataclass
class SummaryContext:
    """Everything ``summary.html`` uses: parks ranked under one policy."""

    kind_title: str
    report_id: str
    report_date: str
    font_face: Markup
    policy: dict[str, Any]
    year: int
    as_of: str
    rows: list[SummaryRow]
    counts: dict[str, int]  # verdict name → number of parks
    chart: Markup
    checksum: str  # SHA-256 of the ranked results, upper case, shortened
    signer: str
    opinion_title: str
    opinion: list[str]
    opinion_lines: int
    park: dict[str, Any]  # {"name": "全部园区"}: the running header


# --------------------------------------------------------------------------- helpers


def _policy_view(policy: Policy) -> dict[str, Any]:
    until = format_date(policy.effective_until) if policy.effective_until else "长期有效"
    return {
        "title": policy.title,
        "short_title": policy.short_title or policy.title,
        "document_no": policy.document_no,
        "issuer": policy.issuer,
        "level_name": policy.level_name,
        "period": f"{format_date(policy.effective_from)}起，{until}"
        if not policy.effective_until
        else f"{format_date(policy.effective_from)}至{until}",
        "checksum": policy.sha256[:16].upper(),
    }


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


KEY_METRICS = (Metric.building_area, Metric.hr_institutions, Metric.occupancy, Metric.revenue)


def build_context(payload: dict[str, Any], policy: Policy, *, font_face: str) -> ReportContext:
    """The one context object ``report.html`` renders from: the embedded result in words."""
    data = exact(payload)
    result = data["result"]
    kind = data["kind"]
    found = [sections.criterion(c) for c in result["criteria"]]
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
        for c in found
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
        for c in found
        if c.metric == m.value
    ]
    a = data.get("assessment") or {}
    rating = (a.get("official") or {}).get("rating") or (a.get("proposal") or {}).get("rating")
    park = data.get("park_data") or {}
    region = f"{park.get('province') or ''}{park.get('city') or ''}" or "—"
    return ReportContext(
        kind=kind,
        kind_title=REPORT_KIND_NAMES[kind],
        report_id=data["report_id"],
        report_date=format_date(data.get("report_date") or data["as_of"]),
        font_face=Markup(font_face),
        park={
            "name": result["park_name"],
            "region": region,
            "operator": park.get("operator") or "—",
            "layout_name": LAYOUT_NAMES.get(result["layout"], "—"),
        },
        policy=_policy_view(policy),
        year=int(data["year"]),
        as_of=format_date(data["as_of"]),
        verdict=result["verdict"],
        verdict_name=VERDICT_NAMES[result["verdict"]],
        rating=rating,
        rating_official=bool(a.get("official")),
        warnings=list(result["warnings"]),
        key_figures=key,
        criteria=criteria,
        charts=sections.site_charts(data, policy, result["layout"]),
        history=sections.history(data, policy),
        assessment=sections.assessment(data, policy),
        roster=sections.roster(data),
        signer=SIGNERS[kind],
        opinion_title=OPINION_TITLES[kind],
        opinion=_paragraphs(data.get("opinion")),
        opinion_lines=OPINION_LINES,
        checksum=str(data["input_sha256"])[:16].upper(),
        risks=None if data.get("risks") is None else [_risk_row(r) for r in data["risks"]],
        goals=goals_view(data),
    )


def _risk_row(risk: dict[str, Any]) -> RiskRow:
    """A 风险提示 row from the embedded risks (:class:`parkeval.domain.whatif.DepartureRisk`)."""
    return RiskRow(
        risk["name"],
        risk["site"],
        [
            {
                "article": b["article"],
                "title": b["title"],
                "now": b["actual"],
                "after": b["after"],
                "status": b["status"],
                "status_name": b["status_name"],
            }
            for b in risk["breaches"]
        ],
    )


def rank(results: list[CertificationResult]) -> list[CertificationResult]:
    """Parks in ranking order: verdict first (符合 → 有条件 → 资料不全 → 不符合), then criteria
    met, then revenue, then name."""

    def met(r: CertificationResult) -> int:
        return sum(1 for c in r.criteria if c.status in ("pass", "waived"))

    return sorted(
        results,
        key=lambda r: (
            RATING_ORDER[r.verdict],
            -met(r),
            -(_figure(r, Metric.revenue) or 0),
            r.park,
        ),
    )


def _figure(r: CertificationResult, metric: Metric) -> Any:
    return next(
        (c.actual for c in r.criteria if c.metric == metric.value and c.scope == "park"), None
    )


def _threshold(r: CertificationResult, metric: Metric) -> Any:
    return next(
        (c.threshold for c in r.criteria if c.metric == metric.value and c.scope == "park"), None
    )


def _site_figure(r: CertificationResult, metric: Metric) -> str:
    """The summary's institutions or occupancy cell: the park's figure where the policy judges
    the park as a whole (a single site, or several added up), else — a multi-site park under a
    policy that judges the core site and each branch site — the core site's figure, marked
    with a * (a short mark that fits the narrow column; the footnote says what it means)."""
    for scope, mark in (("park", ""), ("core", "*")):
        c = next((c for c in r.criteria if c.metric == metric.value and c.scope == scope), None)
        if c is not None and c.actual is not None:
            if metric is Metric.occupancy:
                return display_percent(c.actual, c.threshold) + mark
            return format_value(metric, c.actual) + mark
    return "—"


def build_summary(payload: dict[str, Any], policy: Policy, *, font_face: str) -> SummaryContext:
    """The summary across parks from its embedded result: every park's certification, ranked."""
    data = exact(payload)
    results = [_result(r) for r in data["results"]]
    ordered = rank(results)
    rows = []
    for i, r in enumerate(ordered, 1):
        met = sum(1 for c in r.criteria if c.status in ("pass", "waived"))
        revenue = _figure(r, Metric.revenue)
        rows.append(
            SummaryRow(
                rank=i,
                park_name=r.park_name,
                verdict=r.verdict,
                verdict_name=VERDICT_NAMES[r.verdict],
                met=f"{met} / {len(r.criteria)} 项",
                revenue=display_money(revenue, _threshold(r, Metric.revenue)),
                hr_institutions=_site_figure(r, Metric.hr_institutions),
                occupancy=_site_figure(r, Metric.occupancy),
            )
        )
    counts = {name: sum(1 for r in results if r.verdict == v) for v, name in VERDICT_NAMES.items()}
    from parkeval.report import charts

    digest = hashlib.sha256(canonical_json(payload["results"])).hexdigest()
    return SummaryContext(
        kind_title=REPORT_KIND_NAMES["summary"],
        report_id=data["report_id"],
        report_date=format_date(data["report_date"]),
        font_face=Markup(font_face),
        policy=_policy_view(policy),
        year=int(data["year"]),
        as_of=format_date(data["as_of"]),
        rows=rows,
        counts=counts,
        chart=Markup(
            charts.ranking_chart(
                [
                    (
                        r.park_name,
                        sum(1 for c in r.criteria if c.status in ("pass", "waived")),
                        len(r.criteria),
                    )
                    for r in ordered
                ]
            )
        ),
        checksum=digest[:16].upper(),
        signer="评估单位",
        opinion_title="评估意见",
        opinion=[],
        opinion_lines=OPINION_LINES,
        park={"name": "全部园区"},
    )


def _result(r: dict[str, Any]) -> CertificationResult:
    """A park's embedded ``certify --json`` result (exact decimals) as the rules' result type."""
    fields = dict(r)
    fields["as_of"] = dt.date.fromisoformat(fields["as_of"])
    fields["criteria"] = [sections.criterion(c) for c in fields["criteria"]]
    return CertificationResult(**fields)
