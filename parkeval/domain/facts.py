"""Plain facts about a park, as the rules read them: sites, tenants, attestations, waivers,
and the sums (tallies) of tenant rows on a day and per year.

Who counts (the README's "Interpretations (the contract)" table):

* A tenant counts at a date if it moved in on or before that date and has not moved out
  by it (a move-out day is not counted): :meth:`TenantFacts.present_on`.
* Park revenue for year Y sums tenants present on at least one day of Y:
  :meth:`TenantFacts.present_during`.
* A tenant's class (``licensed``, ``filed``, ``licensed_or_filed``, ``public``, ``none``) says
  which institution thresholds it counts toward; every tenant counts toward occupied area and
  revenue. A site carries the kinds of area its dossier gives (建筑面积, 使用面积, …).

The database applies the same two rules in SQL for a province (``parkeval.store.snapshot``);
:func:`tally_tenants` applies them to a dossier's rows, and a property test holds both equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class SiteFacts:
    code: str
    name: str
    role: str  # "core" | "branch"
    building_area: Decimal | None  # 建筑面积; None when the dossier does not give it
    usable_area: Decimal | None = None  # 使用面积
    property_area: Decimal | None = None  # 产权面积
    rented_area: Decimal | None = None  # 租赁面积

    def area(self, kind: str) -> Decimal | None:
        """The site's area of one kind (building, usable, property, rented), None if not given."""
        value: Decimal | None = getattr(self, f"{kind}_area")
        return value


@dataclass(frozen=True)
class TenantFacts:
    credit_code: str
    name: str
    site_code: str
    hr_class: str  # licensed | filed | licensed_or_filed | public | none
    leased_area: Decimal | None
    move_in: dt.date
    move_out: dt.date | None
    revenue: Mapping[int, Decimal] = field(default_factory=dict)

    @property
    def hr_service(self) -> bool:
        """Whether the tenant is an HR service institution of any class."""
        return self.hr_class != "none"

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
        """Whether the justification still holds on ``day`` (no end date: always)."""
        return self.until is None or day <= self.until


@dataclass(frozen=True)
class SiteTally:
    """The tenants of one site present on the day counts are taken."""

    present: int = 0
    hr: int = 0  # of which HR service institutions (any class)
    occupied: Decimal = Decimal(0)  # leased area of those that gave one
    unknown_area: int = 0  # present tenants without a leased area
    licensed: int = 0  # of the HR institutions: holding a 许可证
    filed: int = 0  # with a 备案
    public: int = 0  # 公共人力资源服务机构 (the rest of ``hr`` say 许可证 or 备案, not which)

    def institutions(self, classes: Iterable[str]) -> tuple[int, int]:
        """The institutions of the classes a criterion counts: (those that surely count, those
        that may: a tenant that says 许可证或备案 counts surely when both count, maybe when one
        does)."""
        chosen = set(classes)
        either = self.hr - self.licensed - self.filed - self.public
        sure = sum(getattr(self, c) for c in ("licensed", "filed", "public") if c in chosen)
        commercial = chosen & {"licensed", "filed"}
        if commercial == {"licensed", "filed"}:
            return sure + either, 0
        return sure, either if commercial else 0


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
    province: str | None = None  # where the park is, as its dossier says (for jurisdiction)
    city: str | None = None

    @property
    def layout(self) -> str:
        """``single`` for one site, ``multi`` for a core site with branch sites."""
        return "multi" if any(s.role == "branch" for s in self.sites) else "single"

    @property
    def core(self) -> SiteFacts | None:
        """The core site (核心园区), if there is one."""
        return next((s for s in self.sites if s.role == "core"), None)

    @property
    def branches(self) -> list[SiteFacts]:
        """The branch sites (分园区), in dossier order."""
        return [s for s in self.sites if s.role == "branch"]


_CLASS_SLOT = {"licensed": 4, "filed": 5, "public": 6}  # SiteTally's fields, in order


def tally_tenants(tenants: Iterable[TenantFacts], *, as_of: dt.date, years: Iterable[int]) -> Tally:
    """Sum tenant rows into a :class:`Tally` (the database does the same in SQL)."""
    tenants = list(tenants)
    sites: dict[str, list[Any]] = {}
    for t in tenants:
        if t.present_on(as_of):
            acc = sites.setdefault(t.site_code, [0, 0, Decimal(0), 0, 0, 0, 0])
            acc[0] += 1
            acc[1] += t.hr_class != "none"
            if t.leased_area is None:
                acc[3] += 1
            else:
                acc[2] += t.leased_area
            if t.hr_class in _CLASS_SLOT:
                acc[_CLASS_SLOT[t.hr_class]] += 1
    by_year = {}
    for year in years:
        present = [t for t in tenants if t.present_during(year)]
        amounts = [t.revenue[year] for t in present if year in t.revenue]
        by_year[year] = YearTally(len(present), len(amounts), sum(amounts, Decimal(0)))
    return Tally(as_of, {code: SiteTally(*acc) for code, acc in sites.items()}, by_year)


def tally_without(tally: Tally, tenant: TenantFacts) -> Tally:
    """The tally as it would be had ``tenant`` never been in the park: its contribution taken
    off the sums (equal to summing the other rows again; a test holds them equal)."""
    sites = dict(tally.sites)
    if tenant.present_on(tally.as_of) and tenant.site_code in sites:
        s = sites[tenant.site_code]
        cls = tenant.hr_class
        smaller = SiteTally(
            s.present - 1,
            s.hr - (cls != "none"),
            s.occupied - (tenant.leased_area or 0),
            s.unknown_area - (tenant.leased_area is None),
            s.licensed - (cls == "licensed"),
            s.filed - (cls == "filed"),
            s.public - (cls == "public"),
        )
        if smaller.present:
            sites[tenant.site_code] = smaller
        else:
            del sites[tenant.site_code]
    years = dict(tally.years)
    for year, y in tally.years.items():
        if tenant.present_during(year):
            amount = tenant.revenue.get(year)
            years[year] = YearTally(
                y.present - 1,
                y.reported - (amount is not None),
                y.total - (amount or 0),
            )
    return Tally(tally.as_of, sites, years)


def tally_for(facts: ParkFacts, *, as_of: dt.date, years: Iterable[int]) -> Tally:
    """The park's tally for ``as_of`` and ``years``: the one loaded with it, else summed now."""
    years = set(years)
    if facts.tally is None:
        return tally_tenants(facts.tenants, as_of=as_of, years=years)
    if facts.tally.as_of != as_of or not years <= set(facts.tally.years):
        raise ValueError(
            f"{facts.code}: facts were tallied for {facts.tally.as_of} and years "
            f"{sorted(facts.tally.years)}, not {as_of} and {sorted(years)}"
        )
    return facts.tally
