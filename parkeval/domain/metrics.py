"""The metric vocabulary computed from a park's facts: areas of each kind, head counts of
the institutions a criterion counts, occupancy, revenue for a period and its growth, branch
sites — for the whole park, the core site or one branch.

Missing data is never a pass: a metric with a missing input is ``complete=False`` and its
value, when given, is a lower bound (only for metrics that can only grow); ``upper`` is an
upper bound when one is known (institutions whose 许可证 or 备案 is not stated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from parkeval.domain.facts import ParkFacts, SiteFacts, SiteTally, Tally, YearTally, tally_for
from parkeval.domain.results import MetricValue
from parkeval.policy.model import (
    AREA_KINDS,
    DEFAULT_CLASSES,
    Criterion,
    Metric,
    Policy,
    RevenuePeriod,
)


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


def period_years(period: RevenuePeriod, year: int, as_of: dt.date) -> tuple[int, ...]:
    """The revenue years a period reads, oldest first: a span of ``period.years`` ending at the
    assessment year ``year`` (``end: year``), the year before the one ``as_of`` falls in
    (``year_before_as_of``: 上年度 of an application on that day), or the last year complete on
    ``as_of`` (``last_complete_year``: the year itself when ``as_of`` is 31 December)."""
    end = {
        "year": year,
        "year_before_as_of": as_of.year - 1,
        "last_complete_year": as_of.year
        if (as_of.month, as_of.day) == (12, 31)
        else as_of.year - 1,
    }[period.end]
    return tuple(range(end - period.years + 1, end + 1))


def metric_years(
    metric: Metric | None, period: RevenuePeriod | None, year: int, as_of: dt.date
) -> tuple[int, ...]:
    """The revenue years a metric reads for a period (default: the assessment year), oldest
    first: a growth compares its year with the one before; other metrics read none."""
    if metric is Metric.revenue:
        return period_years(period or RevenuePeriod(), year, as_of)
    if metric is Metric.revenue_growth:
        end = period_years(period or RevenuePeriod(), year, as_of)[-1]
        return (end - 1, end)
    return ()


def criterion_years(c: Criterion, year: int, as_of: dt.date) -> tuple[int, ...]:
    """The revenue years a criterion reads (growth: its year and the one before)."""
    return metric_years(c.metric, c.revenue_period, year, as_of)


def _area(sites: list[SiteFacts], kind: str) -> MetricValue:
    known = [s.area(kind) for s in sites]
    name = AREA_KINDS[kind]
    total = sum((a for a in known if a is not None), Decimal(0))
    missing = [s.name for s, a in zip(sites, known, strict=True) if a is None]
    if len(missing) == len(sites):
        return MetricValue(
            None, complete=False, missing=f"档案未填写{name}（{'、'.join(missing)}）"
        )
    if missing:
        return MetricValue(
            total,
            complete=False,
            missing=f"{'、'.join(missing)}未填写{name}",
            detail={"kind": kind},
        )
    return MetricValue(total, detail={"kind": kind})


def _revenue_span(tally: Tally, years: tuple[int, ...], combine: str | None) -> MetricValue:
    parts = [_revenue(tally.years[y], y) for y in years]
    if len(parts) == 1:
        return parts[0]
    absent = next((p for p in parts if p.value is None), None)
    if absent is not None:
        return MetricValue(None, complete=False, missing=absent.missing)
    total = sum((p.value for p in parts if isinstance(p.value, Decimal)), Decimal(0))
    gaps = [p.missing for p in parts if not p.complete and p.missing]
    value: Fraction | Decimal = Fraction(total) / len(years) if combine == "average" else total
    detail = {"years": list(years), "total": total}
    return MetricValue(value, complete=not gaps, missing="；".join(gaps) or None, detail=detail)


def compute_metric(
    facts: ParkFacts,
    metric: Metric,
    scope: str,
    site: SiteFacts | None,
    *,
    year: int,
    as_of: dt.date,
    tally: Tally | None = None,
    area_kind: str = "building",
    classes: Iterable[str] = DEFAULT_CLASSES,
    period: RevenuePeriod | None = None,
) -> MetricValue:
    """Compute one metric of the vocabulary for a scope (park, core, or one branch site):
    areas and occupancy of the kind ``area_kind``, the institutions of ``classes``, revenue
    for ``period`` (the assessment ``year`` by default)."""
    sites = _sites_for(facts, scope, site)
    if metric not in (Metric.revenue, Metric.revenue_growth, Metric.branch_sites) and not sites:
        return MetricValue(None, complete=False, missing="没有该范围的园区场地")
    if metric in (Metric.building_area, Metric.area):
        return _area(sites, area_kind)
    if metric is Metric.branch_sites:
        return MetricValue(len(facts.branches))
    years = metric_years(metric, period, year, as_of)
    if tally is None:
        tally = tally_for(facts, as_of=as_of, years=years)
    counted = [tally.sites.get(s.code, SiteTally()) for s in sites]
    if metric is Metric.hr_institutions:
        sure, maybe = map(sum, zip(*(c.institutions(classes) for c in counted), strict=True))
        detail: dict[str, Any] = {"tenants": sum(c.present for c in counted)}
        if maybe:
            return MetricValue(
                sure,
                complete=False,
                upper=sure + maybe,
                detail=detail,
                missing=f"{maybe} 家机构只注明持许可证或已备案，未注明是哪一种",
            )
        return MetricValue(sure, detail=detail)
    if metric is Metric.occupancy:
        area = _area(sites, area_kind)
        occupied = sum((c.occupied for c in counted), Decimal(0))
        unknown = sum(c.unknown_area for c in counted)
        detail = {"occupied_m2": occupied, "area_m2": area.value, "kind": area_kind}
        if area.value is None or not area.complete:
            return MetricValue(
                None, complete=False, missing=f"{area.missing}，无法计算入驻率", detail=detail
            )
        if area.value == 0:
            return MetricValue(
                None,
                complete=False,
                missing=f"{AREA_KINDS[area_kind]}为 0，无法计算入驻率",
                detail=detail,
            )
        ratio = Fraction(occupied) / Fraction(area.value)
        if unknown:
            return MetricValue(
                ratio, complete=False, detail=detail, missing=f"{unknown} 家入驻机构缺少入驻面积"
            )
        return MetricValue(ratio, detail=detail)
    if metric is Metric.revenue:
        return _revenue_span(tally, years, period.combine if period else None)
    if metric is Metric.revenue_growth:
        year = years[-1]
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
            # no ratio to a year of 0: the rule revenue(Y) > revenue(Y−1) is decided on the
            # amounts (eligibility: revenue(Y) compared with threshold × 0)
            return MetricValue(
                None,
                complete=current.complete,
                detail=growth | {"from_zero": True},
                missing=current.missing,
            )
        ratio = Fraction(current.value) / Fraction(previous.value)
        return MetricValue(ratio, complete=current.complete, missing=current.missing, detail=growth)
    raise AssertionError(f"unhandled metric {metric}")


def criterion_metric(
    facts: ParkFacts,
    c: Criterion,
    site: SiteFacts | None,
    *,
    year: int,
    as_of: dt.date,
    tally: Tally | None = None,
) -> MetricValue:
    """A quantitative criterion's metric, read as the criterion says: its scope, kind of area,
    classes of institution and revenue period."""
    assert c.metric is not None
    return compute_metric(
        facts,
        c.metric,
        c.scope,
        site,
        year=year,
        as_of=as_of,
        tally=tally,
        area_kind=c.kind_of_area,
        classes=c.counted_classes,
        period=c.revenue_period,
    )


def policy_years(policy: Policy, year: int, as_of: dt.date) -> tuple[int, ...]:
    """The revenue years certifying under ``policy`` for ``year`` at ``as_of`` reads, newest
    first (the year before only for a growth criterion, as in bt-2022, or a criterion whose
    period reaches back or counts from the application day)."""
    return tuple(
        sorted({y for c in policy.criteria for y in criterion_years(c, year, as_of)}, reverse=True)
    )
