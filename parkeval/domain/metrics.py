"""The metric vocabulary computed from a park's facts: areas, head counts, occupancy,
revenue and its growth, branch sites — for the whole park, the core site or one branch.

Missing data is never a pass: a metric with a missing input is ``complete=False`` and its
value, when given, is a lower bound (only for metrics that can only grow).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from parkeval.domain.facts import ParkFacts, SiteFacts, SiteTally, Tally, YearTally, tally_for
from parkeval.domain.results import MetricValue
from parkeval.policy.model import Metric, Policy


def _sites_for(facts: ParkFacts, scope: str, site: SiteFacts | None) -> list[SiteFacts]:
    if scope == "park":
        return list(facts.sites)
    if scope == "core":
        return [facts.core] if facts.core else []
    return [site] if site else []


def _revenue(year_tally: YearTally, year: int) -> MetricValue:
    if not year_tally.present:
        return MetricValue(None, complete=False, missing=f"{year} 年园区内没有入驻机构")
    unreported = year_tally.present - year_tally.reported
    if not year_tally.reported:
        return MetricValue(
            None,
            complete=False,
            missing=f"缺少 {year} 年营业收入数据（{unreported} 家入驻机构均未填报）",
        )
    detail = {"reported": year_tally.reported, "unreported": unreported}
    if unreported:
        return MetricValue(
            year_tally.total,
            complete=False,
            detail=detail,
            missing=f"{unreported} 家入驻机构未填报 {year} 年营业收入",
        )
    return MetricValue(year_tally.total, detail=detail)


def metric_years(metric: Metric | None, year: int) -> tuple[int, ...]:
    """The revenue years a metric reads."""
    if metric is Metric.revenue_growth:
        return (year, year - 1)
    return (year,) if metric is Metric.revenue else ()


def compute_metric(
    facts: ParkFacts,
    metric: Metric,
    scope: str,
    site: SiteFacts | None,
    *,
    year: int,
    as_of: dt.date,
    tally: Tally | None = None,
) -> MetricValue:
    """Compute one metric of the vocabulary for a scope (park, core, or one branch site)."""
    sites = _sites_for(facts, scope, site)
    if metric in (Metric.building_area, Metric.hr_institutions, Metric.occupancy) and not sites:
        return MetricValue(None, complete=False, missing="没有该范围的园区场地")
    if metric is Metric.building_area:
        return MetricValue(sum((s.building_area for s in sites), Decimal(0)))
    if metric is Metric.branch_sites:
        return MetricValue(len(facts.branches))
    if tally is None:
        tally = tally_for(facts, as_of=as_of, years=metric_years(metric, year))
    counted = [tally.sites.get(s.code, SiteTally()) for s in sites]
    if metric is Metric.hr_institutions:
        return MetricValue(
            sum(c.hr for c in counted), detail={"tenants": sum(c.present for c in counted)}
        )
    if metric is Metric.occupancy:
        building = sum((s.building_area for s in sites), Decimal(0))
        occupied = sum((c.occupied for c in counted), Decimal(0))
        unknown = sum(c.unknown_area for c in counted)
        detail: dict[str, Any] = {"occupied_m2": occupied, "building_area_m2": building}
        if building == 0:
            return MetricValue(
                None, complete=False, missing="建筑面积为 0，无法计算入驻率", detail=detail
            )
        ratio = Fraction(occupied) / Fraction(building)
        if unknown:
            return MetricValue(
                ratio, complete=False, detail=detail, missing=f"{unknown} 家入驻机构缺少入驻面积"
            )
        return MetricValue(ratio, detail=detail)
    if metric is Metric.revenue:
        return _revenue(tally.years[year], year)
    if metric is Metric.revenue_growth:
        current, previous = (
            _revenue(tally.years[year], year),
            _revenue(tally.years[year - 1], year - 1),
        )
        growth: dict[str, Any] = {"revenue": current.value, "previous_revenue": previous.value}
        if previous.value is None or not previous.complete:
            return MetricValue(
                None,
                complete=False,
                detail=growth,
                missing=f"缺少 {year - 1} 年完整营业收入数据，无法判断增长",
            )
        if current.value is None:
            return MetricValue(None, complete=False, detail=growth, missing=current.missing)
        if previous.value == 0:
            return MetricValue(
                None,
                complete=False,
                detail=growth,
                missing=f"{year - 1} 年营业收入为 0，无法计算增长率",
            )
        ratio = Fraction(current.value) / Fraction(previous.value)
        return MetricValue(ratio, complete=current.complete, missing=current.missing, detail=growth)
    raise AssertionError(f"unhandled metric {metric}")


def policy_years(policy: Policy, year: int) -> tuple[int, ...]:
    """The revenue years certifying under ``policy`` for ``year`` reads (the year before only
    for a growth criterion, as in bt-2022)."""
    return tuple(
        sorted({y for c in policy.criteria for y in metric_years(c.metric, year)}, reverse=True)
    )
