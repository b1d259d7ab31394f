"""The rules, pure: plain facts about a park + a loaded policy → a cited verdict.

Nothing here touches a database. Interpretations (DOMAIN.md, and the README's
"Interpretations" section) are applied here:

* 以上/不少于/不低于/达到 include the number; 超过/低于/不满 exclude it (the policy's ``op``).
* Only HR service institutions (许可证 or 备案) count toward institution thresholds; every
  tenant counts toward occupied area and park revenue.
* A tenant counts at a date if it moved in on/before that date and has not moved out by it.
* Park revenue for year Y = the sum of 营业收入 reported for Y by tenants present at any
  time during Y. Missing data is never a pass: a known part that already meets a ``>=``
  threshold passes (revenue and area only add up), otherwise the result is ``unknown``.

Metrics are computed from a :class:`Tally` (per-site head counts and areas on the day,
per-year revenue sums). It is summed here from tenant rows, or handed in ready-made by the
database for a whole province (``repository.load_tallied``): the same rules either way,
and a test holds the two sums equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from parkeval.policy import (
    METRIC_NAMES,
    OP_WORDS,
    Criterion,
    Metric,
    Policy,
    compare,
    ops_in_wording,
)


@dataclass(frozen=True)
class SiteFacts:
    code: str
    name: str
    role: str  # "core" | "branch"
    building_area: Decimal


@dataclass(frozen=True)
class TenantFacts:
    credit_code: str
    name: str
    site_code: str
    hr_service: bool
    leased_area: Decimal | None
    move_in: dt.date
    move_out: dt.date | None
    revenue: Mapping[int, Decimal] = field(default_factory=dict)

    def present_on(self, day: dt.date) -> bool:
        """Moved in on or before ``day`` and not moved out by it (a move-out day is not counted)."""
        return self.move_in <= day and (self.move_out is None or self.move_out > day)

    def present_during(self, year: int) -> bool:
        """In the park on at least one day of ``year``."""
        return self.move_in <= dt.date(year, 12, 31) and (
            self.move_out is None or self.move_out > max(self.move_in, dt.date(year, 1, 1))
        )


@dataclass(frozen=True)
class AttestationFacts:
    met: bool
    evidence: str | None
    note: str | None = None


@dataclass(frozen=True)
class WaiverFacts:
    """A recorded justification for an unmet in-principle criterion (Article text allows 原则)."""

    criterion_id: str
    reason: str
    by: str
    until: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return self.until is None or day <= self.until


@dataclass(frozen=True)
class SiteTally:
    """The tenants of one site present on the day counts are taken."""

    present: int = 0
    hr: int = 0  # of which HR service institutions
    occupied: Decimal = Decimal(0)  # leased area of those that gave one
    unknown_area: int = 0  # present tenants without a leased area


@dataclass(frozen=True)
class YearTally:
    """The tenants present at any time during one year, and the 营业收入 they reported for it."""

    present: int = 0
    reported: int = 0
    total: Decimal = Decimal(0)


@dataclass(frozen=True)
class Tally:
    """Everything the quantitative metrics need from the tenant rows, summed."""

    as_of: dt.date
    sites: Mapping[str, SiteTally]  # by site code
    years: Mapping[int, YearTally]


@dataclass(frozen=True)
class ParkFacts:
    code: str
    name: str
    sites: Sequence[SiteFacts]
    tenants: Sequence[TenantFacts]
    attestations: Mapping[str, AttestationFacts] = field(default_factory=dict)
    # Set when the database summed the tenant rows (then ``tenants`` is empty): valid only
    # for its ``as_of`` and years.
    tally: Tally | None = None

    @property
    def layout(self) -> str:
        """``single`` for one site, ``multi`` for a core site with branch sites."""
        return "multi" if any(s.role == "branch" for s in self.sites) else "single"

    @property
    def core(self) -> SiteFacts | None:
        return next((s for s in self.sites if s.role == "core"), None)

    @property
    def branches(self) -> list[SiteFacts]:
        return [s for s in self.sites if s.role == "branch"]


@dataclass
class MetricValue:
    """A computed quantity. ``complete`` is False when some input was missing, in which
    case ``value`` is a lower bound (only ever used for metrics that can only grow)."""

    value: Fraction | Decimal | int | None
    complete: bool = True
    missing: str | None = None  # what is missing, in words
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class CriterionResult:
    id: str
    article: str
    title: str
    kind: str
    metric: str | None
    scope: str | None
    site: str | None
    op: str | None
    threshold: Decimal | None
    actual: Any
    status: str  # pass | fail | warn | waived | unknown
    strictness: str
    gap: str | None
    wording: str = ""
    unit: str = ""
    local: bool = False
    evidence: str | None = None
    note: str | None = None


@dataclass
class CertificationResult:
    park: str
    park_name: str
    policy: str
    year: int
    as_of: dt.date
    verdict: str
    policy_in_force: bool
    layout: str
    warnings: list[str]
    criteria: list[CriterionResult]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract of ``certify --json`` (numbers stay exact Decimals here)."""
        return {
            "park": self.park,
            "park_name": self.park_name,
            "policy": self.policy,
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "verdict": self.verdict,
            "policy_in_force": self.policy_in_force,
            "layout": self.layout,
            "warnings": list(self.warnings),
            "criteria": [asdict(c) for c in self.criteria],
        }


VERDICT_NAMES = {
    "eligible": "符合认定条件",
    "conditional": "有条件符合（存在需说明的事项）",
    "not_eligible": "不符合认定条件",
    "incomplete": "资料不全，无法判断",
}
STATUS_NAMES = {"pass": "达标", "fail": "未达标", "warn": "提示", "waived": "已说明", "unknown": "无法判断"}


def default_period(*, year: int | None, as_of: dt.date | None, today: dt.date) -> tuple[int, dt.date]:
    """Resolve ``--year``/``--as-of``: head counts are taken at ``as_of``, revenue for ``year``.

    Neither given: as of today, for the last complete calendar year. Only ``--year``: as of
    31 December of that year. Only ``--as-of``: the year ending on that date if it is
    31 December, else the year before.
    """
    if as_of is None:
        as_of = dt.date(year, 12, 31) if year is not None else today
    if year is None:
        year = as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1
    return year, as_of


# --------------------------------------------------------------------------- metrics


def _sites_for(facts: ParkFacts, scope: str, site: SiteFacts | None) -> list[SiteFacts]:
    if scope == "park":
        return list(facts.sites)
    if scope == "core":
        return [facts.core] if facts.core else []
    return [site] if site else []


def tally_tenants(tenants: Iterable[TenantFacts], *, as_of: dt.date, years: Iterable[int]) -> Tally:
    """Sum tenant rows into a :class:`Tally` (the database does the same in SQL)."""
    tenants = list(tenants)
    sites: dict[str, list[Any]] = {}
    for t in tenants:
        if t.present_on(as_of):
            acc = sites.setdefault(t.site_code, [0, 0, Decimal(0), 0])
            acc[0] += 1
            acc[1] += t.hr_service
            if t.leased_area is None:
                acc[3] += 1
            else:
                acc[2] += t.leased_area
    by_year = {}
    for year in years:
        present = [t for t in tenants if t.present_during(year)]
        amounts = [t.revenue[year] for t in present if year in t.revenue]
        by_year[year] = YearTally(len(present), len(amounts), sum(amounts, Decimal(0)))
    return Tally(as_of, {code: SiteTally(*acc) for code, acc in sites.items()}, by_year)


def tally_for(facts: ParkFacts, *, as_of: dt.date, years: Iterable[int]) -> Tally:
    """The park's tally for ``as_of`` and ``years``: the one loaded with it, else summed now."""
    years = set(years)
    if facts.tally is None:
        return tally_tenants(facts.tenants, as_of=as_of, years=years)
    if facts.tally.as_of != as_of or not years <= set(facts.tally.years):
        raise ValueError(f"{facts.code}: facts were tallied for {facts.tally.as_of} and years "
                         f"{sorted(facts.tally.years)}, not {as_of} and {sorted(years)}")
    return facts.tally


def _revenue(year_tally: YearTally, year: int) -> MetricValue:
    if not year_tally.present:
        return MetricValue(None, complete=False, missing=f"{year} 年园区内没有入驻机构")
    unreported = year_tally.present - year_tally.reported
    if not year_tally.reported:
        return MetricValue(None, complete=False, missing=f"缺少 {year} 年营业收入数据（{unreported} 家入驻机构均未填报）")
    detail = {"reported": year_tally.reported, "unreported": unreported}
    if unreported:
        return MetricValue(year_tally.total, complete=False, detail=detail,
                           missing=f"{unreported} 家入驻机构未填报 {year} 年营业收入")
    return MetricValue(year_tally.total, detail=detail)


def metric_years(metric: Metric | None, year: int) -> tuple[int, ...]:
    """The revenue years a metric reads."""
    if metric is Metric.revenue_growth:
        return (year, year - 1)
    return (year,) if metric is Metric.revenue else ()


def compute_metric(facts: ParkFacts, metric: Metric, scope: str, site: SiteFacts | None,
                   *, year: int, as_of: dt.date, tally: Tally | None = None) -> MetricValue:
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
        return MetricValue(sum(c.hr for c in counted), detail={"tenants": sum(c.present for c in counted)})
    if metric is Metric.occupancy:
        building = sum((s.building_area for s in sites), Decimal(0))
        occupied = sum((c.occupied for c in counted), Decimal(0))
        unknown = sum(c.unknown_area for c in counted)
        detail = {"occupied_m2": occupied, "building_area_m2": building}
        if building == 0:
            return MetricValue(None, complete=False, missing="建筑面积为 0，无法计算入驻率", detail=detail)
        ratio = Fraction(occupied) / Fraction(building)
        if unknown:
            return MetricValue(ratio, complete=False, detail=detail,
                               missing=f"{unknown} 家入驻机构缺少入驻面积")
        return MetricValue(ratio, detail=detail)
    if metric is Metric.revenue:
        return _revenue(tally.years[year], year)
    if metric is Metric.revenue_growth:
        current, previous = _revenue(tally.years[year], year), _revenue(tally.years[year - 1], year - 1)
        detail = {"revenue": current.value, "previous_revenue": previous.value}
        if previous.value is None or not previous.complete:
            return MetricValue(None, complete=False, detail=detail,
                               missing=f"缺少 {year - 1} 年完整营业收入数据，无法判断增长")
        if current.value is None:
            return MetricValue(None, complete=False, detail=detail, missing=current.missing)
        if previous.value == 0:
            return MetricValue(None, complete=False, detail=detail,
                               missing=f"{year - 1} 年营业收入为 0，无法计算增长率")
        ratio = Fraction(current.value) / Fraction(previous.value)
        return MetricValue(ratio, complete=current.complete, missing=current.missing, detail=detail)
    raise AssertionError(f"unhandled metric {metric}")


def policy_years(policy: Policy, year: int) -> tuple[int, ...]:
    """The revenue years certifying under ``policy`` for ``year`` reads (the year before only
    for a growth criterion, as in bt-2022)."""
    return tuple(sorted({y for c in policy.criteria for y in metric_years(c.metric, year)}, reverse=True))


# --------------------------------------------------------------------------- wording


def format_money(amount: Decimal | int | Fraction) -> str:
    """Money in the way a bureau writes it: 5亿元, 3500万元, 12,345.67元."""
    value = Decimal(amount.numerator) / Decimal(amount.denominator) if isinstance(amount, Fraction) else Decimal(amount)
    for unit, size in (("亿元", Decimal(100_000_000)), ("万元", Decimal(10_000))):
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
            return f"{scaled:f}{unit}"
    return f"{value.quantize(Decimal('0.01')).normalize():,f}元"


def format_area(area: Decimal | int | Fraction) -> str:
    value = Decimal(area.numerator) / Decimal(area.denominator) if isinstance(area, Fraction) else Decimal(area)
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP).normalize():f}㎡"


def format_percent(ratio: Fraction | Decimal) -> str:
    value = Decimal(ratio.numerator) / Decimal(ratio.denominator) if isinstance(ratio, Fraction) else Decimal(ratio)
    return f"{(value * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f}%"


def format_value(metric: Metric, value: Any) -> str:
    if value is None:
        return "—"
    if metric is Metric.revenue:
        return format_money(value)
    if metric is Metric.building_area:
        return format_area(value)
    if metric in (Metric.occupancy, Metric.revenue_growth):
        return format_percent(value)
    return f"{value}{'家' if metric is Metric.hr_institutions else '个'}"


def required_text(c: CriterionResult) -> str:
    """The requirement in words for tables: 不低于 5000㎡, 提供证明材料."""
    if c.kind == "qualitative":
        return "提供证明材料"
    return f"{OP_WORDS[c.op]} {format_value(Metric(c.metric), c.threshold)}"


def actual_text(c: CriterionResult) -> str:
    """The actual value in words for tables: 32家, 63.3%, 满足, or — when unknown."""
    if c.kind == "qualitative":
        return "—" if c.actual is None else ("满足" if c.actual else "不满足")
    return format_value(Metric(c.metric), c.actual)


def _json_number(metric: Metric, value: Any) -> Any:
    """Exact JSON-friendly value: ratios to 4 decimals, everything else as is."""
    if isinstance(value, Fraction):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return value


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def describe_gap(c: Criterion, mv: MetricValue) -> str:
    """The shortfall in plain words, e.g. 还需 3 家人力资源服务机构."""
    t = Fraction(c.threshold)
    actual = Fraction(mv.value)
    word = next((w for w, _ in ops_in_wording(c.wording)), OP_WORDS[c.op])
    if c.metric is Metric.hr_institutions:
        need = _ceil(t - actual) + (1 if c.op == ">" else 0)
        return f"还需 {need} 家人力资源服务机构"
    if c.metric is Metric.building_area:
        return f"建筑面积差 {format_area(t - actual)}，当前 {format_area(actual)}，要求{word} {format_area(t)}"
    if c.metric is Metric.occupancy:
        building = Fraction(mv.detail["building_area_m2"])
        short = t * building - Fraction(mv.detail["occupied_m2"])
        return (f"入驻面积差 {format_area(short)}，当前 {format_percent(actual)}，"
                f"要求{word} {format_percent(t)}")
    if c.metric is Metric.revenue:
        return f"营业收入差 {format_money(t - actual)}，当前 {format_money(actual)}，要求{word} {format_money(t)}"
    if c.metric is Metric.revenue_growth:
        prev, cur = mv.detail["previous_revenue"], mv.detail["revenue"]
        return (f"营业收入未呈增长：当年 {format_money(cur)}，上年 {format_money(prev)}"
                f"（比值 {format_percent(actual)}，要求{OP_WORDS[c.op]} {format_percent(t)}）")
    if c.metric is Metric.branch_sites:
        return f"分园区 {mv.value} 个，超出 {_ceil(actual - t)} 个（要求{word} {c.threshold} 个）"
    return f"要求{OP_WORDS[c.op]} {c.threshold}，当前 {mv.value}"


# --------------------------------------------------------------------------- evaluation


def _quantitative(c: Criterion, facts: ParkFacts, site: SiteFacts | None, *, year: int,
                  as_of: dt.date, waivers: Mapping[str, WaiverFacts], tally: Tally) -> CriterionResult:
    assert c.metric is not None and c.op is not None and c.threshold is not None
    mv = compute_metric(facts, c.metric, c.scope, site, year=year, as_of=as_of, tally=tally)
    result = CriterionResult(
        id=c.id, article=c.article, title=c.title + (f"（{site.name}）" if site else ""),
        kind=c.kind, metric=c.metric.value, scope=c.scope, site=site.code if site else None,
        op=c.op, threshold=c.threshold, actual=_json_number(c.metric, mv.value), status="unknown",
        strictness=c.strictness, gap=None, wording=c.wording, unit=c.unit, local=c.local,
    )
    if mv.value is None:
        result.gap = mv.missing
        return result
    met = compare(mv.value, c.op, c.threshold)
    if not mv.complete:
        # The known part is a lower bound: it can prove a >=/> threshold, never refute one.
        if met and c.op in (">=", ">"):
            result.status, result.note = "pass", f"{mv.missing}；已填报部分已达标"
        else:
            result.gap = f"{mv.missing}（已填报部分：{format_value(c.metric, mv.value)}）"
        return result
    if met:
        result.status = "pass"
        return result
    result.gap = describe_gap(c, mv)
    if c.strictness == "mandatory":
        result.status = "fail"
        return result
    waiver = waivers.get(c.id)
    if waiver is not None and waiver.valid_on(as_of):
        result.status = "waived"
        result.note = f"已说明（{waiver.by}）：{waiver.reason}" + (f"，有效至 {waiver.until}" if waiver.until else "")
    else:
        result.status = "warn"
    return result


def _qualitative(c: Criterion, facts: ParkFacts) -> CriterionResult:
    att = facts.attestations.get(c.id)
    result = CriterionResult(
        id=c.id, article=c.article, title=c.title, kind="qualitative", metric=None, scope=None,
        site=None, op=None, threshold=None, actual=None, status="unknown", strictness=c.strictness,
        gap=None, wording=c.wording, evidence=att.evidence if att else None,
        note=att.note if att else None,
    )
    if att is None:
        result.gap = f"缺少证明材料（应提供：{c.evidence or '相关材料'}）"
    elif att.met and att.evidence:
        result.status, result.actual = "pass", True
    elif att.met:
        result.gap = "声明已满足但未提供证明材料"
    else:
        result.actual = False
        result.status = "fail" if c.strictness == "mandatory" else "warn"
        result.gap = "自评为未满足" + (f"：{att.note}" if att.note else "")
    return result


def decide_verdict(criteria: Iterable[CriterionResult], policy_in_force: bool) -> str:
    """Any mandatory fail → not_eligible; else any unknown → incomplete; else any warn or an
    expired policy → conditional; else eligible."""
    statuses = [(c.status, c.strictness) for c in criteria]
    if any(s == "fail" and k == "mandatory" for s, k in statuses):
        return "not_eligible"
    if any(s == "unknown" for s, _ in statuses):
        return "incomplete"
    if any(s in ("warn", "fail") for s, _ in statuses) or not policy_in_force:
        return "conditional"
    return "eligible"


def evaluate(policy: Policy, facts: ParkFacts, *, year: int, as_of: dt.date,
             waivers: Mapping[str, WaiverFacts] | None = None,
             successor_title: str | None = None) -> CertificationResult:
    """Check a park against every criterion of a policy for ``year`` (revenue) at ``as_of``."""
    waivers = waivers or {}
    layout = facts.layout
    tally = tally_for(facts, as_of=as_of, years=policy_years(policy, year))
    results: list[CriterionResult] = []
    for c in policy.criteria_for(layout):
        if c.kind == "qualitative":
            results.append(_qualitative(c, facts))
        elif c.scope == "branch":
            results.extend(_quantitative(c, facts, site, year=year, as_of=as_of, waivers=waivers, tally=tally)
                           for site in facts.branches)
        else:
            results.append(_quantitative(c, facts, None, year=year, as_of=as_of, waivers=waivers, tally=tally))
    warnings: list[str] = []
    in_force = policy.in_force(as_of)
    if not in_force:
        if as_of < policy.effective_from:
            warnings.append(f"评估日 {as_of} 早于《{policy.title}》施行日 {policy.effective_from}，政策尚未施行")
        else:
            msg = (f"《{policy.title}》（{policy.document_no}）已于 {policy.effective_until} 失效；"
                   f"以下结果按该政策条件计算，仅供参考")
            if successor_title:
                msg += f"。接续政策：{successor_title}"
            warnings.append(msg)
    if layout == "multi" and "multi" not in policy.layouts and policy.layouts:
        warnings.append("该政策未规定多园区的条件，按园区合计计算")
    for r in results:
        if r.status == "warn":
            warnings.append(f"{r.article} {r.title}：原则性要求未满足，需记录说明理由（parkeval waive）")
    return CertificationResult(
        park=facts.code, park_name=facts.name, policy=policy.id, year=year, as_of=as_of,
        verdict=decide_verdict(results, in_force), policy_in_force=in_force, layout=layout,
        warnings=warnings, criteria=results,
    )


__all__ = [
    "AttestationFacts", "CertificationResult", "CriterionResult", "MetricValue", "ParkFacts",
    "SiteFacts", "SiteTally", "Tally", "TenantFacts", "WaiverFacts", "YearTally", "compute_metric",
    "decide_verdict", "default_period", "evaluate", "format_money", "format_value", "policy_years",
    "tally_tenants", "METRIC_NAMES", "STATUS_NAMES", "VERDICT_NAMES",
]
