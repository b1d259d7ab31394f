"""Plain facts about a park, as the rules read them: sites, tenants, attestations, waivers,
and the sums (tallies) of tenant rows on a day and per year.

Who counts (the README's "Interpretations (the contract)" table):

* A tenant counts at a date if it moved in on or before that date and has not moved out
  by it (a move-out day is not counted): :meth:`TenantFacts.present_on`.
* Park revenue for year Y sums tenants present on at least one day of Y:
  :meth:`TenantFacts.present_during`.

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
        """Whether the justification still holds on ``day`` (no end date: always)."""
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
        raise ValueError(
            f"{facts.code}: facts were tallied for {facts.tally.as_of} and years "
            f"{sorted(facts.tally.years)}, not {as_of} and {sorted(years)}"
        )
    return facts.tally
