"""What is stored about parks: the list, and everything about one park (``parks``, ``show``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from parkeval.app.settings import Settings

if TYPE_CHECKING:
    from parkeval.store.snapshot import ParkSnapshot


@dataclass
class ParkSummary:
    """One line of ``parks``."""

    code: str
    name: str
    province: str | None
    city: str | None
    sites: int
    tenants: int
    revenue_years: list[int]
    imported_at: str  # ISO 8601, to the second


@dataclass
class SiteView:
    code: str
    name: str
    role: str  # core | branch
    building_area_m2: Decimal


@dataclass
class TenantView:
    credit_code: str
    name: str
    site: str  # the site's code
    hr_service: bool
    license_no: str | None
    leased_area_m2: Decimal | None
    move_in: str  # ISO 8601
    move_out: str | None
    revenue: dict[str, Decimal] = field(default_factory=dict)  # year → 元


@dataclass
class AttestationView:
    met: bool
    evidence: str | None
    note: str | None


@dataclass
class ParkDetail:
    """Everything stored about one park (``show --json``); reports hash it as their input."""

    code: str
    name: str
    province: str | None
    city: str | None
    operator: str | None
    operator_type: str | None
    full_time_staff: int | None
    source_file: str | None
    imported_at: str  # ISO 8601, to the second
    layout: str  # single | multi
    sites: list[SiteView]
    tenants: list[TenantView]
    revenue_by_year: dict[str, Decimal]  # year → the sum of every tenant's reported revenue
    attestations: dict[str, AttestationView]


def list_parks(settings: Settings) -> list[ParkSummary]:
    """Every park with its site count, tenant count and the years it has revenue for."""
    from parkeval.store.database import reading
    from parkeval.store.snapshot import list_parks as rows

    with reading(settings.database) as connection:
        return [
            ParkSummary(
                p.code,
                p.name,
                p.province,
                p.city,
                sites,
                tenants,
                years,
                p.imported_at.isoformat(timespec="seconds"),
            )
            for p, sites, tenants, years in rows(connection)
        ]


def park_detail(snapshot: ParkSnapshot) -> ParkDetail:
    """A snapshot loaded with ``roster=True`` in the words of ``show``."""
    park, facts, roster = snapshot.park, snapshot.facts, snapshot.roster or []
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for t in roster:
        for year, amount in t.revenue.items():
            totals[year] += amount
    return ParkDetail(
        code=park.code,
        name=park.name,
        province=park.province,
        city=park.city,
        operator=park.operator,
        operator_type=park.operator_type,
        full_time_staff=park.full_time_staff,
        source_file=park.source_file,
        imported_at=park.imported_at.isoformat(timespec="seconds"),
        layout=facts.layout,
        sites=[SiteView(s.code, s.name, s.role, s.building_area) for s in facts.sites],
        tenants=[
            TenantView(
                t.credit_code,
                t.name,
                t.site,
                t.hr_service,
                t.license_no,
                t.leased_area_m2,
                t.move_in.isoformat(),
                t.move_out.isoformat() if t.move_out else None,
                {str(y): a for y, a in sorted(t.revenue.items())},
            )
            for t in roster
        ],
        revenue_by_year={str(y): totals[y] for y in sorted(totals)},
        attestations={
            k: AttestationView(a.met, a.evidence, a.note)
            for k, a in sorted(facts.attestations.items())
        },
    )


def show_park(settings: Settings, code: str) -> ParkDetail:
    """Everything stored about one park."""
    from parkeval.store.database import reading
    from parkeval.store.snapshot import load_snapshot

    with reading(settings.database) as connection:
        return park_detail(load_snapshot(connection, code=code, roster=True))
