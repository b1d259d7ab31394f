"""Where one park stands under several policies, criterion by criterion (``compare``), pure.

The results of each policy (:func:`~parkeval.domain.eligibility.evaluate`) are laid side by
side: a row per thing measured — the area of one kind, the institutions, occupancy, revenue,
growth, branch sites, for the park, its core site or one branch — with each policy's
requirement, the park's actual value as that policy reads it, and the status. Qualitative
criteria are rows of their own (policies' documents do not align). For each policy the
criteria still to close are listed nearest first: the relative shortfall of a quantitative
criterion, then those that need data or evidence (how far they are is not known).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from parkeval.domain.results import CertificationResult, CriterionResult
from parkeval.domain.wording import (
    SCOPE_NAMES,
    STATUS_NAMES,
    VERDICT_NAMES,
    actual_text,
    required_text,
)
from parkeval.policy.model import AREA_KINDS, METRIC_NAMES, Metric, Policy, level_rank

METRIC_ORDER = (
    Metric.building_area,
    Metric.area,
    Metric.hr_institutions,
    Metric.occupancy,
    Metric.revenue,
    Metric.revenue_growth,
    Metric.branch_sites,
)
OPEN = ("fail", "warn", "unknown")  # statuses still to close


@dataclass
class CompareCell:
    """One policy's criterion in a row: its requirement, the actual value as it reads it."""

    criterion: str
    article: str
    required: str
    actual: str
    status: str
    status_name: str
    gap: str | None


@dataclass
class CompareRow:
    """One thing measured, under every policy that measures it (``cells`` by policy id)."""

    measure: str  # 建筑面积（园区）, 人力资源服务机构数量（东盟分园）, or a qualitative title
    metric: str | None
    scope: str | None
    site: str | None
    cells: dict[str, CompareCell] = field(default_factory=dict)


@dataclass
class Gap:
    """A criterion still to close under one policy, with how far away it is."""

    criterion: str
    article: str
    title: str
    status: str
    gap: str
    distance: Decimal | None  # relative shortfall (0.05 = 5 % short); None: data or evidence


@dataclass
class Standing:
    """The park under one policy: its verdict and the criteria to close, nearest first."""

    policy: str
    title: str
    level: str
    level_name: str
    verdict: str
    verdict_name: str
    met: int  # criteria passed or waived
    total: int
    gaps: list[Gap]


def _ratio(value: Any) -> Fraction:
    return Fraction(value) if not isinstance(value, Fraction) else value


def distance(row: CriterionResult) -> Decimal | None:
    """How far a criterion is from its threshold, relative to it: (threshold − actual) ÷
    threshold for a minimum, (actual − threshold) ÷ threshold for a maximum; None when the
    actual value is unknown or the criterion qualitative."""
    if row.kind != "quantitative" or row.actual is None or row.threshold is None:
        return None
    if row.status == "unknown":
        return None
    actual, threshold = _ratio(row.actual), _ratio(row.threshold)
    short = threshold - actual if row.op in (">=", ">") else actual - threshold
    base = threshold if threshold else Fraction(1)
    value = max(short, Fraction(0)) / abs(base)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def _measure(row: CriterionResult) -> tuple[Any, ...]:
    if row.kind != "quantitative" or row.metric is None:
        return (len(METRIC_ORDER), 0, row.id, None)
    metric = Metric(row.metric)
    kind = row.area_kind if metric in (Metric.building_area, Metric.area) else None
    position = METRIC_ORDER.index(metric)
    if metric is Metric.building_area:  # building_area and area of kind building are one row
        metric, position = Metric.area, METRIC_ORDER.index(Metric.area)
    scope = ("park", "core", "branch").index(row.scope or "park")
    return (position, scope, (metric.value, kind, row.site), row.site)


def _label(row: CriterionResult, site_names: dict[str, str]) -> str:
    if row.kind != "quantitative" or row.metric is None:
        return row.title
    metric = Metric(row.metric)
    if metric in (Metric.building_area, Metric.area):
        name = AREA_KINDS[row.area_kind or "building"]
    elif metric is Metric.occupancy and row.area_kind not in (None, "building"):
        name = f"入驻面积占{AREA_KINDS[row.area_kind or 'building']}比例"
    else:
        name = METRIC_NAMES[metric]
    where = site_names.get(row.site or "", "") or SCOPE_NAMES.get(row.scope or "park", "")
    return f"{name}（{where}）"


def compare_rows(
    results: list[CertificationResult], site_names: dict[str, str]
) -> list[CompareRow]:
    """Every criterion of every result, side by side: one row per thing measured."""
    rows: dict[tuple[Any, ...], CompareRow] = {}
    order: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for result in results:
        for c in result.criteria:
            key = _measure(c)
            ident = key[:3]
            if ident not in rows:
                rows[ident] = CompareRow(_label(c, site_names), c.metric, c.scope, c.site)
                order[ident] = key
            rows[ident].cells[result.policy] = CompareCell(
                c.id,
                c.article,
                required_text(c),
                (c.kind == "qualitative" and c.evidence) or actual_text(c),
                c.status,
                STATUS_NAMES[c.status],
                c.gap or c.note,
            )
    return [rows[k] for k in sorted(rows, key=lambda k: (order[k][0], order[k][1], str(k)))]


def standing(policy: Policy, result: CertificationResult) -> Standing:
    """The park under one policy, with the criteria to close nearest first."""
    gaps = [
        Gap(c.id, c.article, c.title, c.status, c.gap or c.note or "", distance(c))
        for c in result.criteria
        if c.status in OPEN
    ]
    gaps.sort(key=lambda g: (g.distance is None, g.distance or 0, g.status != "fail"))
    return Standing(
        policy.id,
        policy.display_title,
        policy.level,
        policy.level_name,
        result.verdict,
        VERDICT_NAMES[result.verdict],
        sum(c.status in ("pass", "waived") for c in result.criteria),
        len(result.criteria),
        gaps,
    )


def by_level(policies: list[Policy]) -> list[Policy]:
    """Policies lowest level first (县级, 市级, 省级, 国家级), then by id."""
    return sorted(policies, key=lambda p: (level_rank(p.level), p.id))
