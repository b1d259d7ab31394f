"""Data access in one place: keyword-only functions taking an explicit session.

Bulk paths are set-based: loading the facts for every park is a handful of queries in
all (parks, sites, tenants, revenue for the years asked, attestations), never one query
per park.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from parkeval.dossier import Dossier
from parkeval.engine import AttestationFacts, ParkFacts, SiteFacts, TenantFacts
from parkeval.errors import NotFoundError
from parkeval.models import Attestation, Park, Site, Tenant, TenantRevenue

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
    id: int
    park: Park
    facts: ParkFacts


def load_facts(session: Session, *, codes: Sequence[str] | None = None,
               years: Iterable[int] | None = None) -> list[LoadedPark]:
    """Facts for the engine, for the parks named (all when ``codes`` is None).

    Five queries whatever the number of parks. ``years`` limits the revenue loaded
    (certification needs the year and the year before); None loads every year.
    """
    query = select(Park).order_by(Park.code)
    if codes is not None:
        parks: list[Park] = []
        for chunk in _chunks(list(codes)):
            parks.extend(session.execute(select(Park).where(Park.code.in_(chunk))).scalars())
        found = {p.code for p in parks}
        for code in codes:
            if code not in found:
                get_park(session, code=code)  # raises with a helpful list
        parks.sort(key=lambda p: p.code)
    else:
        parks = list(session.execute(query).scalars())
    if not parks:
        return []
    ids = [p.id for p in parks]
    everything = codes is None

    # Plain column tuples through the session's Core connection: the ORM's result
    # machinery would cost more than the query itself for a province's rows.
    connection = session.connection()

    def where_park(column: Any, stmt: Any) -> Iterable[Any]:
        if everything:
            yield from connection.execute(stmt)
        else:
            for chunk in _chunks(ids):
                yield from connection.execute(stmt.where(column.in_(chunk)))

    sites_by_park: dict[int, list[SiteFacts]] = defaultdict(list)
    site_code: dict[int, str] = {}
    for sid, park_id, code, name, role, area in where_park(Site.park_id, select(
            Site.id, Site.park_id, Site.code, Site.name, Site.role, Site.building_area_m2).order_by(Site.id)):
        sites_by_park[park_id].append(SiteFacts(code, name, role, area))
        site_code[sid] = code

    revenue: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rev_stmt = select(TenantRevenue.tenant_id, TenantRevenue.year, TenantRevenue.amount_yuan)
    if years is not None:
        rev_stmt = rev_stmt.where(TenantRevenue.year.in_(sorted(set(years))))
    for tenant_id, year, amount in where_park(TenantRevenue.park_id, rev_stmt):
        revenue[tenant_id][year] = amount

    tenants_by_park: dict[int, list[TenantFacts]] = defaultdict(list)
    for (tid, park_id, site_id, credit, name, hr, leased, move_in, move_out) in where_park(
            Tenant.park_id, select(Tenant.id, Tenant.park_id, Tenant.site_id, Tenant.credit_code,
                                   Tenant.name, Tenant.hr_service, Tenant.leased_area_m2,
                                   Tenant.move_in, Tenant.move_out).order_by(Tenant.id)):
        tenants_by_park[park_id].append(TenantFacts(
            credit, name, site_code[site_id], bool(hr), leased, move_in, move_out, revenue.get(tid, {})))

    attestations: dict[int, dict[str, AttestationFacts]] = defaultdict(dict)
    for park_id, criterion, met, evidence, note in where_park(Attestation.park_id, select(
            Attestation.park_id, Attestation.criterion_id, Attestation.met, Attestation.evidence,
            Attestation.note)):
        attestations[park_id][criterion] = AttestationFacts(bool(met), evidence, note)

    return [LoadedPark(p.id, p, ParkFacts(p.code, p.name, tuple(sites_by_park[p.id]),
                                          tuple(tenants_by_park[p.id]), attestations[p.id]))
            for p in parks]


def park_detail(session: Session, *, code: str) -> dict[str, Any]:
    """Everything stored about one park (for ``parkeval show``)."""
    park = get_park(session, code=code)
    loaded = load_facts(session, codes=[code])[0]
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
        "layout": loaded.facts.layout,
        "sites": [{"code": s.code, "name": s.name, "role": s.role, "building_area_m2": s.building_area}
                  for s in loaded.facts.sites],
        "tenants": [{"credit_code": t.credit_code, "name": t.name, "site": site, "hr_service": t.hr_service,
                     "license_no": t.license_no, "leased_area_m2": t.leased_area_m2,
                     "move_in": t.move_in.isoformat(), "move_out": t.move_out.isoformat() if t.move_out else None,
                     "revenue": {str(y): a for y, a in sorted(by_tenant[t.id].items())}}
                    for t, site in tenants],
        "revenue_by_year": {str(y): totals[y] for y in sorted(totals)},
        "attestations": {k: {"met": a.met, "evidence": a.evidence, "note": a.note}
                         for k, a in sorted(loaded.facts.attestations.items())},
    }
