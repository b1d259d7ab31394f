"""The one park snapshot loader: everything a park's evaluation needs, for a day and years.

:func:`load_snapshots` reads, for the parks asked (all of them, or a list of codes), in a
fixed number of queries whatever the number of parks:

* the park rows, their sites and attestations;
* the tenant rows summed by the database (:class:`~parkeval.domain.facts.Tally`): head counts,
  HR institutions and leased area per site on ``as_of``; revenue per park and year;
* the waivers recorded under one policy (the latest per criterion);
* with ``history=True``, the life-cycle records (certifications, assessments, targets,
  applications);
* with ``roster=True``, every tenant row with all its revenue (for reports and ``show``).

``certify``, ``assess``, ``status``, ``due``, ``report`` and ``verify`` all read parks through
it, so a report loads each park once.

Who is present is decided in SQL in one place, :mod:`parkeval.store.tally`.

Plain column tuples go through the Core connection: the ORM's result machinery would cost
more than the queries themselves for a province's rows.

Why this module is long: it is the one reader of a park's rows (one query per table, for
one park or a province); splitting it would put the queries that must agree on which parks
and rows they read into different places.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from parkeval.domain.facts import (
    AttestationFacts,
    ParkFacts,
    SiteFacts,
    Tally,
    TenantFacts,
    WaiverFacts,
)
from parkeval.domain.lifecycle import LifecycleRecords
from parkeval.errors import NotFoundError
from parkeval.store.lifecycle import not_voided, read_records
from parkeval.store.tables import (
    Attestation,
    Park,
    Retirement,
    Site,
    Tenant,
    TenantRevenue,
    Waiver,
)
from parkeval.store.tally import sum_tenants

_CHUNK = 500  # parameters per IN (...) list, well under every backend's limit


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- what comes back


@dataclass(frozen=True)
class ParkRow:
    """The park's own row: identity, location, operator, and where its dossier came from."""

    id: int  # park.id, which every history record refers to
    code: str
    name: str
    province: str | None
    city: str | None
    operator: str | None
    operator_type: str | None
    full_time_staff: int | None
    source_file: str | None
    imported_at: dt.datetime


@dataclass(frozen=True)
class RosterTenant:
    """One tenant row as stored, with every year of revenue it reported."""

    id: int
    credit_code: str
    name: str
    site: str  # the site's code
    hr_class: str  # licensed | filed | licensed_or_filed | public | none
    license_no: str | None
    leased_area_m2: Decimal | None
    move_in: dt.date
    move_out: dt.date | None
    revenue: dict[int, Decimal]

    @property
    def hr_service(self) -> bool:
        """Whether the tenant is an HR service institution of any class."""
        return self.hr_class != "none"

    def facts(self) -> TenantFacts:
        """The tenant as the rules read it."""
        return TenantFacts(
            self.credit_code,
            self.name,
            self.site,
            self.hr_class,
            self.leased_area_m2,
            self.move_in,
            self.move_out,
            self.revenue,
        )


@dataclass
class ParkSnapshot:
    """Everything loaded for one park."""

    park: ParkRow
    facts: ParkFacts  # sites, attestations and (when a day was given) the tally
    waivers: dict[str, WaiverFacts]  # under the policy asked for, by criterion id
    history: LifecycleRecords | None = None  # with history=True
    roster: list[RosterTenant] | None = None  # with roster=True
    # under each of the policies asked for with ``policy_ids``: policy id → criterion id → waiver
    policy_waivers: dict[str, dict[str, WaiverFacts]] = field(default_factory=dict)


# --------------------------------------------------------------------------- the loader


def get_park(connection: Connection, *, code: str) -> ParkRow:
    """One park's row, or :class:`NotFoundError` listing the parks there are."""
    rows = _park_rows(connection, [code])
    if not rows:
        raise _not_found(connection, code)
    return rows[0]


def _not_found(connection: Connection, code: str) -> NotFoundError:
    known = connection.execute(select(Park.code).order_by(Park.code).limit(20)).scalars().all()
    hint = (
        f"已有园区：{', '.join(known)}"
        if known
        else "数据库中还没有园区；先用 parkeval import 导入档案"
    )
    return NotFoundError(f"未找到园区 “{code}”", hint=hint)


_PARK_COLUMNS = (
    Park.id,
    Park.code,
    Park.name,
    Park.province,
    Park.city,
    Park.operator,
    Park.operator_type,
    Park.full_time_staff,
    Park.source_file,
    Park.imported_at,
)


def _park_rows(connection: Connection, codes: Sequence[str] | None) -> list[ParkRow]:
    stmt = select(*_PARK_COLUMNS)
    if codes is None:
        return [ParkRow(*r) for r in connection.execute(stmt.order_by(Park.code)).all()]
    rows = [
        ParkRow(*r)
        for chunk in _chunks(list(codes))
        for r in connection.execute(stmt.where(Park.code.in_(chunk)))
    ]
    return sorted(rows, key=lambda p: p.code)


class _Reader:
    """One query per table for the parks asked: the whole table when every park is asked,
    chunked ``IN`` lists otherwise."""

    def __init__(self, connection: Connection, parks: list[ParkRow], everything: bool) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.parks, self.everything = parks, everything
        self.ids = [p.id for p in parks]

    def rows(self, column: Any, stmt: Any) -> list[Any]:
        # fetchall: iterating a result fetches one row per call, which costs more here
        if self.everything:
            return list(self.connection.execute(stmt).all())
        return [
            row
            for chunk in _chunks(self.ids)
            for row in self.connection.execute(stmt.where(column.in_(chunk))).all()
        ]

    def sites(self) -> tuple[dict[int, list[SiteFacts]], dict[int, tuple[int, str]]]:
        """Sites by park id, and each site id's park id and code."""
        by_park: dict[int, list[SiteFacts]] = defaultdict(list)
        site_of: dict[int, tuple[int, str]] = {}
        stmt = select(
            Site.id,
            Site.park_id,
            Site.code,
            Site.name,
            Site.role,
            Site.building_area_m2,
            Site.usable_area_m2,
            Site.property_area_m2,
            Site.rented_area_m2,
        ).order_by(Site.id)
        for sid, park_id, code, name, role, *areas in self.rows(Site.park_id, stmt):
            by_park[park_id].append(SiteFacts(code, name, role, *areas))
            site_of[sid] = park_id, code
        return by_park, site_of

    def attestations(self) -> dict[int, dict[str, AttestationFacts]]:
        out: dict[int, dict[str, AttestationFacts]] = defaultdict(dict)
        stmt = select(
            Attestation.park_id,
            Attestation.criterion_id,
            Attestation.met,
            Attestation.evidence,
            Attestation.note,
        )
        for park_id, criterion, met, evidence, note in self.rows(Attestation.park_id, stmt):
            out[park_id][criterion] = AttestationFacts(bool(met), evidence, note)
        return out

    def waivers(self, policy_ids: Sequence[str]) -> dict[int, dict[str, dict[str, WaiverFacts]]]:
        """The latest waiver per criterion under each of ``policy_ids``, for each park: park id
        → policy id → criterion id → waiver."""
        out: dict[int, dict[str, dict[str, WaiverFacts]]] = defaultdict(lambda: defaultdict(dict))
        stmt = (
            select(
                Waiver.park_id,
                Waiver.policy_id,
                Waiver.criterion_id,
                Waiver.reason,
                Waiver.by,
                Waiver.until,
            )
            .where(Waiver.policy_id.in_(list(policy_ids)), not_voided("waiver", Waiver.id))
            .order_by(Waiver.recorded_at, Waiver.id)
        )
        for park_id, policy, criterion, reason, by, until in self.rows(Waiver.park_id, stmt):
            out[park_id][policy][criterion] = WaiverFacts(criterion, reason, by, until)
        return out

    def revenue_years(self) -> dict[int, set[int]]:
        """Every year each park has any revenue row for."""
        out: dict[int, set[int]] = defaultdict(set)
        stmt = select(TenantRevenue.park_id, TenantRevenue.year).distinct()
        for park_id, year in self.rows(TenantRevenue.park_id, stmt):
            out[park_id].add(year)
        return out

    def roster(self, site_of: dict[int, tuple[int, str]]) -> dict[int, list[RosterTenant]]:
        revenue: dict[int, dict[int, Decimal]] = defaultdict(dict)
        stmt = select(
            TenantRevenue.tenant_id, TenantRevenue.year, TenantRevenue.amount_yuan
        ).order_by(TenantRevenue.tenant_id, TenantRevenue.year)
        for tenant_id, year, amount in self.rows(TenantRevenue.park_id, stmt):
            revenue[tenant_id][year] = amount
        out: dict[int, list[RosterTenant]] = defaultdict(list)
        stmt = select(
            Tenant.id,
            Tenant.park_id,
            Tenant.site_id,
            Tenant.credit_code,
            Tenant.name,
            Tenant.hr_class,
            Tenant.license_no,
            Tenant.leased_area_m2,
            Tenant.move_in,
            Tenant.move_out,
        ).order_by(Tenant.id)
        for (
            tid,
            park_id,
            site_id,
            credit,
            name,
            hr_class,
            license_no,
            leased,
            move_in,
            move_out,
        ) in self.rows(Tenant.park_id, stmt):
            out[park_id].append(
                RosterTenant(
                    tid,
                    credit,
                    name,
                    site_of[site_id][1],
                    hr_class,
                    license_no,
                    leased,
                    move_in,
                    move_out,
                    revenue.get(tid, {}),
                )
            )
        return out

    def history(self) -> dict[int, LifecycleRecords]:
        """The life-cycle records of each park (see :func:`parkeval.store.lifecycle.read_records`)."""
        return read_records(self)


def load_snapshots(
    connection: Connection,
    *,
    codes: Sequence[str] | None,
    as_of: dt.date | None = None,
    years: Iterable[int] = (),
    policy_id: str | None = None,
    policy_ids: Sequence[str] = (),
    history: bool = False,
    roster: bool = False,
    every_revenue_year: bool = False,
) -> list[ParkSnapshot]:
    """Load the parks named (every park when ``codes`` is None), in code order.

    ``as_of`` and ``years``: sum the tenant rows for head counts on that day and revenue for
    those years (no sums when ``as_of`` is None); ``every_revenue_year`` adds every year the
    park has revenue for. ``policy_id``: the waivers recorded under it (``policy_ids``: under
    each of several, in ``policy_waivers``, for ``compare``). ``history``: the
    life-cycle records. ``roster``: every tenant row with its revenue (and the facts' tenants).
    An unknown code is a :class:`NotFoundError` that lists the parks there are.
    """
    parks = _park_rows(connection, codes)
    if codes is not None and len(parks) < len(set(codes)):
        found = {p.code for p in parks}
        raise _not_found(connection, next(c for c in codes if c not in found))
    if not parks:
        return []
    reader = _Reader(connection, parks, everything=codes is None)
    sites, site_of = reader.sites()
    attestations = reader.attestations()
    wanted_policies = [*([policy_id] if policy_id is not None else []), *policy_ids]
    waivers = reader.waivers(wanted_policies) if wanted_policies else {}
    tallies: dict[int, Tally] = {}
    if as_of is not None:
        wanted = set(years)
        if every_revenue_year:
            wanted |= {y for ys in reader.revenue_years().values() for y in ys}
        tallies = sum_tenants(reader, site_of, as_of, sorted(wanted))
    records = reader.history() if history else {}
    tenants = reader.roster(site_of) if roster else {}
    out = []
    for p in parks:
        mine = tenants.get(p.id, []) if roster else None
        facts = ParkFacts(
            p.code,
            p.name,
            tuple(sites.get(p.id, ())),
            tuple(t.facts() for t in mine or ()),
            attestations.get(p.id, {}),
            tallies.get(p.id),
            p.province,
            p.city,
        )
        out.append(
            ParkSnapshot(
                p,
                facts,
                dict(waivers.get(p.id, {}).get(policy_id or "", {})),
                records.get(p.id, LifecycleRecords()) if history else None,
                mine,
                {pid: dict(waivers.get(p.id, {}).get(pid, {})) for pid in policy_ids},
            )
        )
    return out


def load_snapshot(connection: Connection, *, code: str, **options: Any) -> ParkSnapshot:
    """One park's snapshot (see :func:`load_snapshots` for the options)."""
    return load_snapshots(connection, codes=[code], **options)[0]


def list_parks(connection: Connection) -> list[tuple[ParkRow, int, int, list[int]]]:
    """Every park with its number of sites, of tenants, and the years it has revenue for."""
    parks = _park_rows(connection, None)
    sites = dict(
        connection.execute(select(Site.park_id, func.count()).group_by(Site.park_id)).all()
    )
    tenants = dict(
        connection.execute(select(Tenant.park_id, func.count()).group_by(Tenant.park_id)).all()
    )
    years: dict[int, list[int]] = defaultdict(list)
    stmt = select(TenantRevenue.park_id, TenantRevenue.year).distinct().order_by(TenantRevenue.year)
    for park_id, year in connection.execute(stmt):
        years[park_id].append(year)
    return [(p, sites.get(p.id, 0), tenants.get(p.id, 0), years.get(p.id, [])) for p in parks]


def park_code_of(connection: Connection, *, park_id: int) -> str:
    """The code of the park with this id."""
    return str(connection.execute(select(Park.code).where(Park.id == park_id)).scalar_one())


def park_index(connection: Connection) -> list[tuple[ParkRow, bool]]:
    """Every park's row and whether it is retired (a retirement not voided)."""
    retired = set(
        connection.execute(
            select(Retirement.park_id).where(not_voided("retirement", Retirement.id))
        ).scalars()
    )
    return [(p, p.id in retired) for p in _park_rows(connection, None)]
