"""Storing a validated dossier: the park row in place, its sites, tenants, revenue and
attestations replaced, and the history sections it carries (certifications, targets,
assessments) stored beside what was recorded with commands.

Bulk inserts go to the Core tables through ``executemany``: the ORM's bulk-insert path costs
more than the database itself at province scale (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from parkeval.errors import Problem
from parkeval.intake.schema import Dossier
from parkeval.store.lifecycle import not_voided
from parkeval.store.tables import (
    Attestation,
    Certification,
    Confirmation,
    Park,
    Proposal,
    Rating,
    Rectification,
    Site,
    Target,
    Tenant,
    TenantRevenue,
    Voiding,
    _now,
    insert_row,
)

_site, _tenant = Site.__table__, Tenant.__table__
_revenue, _attestation = TenantRevenue.__table__, Attestation.__table__


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
                    "usable_area_m2": s.usable_area_m2,
                    "property_area_m2": s.property_area_m2,
                    "rented_area_m2": s.rented_area_m2,
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
                    "hr_class": t.hr_class,
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


# What each history section of a dossier becomes: (record kind, table, the fields that make a
# record the same as before).
_HISTORY: dict[str, tuple[Any, tuple[str, ...]]] = {
    "grant": (Certification, ("policy_id", "certified_on", "doc_no", "level")),
    "target": (
        Target,
        ("year", "revenue_yuan", "hr_institutions", "occupancy", "goals", "filed_on"),
    ),
    "rating": (Rating, ("policy_id", "cycle", "year", "rating", "rated_on", "rated_by")),
    "proposal": (Proposal, ("policy_id", "cycle", "year", "rating", "score")),
    "confirmation": (Confirmation, ("policy_id", "cycle", "year", "confirmed_by", "confirmed_on")),
    "rectification": (Rectification, ("policy_id", "cycle", "year", "completed_on")),
}
_PERIOD_KINDS = ("rating", "proposal", "confirmation", "rectification")


def _wanted(
    dossier: Dossier, levels: Mapping[str, str]
) -> dict[str, list[tuple[Any, dict[str, Any]]]]:
    """The records a dossier's history sections stand for, by kind, each with its row."""
    out: dict[str, list[tuple[Any, dict[str, Any]]]] = {kind: [] for kind in _HISTORY}
    for ref, v in dossier.history.get("certifications", []):
        out["grant"].append(
            (
                ref,
                {
                    "policy_id": v["policy"],
                    "certified_on": v["certified_on"],
                    "doc_no": v["doc_no"],
                    "level": v["level"] or levels[v["policy"]],
                },
            )
        )
    for ref, v in dossier.history.get("targets", []):
        out["target"].append((ref, {k: v[k] for k in _HISTORY["target"][1]}))
    for ref, v in dossier.history.get("assessments", []):
        period = {"policy_id": v["policy"], "cycle": v["cycle"], "year": v["year"]}
        if v["rating"]:
            out["rating"].append(
                (
                    ref,
                    {
                        **period,
                        "rating": v["rating"],
                        "rated_on": v["rated_on"],
                        "rated_by": v["rated_by"],
                    },
                )
            )
        if v["proposed_rating"] or v["proposed_score"] is not None:
            out["proposal"].append(
                (ref, {**period, "rating": v["proposed_rating"], "score": v["proposed_score"]})
            )
        if v["confirmed_by"] or v["confirmed_on"]:
            out["confirmation"].append(
                (
                    ref,
                    {
                        **period,
                        "confirmed_by": v["confirmed_by"],
                        "confirmed_on": v["confirmed_on"],
                    },
                )
            )
        if v["rectified_on"]:
            out["rectification"].append((ref, {**period, "completed_on": v["rectified_on"]}))
    return out


def replace_dossier_history(
    session: Session, *, park_id: int, dossier: Dossier, levels: Mapping[str, str], recorded_by: str
) -> list[Problem]:
    """Store a dossier's certifications, targets and assessments (policies and cycles already
    checked against the registry; ``levels`` gives each policy's level name).

    Records an earlier import of the park stored and this dossier no longer has are voided
    (kept, with the reason 档案重新导入); records it has that are not stored yet are added;
    those unchanged are left as they are. Records made with commands are kept, and a dossier
    row that contradicts one is returned as a problem (the caller then rolls the whole import
    back). The life-cycle rules (dates, jurisdiction, history) are checked before, by
    ``app.dossiers.check_dossier_history``, with the commands' own checks.
    """
    wanted = _wanted(dossier, levels)
    problems: list[Problem] = []
    existing: dict[str, list[tuple[int, str, tuple[Any, ...]]]] = {}
    for kind, (table, fields) in _HISTORY.items():
        rows = session.execute(
            select(table.id, table.source, *(getattr(table, f) for f in fields))
            .where(table.park_id == park_id, not_voided(kind, table.id))
            .order_by(table.id)
        ).all()
        existing[kind] = [(row[0], row[1], tuple(row[2:])) for row in rows]
    by_command = {
        kind: [values for _id, source, values in rows if source != "dossier"]
        for kind, rows in existing.items()
    }
    cli_periods = {values[:3] for kind in _PERIOD_KINDS for values in by_command[kind]}
    cli_years = {values[0] for values in by_command["target"]}
    for ref, v in wanted["target"]:
        if v["year"] in cli_years:
            problems.append(
                Problem(ref.at("year"), f"{v['year']} 年度目标已用命令记录，不能再从档案导入")
            )
    for ref, v in dossier.history.get("assessments", []):
        if (v["policy"], v["cycle"], v["year"]) in cli_periods:
            problems.append(
                Problem(
                    ref.at("year"),
                    f"{v['policy']} {v['cycle']} {v['year']} 年度已用命令记录，"
                    "不能再从档案导入（请删除此行）",
                )
            )
    if problems:
        return problems
    reason = f"档案重新导入（{dossier.source}）"
    # Withdrawn on behalf of whoever supplied the dossier (its operator), never the
    # operating-system account: documents list who decided a voiding.
    decided_by = dossier.park.operator or dossier.park.name
    for kind, (table, fields) in _HISTORY.items():
        stored = {values: rid for rid, source, values in existing[kind] if source == "dossier"}
        keep = set()
        for _ref, v in wanted[kind]:
            values = tuple(v[f] for f in fields)
            if values in stored:
                keep.add(values)
                continue
            insert_row(
                session,
                table(park_id=park_id, source="dossier", recorded_by=recorded_by, **v),
            )
        for values, rid in stored.items():
            if values not in keep:
                insert_row(
                    session,
                    Voiding(
                        kind=kind,
                        record_id=rid,
                        park_id=park_id,
                        reason=reason,
                        by=decided_by,
                        recorded_by=recorded_by,
                    ),
                )
    return problems
