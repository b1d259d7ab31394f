"""Data access in one place: keyword-only functions taking an explicit session.

Bulk paths are set-based: loading the facts for every park is a handful of queries in
all (parks, sites, tenants, revenue for the years asked, attestations), never one query
per park; certifying a province has the database sum the tenant rows (``load_tallied``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from parkeval.dossier import Dossier
from parkeval.engine import (
    AttestationFacts,
    ParkFacts,
    SiteFacts,
    SiteTally,
    Tally,
    TenantFacts,
    YearTally,
)
from parkeval.errors import NotFoundError
from parkeval.models import Attestation, Park, Site, Tenant, TenantRevenue, exact_sum

_CHUNK = 500  # parameters per IN (...) list, well under every backend's limit


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --------------------------------------------------------------------------- writing

# Bulk inserts go to the Core tables: the ORM's bulk-insert path costs more than the
# database itself at province scale (benchmarks/RESULTS.md).
_site, _tenant = Site.__table__, Tenant.__table__  # type: ignore[attr-defined]
_revenue, _attestation = TenantRevenue.__table__, Attestation.__table__  # type: ignore[attr-defined]


def replace_dossier(session: Session, *, dossier: Dossier) -> tuple[int, bool]:
    """Store a dossier: the park row is updated in place (its id, and so every history record
    that refers to it, is kept); sites, tenants, revenue and attestations are replaced.
    Returns (park id, whether the park already existed)."""
    p = dossier.park
    park_values = {
        "name": p.name, "province": p.province, "city": p.city, "operator": p.operator,
        "operator_type": p.operator_type, "full_time_staff": p.full_time_staff,
        "source_file": dossier.source, "input_sha256": dossier.sha256,
    }
    existing = session.execute(select(Park.id).where(Park.code == p.code)).scalar_one_or_none()
    if existing is None:
        park_id = session.execute(
            insert(Park).values(code=p.code, **park_values).returning(Park.id)).scalar_one()
    else:
        park_id = existing
        from parkeval.models import _now

        session.execute(update(Park).where(Park.id == park_id).values(imported_at=_now(), **park_values))
        for table in (TenantRevenue, Attestation, Tenant, Site):
            session.execute(delete(table).where(table.park_id == park_id))

    # Plain executemany, then one query for the new ids (by their natural keys): on SQLite
    # an INSERT … RETURNING that must keep the parameters' order runs one row at a time.
    site_ids: dict[str, int] = {}
    if dossier.sites:
        session.execute(insert(_site), [
            {"park_id": park_id, "code": s.code, "name": s.name, "role": s.role,
             "building_area_m2": s.building_area_m2} for s in dossier.sites])
        site_ids = {code: sid for sid, code in session.execute(
            select(_site.c.id, _site.c.code).where(_site.c.park_id == park_id))}
    if dossier.tenants:
        session.execute(insert(_tenant), [
            {"park_id": park_id, "site_id": site_ids[t.site], "credit_code": t.credit_code,
             "name": t.name, "hr_service": t.hr_service, "license_no": t.license_no,
             "leased_area_m2": t.leased_area_m2, "move_in": t.move_in, "move_out": t.move_out}
            for t in dossier.tenants])
        tenant_ids = dict(session.execute(
            select(_tenant.c.credit_code, _tenant.c.id).where(_tenant.c.park_id == park_id)).all())
        revenue = [{"tenant_id": tenant_ids[t.credit_code], "park_id": park_id, "year": year, "amount_yuan": amount}
                   for t in dossier.tenants for year, amount in sorted(t.revenue.items())]
        if revenue:
            session.execute(insert(_revenue), revenue)
    if dossier.attestations:
        session.execute(insert(_attestation), [
            {"park_id": park_id, "criterion_id": a.criterion_id, "met": a.met,
             "evidence": a.evidence, "note": a.note} for a in dossier.attestations])
    return park_id, existing is not None


# --------------------------------------------------------------------------- reading


def get_park(session: Session, *, code: str) -> Park:
    park = session.execute(select(Park).where(Park.code == code)).scalar_one_or_none()
    if park is None:
        known = session.execute(select(Park.code).order_by(Park.code).limit(20)).scalars().all()
        hint = f"已有园区：{', '.join(known)}" if known else "数据库中还没有园区；先用 parkeval import 导入档案"
        raise NotFoundError(f"未找到园区 “{code}”", hint=hint)
    return park


def list_parks(session: Session) -> list[dict[str, Any]]:
    """Every park with its site count, tenant count and the years it has revenue for."""
    from sqlalchemy import func

    parks = session.execute(select(Park).order_by(Park.code)).scalars().all()
    sites = dict(session.execute(select(Site.park_id, func.count()).group_by(Site.park_id)).all())
    tenants = dict(session.execute(select(Tenant.park_id, func.count()).group_by(Tenant.park_id)).all())
    years: dict[int, list[int]] = defaultdict(list)
    for park_id, year in session.execute(
            select(TenantRevenue.park_id, TenantRevenue.year).distinct().order_by(TenantRevenue.year)):
        years[park_id].append(year)
    return [{"code": p.code, "name": p.name, "province": p.province, "city": p.city,
             "sites": sites.get(p.id, 0), "tenants": tenants.get(p.id, 0),
             "revenue_years": years.get(p.id, []),
             "imported_at": p.imported_at.isoformat(timespec="seconds")} for p in parks]


@dataclass
class LoadedPark:
    id: int  # park.id, which history records refer to
    facts: ParkFacts


class SumOverflow(Exception):
    """SQLite could not sum a column exactly in 64 bits (see ``models.exact_sum``)."""


class _Reader:
    """The parks asked for, and their rows by park: one query per table whatever the number
    of parks (chunked ``IN`` lists when only some parks are named).

    Plain column tuples go through the session's Core connection: the ORM's result
    machinery would cost more than the query itself for a province's rows."""

    def __init__(self, session: Session, codes: Sequence[str] | None) -> None:
        self.connection = session.connection()
        self.dialect = self.connection.dialect.name
        columns = select(Park.id, Park.code, Park.name)
        if codes is not None:
            parks: list[Any] = []
            for chunk in _chunks(list(codes)):
                parks.extend(self.connection.execute(columns.where(Park.code.in_(chunk))))
            found = {p.code for p in parks}
            for code in codes:
                if code not in found:
                    get_park(session, code=code)  # raises with a helpful list
            parks.sort(key=lambda p: p.code)
        else:
            parks = list(self.connection.execute(columns.order_by(Park.code)))
        self.parks, self.everything = parks, codes is None
        self.ids = [p.id for p in parks]

    def rows(self, column: Any, stmt: Any) -> list[Any]:
        # fetchall: iterating a result fetches one row per call, which costs more here
        if self.everything:
            return self.connection.execute(stmt).all()
        return [row for chunk in _chunks(self.ids)
                for row in self.connection.execute(stmt.where(column.in_(chunk))).all()]

    def sites(self) -> tuple[dict[int, list[SiteFacts]], dict[int, tuple[int, str]]]:
        """Sites by park id, and each site id's park id and code."""
        by_park: dict[int, list[SiteFacts]] = defaultdict(list)
        site_of: dict[int, tuple[int, str]] = {}
        for sid, park_id, code, name, role, area in self.rows(Site.park_id, select(
                Site.id, Site.park_id, Site.code, Site.name, Site.role, Site.building_area_m2).order_by(Site.id)):
            by_park[park_id].append(SiteFacts(code, name, role, area))
            site_of[sid] = park_id, code
        return by_park, site_of

    def attestations(self) -> dict[int, dict[str, AttestationFacts]]:
        out: dict[int, dict[str, AttestationFacts]] = defaultdict(dict)
        for park_id, criterion, met, evidence, note in self.rows(Attestation.park_id, select(
                Attestation.park_id, Attestation.criterion_id, Attestation.met, Attestation.evidence,
                Attestation.note)):
            out[park_id][criterion] = AttestationFacts(bool(met), evidence, note)
        return out

    def facts(self, sites: dict[int, list[SiteFacts]], tenants: dict[int, list[TenantFacts]],
              tallies: dict[int, Tally] | None = None) -> list[LoadedPark]:
        attestations = self.attestations()
        return [LoadedPark(p.id, ParkFacts(p.code, p.name, tuple(sites[p.id]), tuple(tenants[p.id]),
                                              attestations[p.id], tallies[p.id] if tallies else None))
                for p in self.parks]


def load_facts(session: Session, *, codes: Sequence[str] | None = None,
               years: Iterable[int] | None = None) -> list[LoadedPark]:
    """Facts for the engine with every tenant row, for the parks named (all when ``codes``
    is None). ``years`` limits the revenue loaded; None loads every year."""
    reader = _Reader(session, codes)
    if not reader.parks:
        return []
    sites, site_of = reader.sites()

    revenue: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rev_stmt = select(TenantRevenue.tenant_id, TenantRevenue.year, TenantRevenue.amount_yuan)
    if years is not None:
        rev_stmt = rev_stmt.where(TenantRevenue.year.in_(sorted(set(years))))
    for tenant_id, year, amount in reader.rows(TenantRevenue.park_id, rev_stmt):
        revenue[tenant_id][year] = amount

    tenants: dict[int, list[TenantFacts]] = defaultdict(list)
    for (tid, park_id, site_id, credit, name, hr, leased, move_in, move_out) in reader.rows(
            Tenant.park_id, select(Tenant.id, Tenant.park_id, Tenant.site_id, Tenant.credit_code,
                                   Tenant.name, Tenant.hr_service, Tenant.leased_area_m2,
                                   Tenant.move_in, Tenant.move_out).order_by(Tenant.id)):
        tenants[park_id].append(TenantFacts(
            credit, name, site_of[site_id][1], bool(hr), leased, move_in, move_out, revenue.get(tid, {})))
    return reader.facts(sites, tenants)


def load_tallied(session: Session, *, codes: Sequence[str] | None, as_of: dt.date,
                 years: Iterable[int]) -> list[LoadedPark]:
    """Facts for certifying on ``as_of`` with revenue for ``years``, the tenant rows summed
    by the database (:class:`~parkeval.engine.Tally`): what ``certify --all`` reads for a
    province. The presence rules are the engine's (``TenantFacts.present_on`` and
    ``present_during``), written in SQL; a test holds both sums equal.

    Raises :class:`SumOverflow` when SQLite cannot sum a column exactly.
    """
    from sqlalchemy import and_, case, func, or_
    from sqlalchemy.exc import OperationalError

    reader = _Reader(session, codes)
    if not reader.parks:
        return []
    years = sorted(set(years))
    sites, site_of = reader.sites()
    area_sum, to_area = exact_sum(Tenant.leased_area_m2, reader.dialect)
    money_sum, to_money = exact_sum(TenantRevenue.amount_yuan, reader.dialect)
    on_day = and_(Tenant.move_in <= as_of, or_(Tenant.move_out.is_(None), Tenant.move_out > as_of))
    site_stmt = (select(Tenant.site_id, func.count(),
                        func.sum(case((Tenant.hr_service, 1), else_=0)), area_sum,
                        func.sum(case((Tenant.leased_area_m2.is_(None), 1), else_=0)))
                 .where(on_day).group_by(Tenant.site_id))
    site_tallies: dict[int, dict[str, SiteTally]] = defaultdict(dict)
    year_tallies: dict[int, dict[int, YearTally]] = defaultdict(dict)
    try:
        for site_id, present, hr, occupied, unknown in reader.rows(Tenant.park_id, site_stmt):
            park_id, code = site_of[site_id]
            site_tallies[park_id][code] = SiteTally(present, int(hr), to_area(occupied), int(unknown))
        for year in years:
            during = and_(Tenant.move_in <= dt.date(year, 12, 31), or_(
                Tenant.move_out.is_(None),
                and_(Tenant.move_out > Tenant.move_in, Tenant.move_out > dt.date(year, 1, 1))))
            year_stmt = (select(Tenant.park_id, func.count(), func.count(TenantRevenue.amount_yuan), money_sum)
                         .select_from(Tenant)
                         .outerjoin(TenantRevenue, and_(TenantRevenue.tenant_id == Tenant.id,
                                                        TenantRevenue.year == year))
                         .where(during).group_by(Tenant.park_id))
            for park_id, present, reported, total in reader.rows(Tenant.park_id, year_stmt):
                year_tallies[park_id][year] = YearTally(present, reported, to_money(total))
    except OperationalError as exc:
        if "integer overflow" in str(exc.orig):
            raise SumOverflow(str(exc.orig)) from exc
        raise
    tallies = {pid: Tally(as_of, site_tallies[pid], {y: year_tallies[pid].get(y, YearTally()) for y in years})
               for pid in reader.ids}
    return reader.facts(sites, defaultdict(list), tallies)


def park_detail(session: Session, *, code: str, facts: ParkFacts | None = None) -> dict[str, Any]:
    """Everything stored about one park (for ``parkeval show``); ``facts``, when the caller
    has already loaded them with :func:`load_facts`, are not read again."""
    park = get_park(session, code=code)
    if facts is None:
        facts = load_facts(session, codes=[code])[0].facts
    tenants = session.execute(select(Tenant, Site.code).join(Site, Site.id == Tenant.site_id)
                              .where(Tenant.park_id == park.id).order_by(Tenant.id)).all()
    revenue_rows = session.execute(select(TenantRevenue.tenant_id, TenantRevenue.year, TenantRevenue.amount_yuan)
                                   .where(TenantRevenue.park_id == park.id)).all()
    by_tenant: dict[int, dict[int, Decimal]] = defaultdict(dict)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for tid, year, amount in revenue_rows:
        by_tenant[tid][year] = amount
        totals[year] += amount
    return {
        "code": park.code, "name": park.name, "province": park.province, "city": park.city,
        "operator": park.operator, "operator_type": park.operator_type,
        "full_time_staff": park.full_time_staff, "source_file": park.source_file,
        "imported_at": park.imported_at.isoformat(timespec="seconds"),
        "layout": facts.layout,
        "sites": [{"code": s.code, "name": s.name, "role": s.role, "building_area_m2": s.building_area}
                  for s in facts.sites],
        "tenants": [{"credit_code": t.credit_code, "name": t.name, "site": site, "hr_service": t.hr_service,
                     "license_no": t.license_no, "leased_area_m2": t.leased_area_m2,
                     "move_in": t.move_in.isoformat(), "move_out": t.move_out.isoformat() if t.move_out else None,
                     "revenue": {str(y): a for y, a in sorted(by_tenant[t.id].items())}}
                    for t, site in tenants],
        "revenue_by_year": {str(y): totals[y] for y in sorted(totals)},
        "attestations": {k: {"met": a.met, "evidence": a.evidence, "note": a.note}
                         for k, a in sorted(facts.attestations.items())},
    }
