"""What-if, pure: a park's facts changed as supposed (a tenant leaves, moves out on a day,
joins; a site's area or the revenue changes), judged before and after, side by side; and the
tenants whose departure alone would break a threshold (the reports' 风险提示).

Nothing here is stored: the changed facts exist only for the comparison. Tenants are summed
again from their rows (:func:`~parkeval.domain.facts.tally_tenants`, the rules the database
applies); a departure is a tenant's contribution taken off the sums
(:func:`~parkeval.domain.facts.tally_without`), which a test holds equal to summing again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from parkeval.domain.eligibility import evaluate
from parkeval.domain.facts import (
    ParkFacts,
    SiteFacts,
    TenantFacts,
    WaiverFacts,
    tally_for,
    tally_without,
)
from parkeval.domain.metrics import criterion_years, policy_years
from parkeval.domain.results import CertificationResult, CriterionResult
from parkeval.domain.wording import STATUS_NAMES, actual_text, format_date, format_money
from parkeval.policy.model import AREA_KINDS, Metric, Policy

CENT = Decimal("0.01")


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Without:
    """The tenant was never in the park (its head count, area and revenue go)."""

    credit_code: str
    name: str

    def apply(self, facts: ParkFacts, years: tuple[int, ...]) -> ParkFacts:
        """The facts without the tenant."""
        tenants = tuple(t for t in facts.tenants if t.credit_code != self.credit_code)
        return dataclasses.replace(facts, tenants=tenants, tally=None)

    def describe(self, years: tuple[int, ...]) -> str:
        """The change in words."""
        return f"{self.name} 不在园区（不计其机构数、入驻面积与营业收入）"


@dataclass(frozen=True)
class MoveOut:
    """The tenant moves out on a day (not counted from that day on)."""

    credit_code: str
    name: str
    on: dt.date

    def apply(self, facts: ParkFacts, years: tuple[int, ...]) -> ParkFacts:
        """The facts with the tenant's move-out day set."""
        tenants = tuple(
            dataclasses.replace(t, move_out=self.on) if t.credit_code == self.credit_code else t
            for t in facts.tenants
        )
        return dataclasses.replace(facts, tenants=tenants, tally=None)

    def describe(self, years: tuple[int, ...]) -> str:
        """The change in words."""
        return f"{self.name} 于 {format_date(self.on)} 迁出"


@dataclass(frozen=True)
class AddTenants:
    """New tenants join (from a file in the dossier's tenant format)."""

    tenants: tuple[TenantFacts, ...]
    source: str

    def apply(self, facts: ParkFacts, years: tuple[int, ...]) -> ParkFacts:
        """The facts with the new tenants."""
        return dataclasses.replace(facts, tenants=(*facts.tenants, *self.tenants), tally=None)

    def describe(self, years: tuple[int, ...]) -> str:
        """The change in words."""
        names = "、".join(t.name for t in self.tenants[:3]) + (
            "等" if len(self.tenants) > 3 else ""
        )
        return f"新入驻 {len(self.tenants)} 家机构（{names}，{self.source}）"


@dataclass(frozen=True)
class SetArea:
    """A site's area of one kind becomes ``area`` ㎡."""

    site: str
    site_name: str
    kind: str
    area: Decimal

    def apply(self, facts: ParkFacts, years: tuple[int, ...]) -> ParkFacts:
        """The facts with the site's area changed."""
        sites = tuple(self._changed(s) if s.code == self.site else s for s in facts.sites)
        return dataclasses.replace(facts, sites=sites)

    def _changed(self, site: SiteFacts) -> SiteFacts:
        areas = {kind: site.area(kind) for kind in AREA_KINDS} | {self.kind: self.area}
        return SiteFacts(
            site.code,
            site.name,
            site.role,
            areas["building"],
            areas["usable"],
            areas["property"],
            areas["rented"],
        )

    def describe(self, years: tuple[int, ...]) -> str:
        """The change in words."""
        return f"{self.site_name}{AREA_KINDS[self.kind]}改为 {self.area}㎡"


@dataclass(frozen=True)
class ScaleRevenue:
    """Every tenant's revenue in the years the policy's revenue criteria read as their own
    (for a growth criterion, the later year) changes by ``percent`` (+10 = 10 % more),
    rounded to the fen."""

    percent: Decimal

    def apply(self, facts: ParkFacts, years: tuple[int, ...]) -> ParkFacts:
        """The facts with the revenue of ``years`` scaled."""
        factor = 1 + self.percent / 100
        tenants = tuple(
            dataclasses.replace(
                t,
                revenue={
                    y: (a * factor).quantize(CENT, rounding=ROUND_HALF_UP) if y in years else a
                    for y, a in t.revenue.items()
                },
            )
            for t in facts.tenants
        )
        return dataclasses.replace(facts, tenants=tenants, tally=None)

    def describe(self, years: tuple[int, ...]) -> str:
        """The change in words."""
        sign = "+" if self.percent >= 0 else ""
        return f"各入驻机构 {'、'.join(map(str, years))} 年营业收入 {sign}{self.percent.normalize():f}%"


@dataclass(frozen=True)
class SetRevenue:
    """One tenant's revenue in those years becomes ``amount`` 元."""

    credit_code: str
    name: str
    amount: Decimal

    def apply(self, facts: ParkFacts, years: tuple[int, ...]) -> ParkFacts:
        """The facts with the tenant's revenue set for ``years``."""
        tenants = tuple(
            dataclasses.replace(t, revenue={**t.revenue, **dict.fromkeys(years, self.amount)})
            if t.credit_code == self.credit_code
            else t
            for t in facts.tenants
        )
        return dataclasses.replace(facts, tenants=tenants, tally=None)

    def describe(self, years: tuple[int, ...]) -> str:
        """The change in words."""
        return f"{self.name} {'、'.join(map(str, years))} 年营业收入为 {format_money(self.amount)}"


Change = Without | MoveOut | AddTenants | SetArea | ScaleRevenue | SetRevenue


def changed_years(policy: Policy, year: int, as_of: dt.date) -> tuple[int, ...]:
    """The revenue years a revenue change applies to: those the policy's revenue criteria read
    as their own (all years of a span; for a growth criterion only the later year)."""
    years: set[int] = set()
    for c in policy.criteria:
        read = criterion_years(c, year, as_of)
        if c.metric is Metric.revenue:
            years |= set(read)
        elif c.metric is Metric.revenue_growth:
            years.add(read[-1])
    return tuple(sorted(years)) or (year,)


# --------------------------------------------------------------------------- before and after


@dataclass
class CriterionChange:
    """One criterion (one row per branch site) before and after."""

    id: str
    site: str | None
    article: str
    title: str
    before_status: str
    after_status: str
    before_actual: str
    after_actual: str
    after_gap: str | None
    changed: bool


@dataclass
class WhatIfOutcome:
    """The verdict and every criterion before and after, and what was supposed."""

    changes: list[str]
    verdict_before: str
    verdict_after: str
    criteria: list[CriterionChange]
    before: CertificationResult
    after: CertificationResult

    @property
    def verdict_changed(self) -> bool:
        """Whether the supposed changes change the verdict."""
        return self.verdict_before != self.verdict_after


def _side_by_side(before: CertificationResult, after: CertificationResult) -> list[CriterionChange]:
    after_rows = {(r.id, r.site): r for r in after.criteria}
    out = []
    keys = [(r.id, r.site) for r in before.criteria]
    keys += [k for k in after_rows if k not in set(keys)]  # a branch site added or a layout change
    before_rows = {(r.id, r.site): r for r in before.criteria}
    for key in keys:
        b, a = before_rows.get(key), after_rows.get(key)
        row = a or b
        assert row is not None

        def status(r: CriterionResult | None) -> str:
            return r.status if r is not None else "absent"

        def actual(r: CriterionResult | None) -> str:
            return actual_text(r) if r is not None else "—"

        out.append(
            CriterionChange(
                row.id,
                row.site,
                row.article,
                row.title,
                status(b),
                status(a),
                actual(b),
                actual(a),
                (a.gap or a.note) if a is not None else "该条件不再适用",
                (status(b), actual(b)) != (status(a), actual(a)),
            )
        )
    return out


def what_if(
    policy: Policy,
    facts: ParkFacts,
    changes: Iterable[Change],
    *,
    year: int,
    as_of: dt.date,
    waivers: Mapping[str, WaiverFacts] | None = None,
    today: dt.date | None = None,
) -> WhatIfOutcome:
    """Judge ``facts`` (with their tenant rows) as they are and with ``changes`` applied in
    order; nothing is kept."""
    changes = list(changes)
    years = changed_years(policy, year, as_of)
    kwargs = {"year": year, "as_of": as_of, "waivers": waivers, "today": today}
    before = evaluate(policy, facts, **kwargs)  # type: ignore[arg-type]
    changed = dataclasses.replace(facts, tally=None)
    for change in changes:
        changed = change.apply(changed, years)
    after = evaluate(policy, changed, **kwargs)  # type: ignore[arg-type]
    return WhatIfOutcome(
        [c.describe(years) for c in changes],
        before.verdict,
        after.verdict,
        _side_by_side(before, after),
        before,
        after,
    )


# --------------------------------------------------------------------------- departure risks


@dataclass
class Breach:
    """A threshold met now that a tenant's departure alone would break."""

    criterion: str
    site: str | None
    article: str
    title: str
    actual: str  # now
    after: str  # without the tenant
    status: str  # what it would become: fail, warn, unknown
    status_name: str


@dataclass
class DepartureRisk:
    """A tenant whose departure alone would break at least one threshold."""

    credit_code: str
    name: str
    site: str
    breaches: list[Breach] = field(default_factory=list)


def departure_risks(
    policy: Policy,
    facts: ParkFacts,
    *,
    year: int,
    as_of: dt.date,
    waivers: Mapping[str, WaiverFacts] | None = None,
) -> list[DepartureRisk]:
    """The tenants whose departure alone would turn a criterion met today into one not met
    (the one HR institution that keeps a branch at 10家), most breaches first. ``facts`` must
    carry the tenant rows."""
    tally = tally_for(facts, as_of=as_of, years=policy_years(policy, year, as_of))
    now = evaluate(policy, dataclasses.replace(facts, tally=tally), year=year, as_of=as_of,
                   waivers=waivers)  # fmt: skip
    met = {(r.id, r.site): r for r in now.criteria if r.status == "pass"}
    sites = {s.code: s for s in facts.sites}
    years = set(tally.years)
    risks = []
    for tenant in facts.tenants:
        if not (tenant.present_on(as_of) or any(tenant.present_during(y) for y in years)):
            continue  # neither counted on the day nor in a year read: its departure changes nothing
        without = dataclasses.replace(facts, tally=tally_without(tally, tenant))
        result = evaluate(policy, without, year=year, as_of=as_of, waivers=waivers)
        breaches = [
            Breach(
                r.id,
                r.site,
                r.article,
                r.title,
                actual_text(met[(r.id, r.site)]),
                actual_text(r),
                r.status,
                STATUS_NAMES[r.status],
            )
            for r in result.criteria
            if (r.id, r.site) in met and r.status != "pass"
        ]
        if breaches:
            site = sites.get(tenant.site_code)
            risks.append(
                DepartureRisk(
                    tenant.credit_code,
                    tenant.name,
                    site.name if isinstance(site, SiteFacts) else tenant.site_code,
                    breaches,
                )
            )
    risks.sort(key=lambda r: (-len(r.breaches), r.name))
    return risks
