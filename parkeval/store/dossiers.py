"""Storing a validated dossier: the park row in place, its sites, tenants, revenue and
attestations replaced, and the history sections it carries (certifications, targets,
assessments) stored beside what was recorded with commands.

Bulk inserts go to the Core tables through ``executemany``: the ORM's bulk-insert path costs
more than the database itself at province scale (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from parkeval.errors import Problem
from parkeval.intake.schema import Dossier
from parkeval.store.tables import (
    Assessment,
    Attestation,
    Certification,
    Park,
    Site,
    Target,
    Tenant,
    TenantRevenue,
    _now,
)

_site, _tenant = Site.__table__, Tenant.__table__  # type: ignore[attr-defined]
_revenue, _attestation = TenantRevenue.__table__, Attestation.__table__  # type: ignore[attr-defined]


def replace_dossier(session: Session, *, dossier: Dossier) -> tuple[int, bool]:
    """Store a dossier: the park row is updated in place (its id, and so every history record
    that refers to it, is kept); sites, tenants, revenue and attestations are replaced.
    Returns (park id, whether the park already existed)."""
    p = dossier.park
    park_values = {
        "name": p.name,
        "province": p.province,
        "city": p.city,
        "operator": p.operator,
        "operator_type": p.operator_type,
        "full_time_staff": p.full_time_staff,
        "source_file": dossier.source,
        "input_sha256": dossier.sha256,
    }
    existing = session.execute(select(Park.id).where(Park.code == p.code)).scalar_one_or_none()
    if existing is None:
        park_id = session.execute(
            insert(Park).values(code=p.code, **park_values).returning(Park.id)
        ).scalar_one()
    else:
        park_id = existing
        session.execute(
            update(Park).where(Park.id == park_id).values(imported_at=_now(), **park_values)
        )
        for table in (TenantRevenue, Attestation, Tenant, Site):
            session.execute(delete(table).where(table.park_id == park_id))  # type: ignore[attr-defined]

    # Plain executemany, then one query for the new ids (by their natural keys): on SQLite
    # an INSERT … RETURNING that must keep the parameters' order runs one row at a time.
    site_ids: dict[str, int] = {}
    if dossier.sites:
        session.execute(
            insert(_site),
            [
                {
                    "park_id": park_id,
                    "code": s.code,
                    "name": s.name,
                    "role": s.role,
                    "building_area_m2": s.building_area_m2,
                }
                for s in dossier.sites
            ],
        )
        site_ids = {
            code: sid
            for sid, code in session.execute(
                select(_site.c.id, _site.c.code).where(_site.c.park_id == park_id)
            )
        }
    if dossier.tenants:
        session.execute(
            insert(_tenant),
            [
                {
                    "park_id": park_id,
                    "site_id": site_ids[t.site],
                    "credit_code": t.credit_code,
                    "name": t.name,
                    "hr_service": t.hr_service,
                    "license_no": t.license_no,
                    "leased_area_m2": t.leased_area_m2,
                    "move_in": t.move_in,
                    "move_out": t.move_out,
                }
                for t in dossier.tenants
            ],
        )
        tenant_ids = dict(
            session.execute(
                select(_tenant.c.credit_code, _tenant.c.id).where(_tenant.c.park_id == park_id)
            ).all()
        )
        revenue = [
            {
                "tenant_id": tenant_ids[t.credit_code],
                "park_id": park_id,
                "year": year,
                "amount_yuan": amount,
            }
            for t in dossier.tenants
            for year, amount in sorted(t.revenue.items())
        ]
        if revenue:
            session.execute(insert(_revenue), revenue)
    if dossier.attestations:
        session.execute(
            insert(_attestation),
            [
                {
                    "park_id": park_id,
                    "criterion_id": a.criterion_id,
                    "met": a.met,
                    "evidence": a.evidence,
                    "note": a.note,
                }
                for a in dossier.attestations
            ],
        )
    return park_id, existing is not None


def replace_dossier_history(
    session: Session, *, park_id: int, dossier: Dossier, levels: Mapping[str, str], recorded_by: str
) -> list[Problem]:
    """Store a dossier's certifications, targets and assessments (policies and cycles already
    checked against the registry; ``levels`` gives each policy's level name).

    Rows from an earlier import of the park are replaced; rows recorded with commands are
    kept, and a dossier row that contradicts one is returned as a problem (the caller then
    rolls the whole import back).
    """
    sections = {k: dossier.history.get(k, []) for k in ("certifications", "targets", "assessments")}
    for table in (Certification, Target, Assessment):
        session.execute(delete(table).where(table.park_id == park_id, table.source == "dossier"))  # type: ignore[attr-defined]
    if not any(sections.values()):
        return []
    problems: list[Problem] = []
    existing_certs: set[tuple[str, dt.date]] = set(
        session.execute(
            select(Certification.policy_id, Certification.certified_on).where(
                Certification.park_id == park_id
            )
        ).all()
    )
    existing_assessments: set[tuple[str, str, int]] = set(
        session.execute(
            select(Assessment.policy_id, Assessment.cycle, Assessment.year).where(
                Assessment.park_id == park_id
            )
        ).all()
    )
    existing_targets = set(
        session.execute(select(Target.year).where(Target.park_id == park_id)).scalars()
    )
    all_certs = existing_certs | {
        (v["policy"], v["certified_on"]) for _, v in sections["certifications"]
    }
    for _ref, v in sections["certifications"]:
        if (v["policy"], v["certified_on"]) in existing_certs:
            continue  # already recorded with `grant`
        session.add(
            Certification(
                park_id=park_id,
                policy_id=v["policy"],
                certified_on=v["certified_on"],
                doc_no=v["doc_no"],
                level=v["level"] or levels[v["policy"]],
                source="dossier",
                recorded_by=recorded_by,
            )
        )
    for ref, v in sections["targets"]:
        if v["year"] in existing_targets:
            problems.append(
                Problem(ref.at("year"), f"{v['year']} 年度目标已用命令记录，不能再从档案导入")
            )
            continue
        session.add(
            Target(
                park_id=park_id,
                year=v["year"],
                revenue_yuan=v["revenue_yuan"],
                hr_institutions=v["hr_institutions"],
                occupancy=v["occupancy"],
                goals=v["goals"],
                filed_on=v["filed_on"],
                source="dossier",
            )
        )
    for ref, v in sections["assessments"]:
        key = (v["policy"], v["cycle"], v["year"])
        if key in existing_assessments:
            problems.append(
                Problem(
                    ref.at("year"),
                    f"{v['policy']} {v['cycle']} {v['year']} 年度已用命令记录，"
                    "不能再从档案导入（请删除此行）",
                )
            )
            continue
        if v["rating"] and not any(
            policy == v["policy"] and on.year <= v["year"] for policy, on in all_certs
        ):
            problems.append(
                Problem(
                    ref.at("year"), f"{v['year']} 年度园区尚未获 {v['policy']} 认定，不能有正式等次"
                )
            )
            continue
        session.add(
            Assessment(
                park_id=park_id,
                policy_id=v["policy"],
                cycle=v["cycle"],
                year=v["year"],
                rating=v["rating"],
                rated_on=v["rated_on"],
                rated_by=v["rated_by"],
                proposed_rating=v["proposed_rating"],
                proposed_score=v["proposed_score"],
                confirmed_by=v["confirmed_by"],
                confirmed_on=v["confirmed_on"],
                rectified_on=v["rectified_on"],
                source="dossier",
            )
        )
    return problems
