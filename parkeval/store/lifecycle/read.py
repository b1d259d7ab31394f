"""Reading a park's life-cycle records back: the records in force, period by period, and the
voided ones with why — one query per table, whatever the number of parks."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from parkeval.domain.lifecycle import (
    ApplicationRecord,
    AssessmentRecord,
    CertificationRecord,
    LifecycleRecords,
    RetirementRecord,
    TargetRecord,
    VoidedRecord,
    WaiverRecord,
)
from parkeval.domain.wording import describe_record
from parkeval.store.lifecycle.kinds import not_voided
from parkeval.store.tables import (
    Application,
    Certification,
    Confirmation,
    Proposal,
    Rating,
    Rectification,
    Retirement,
    Target,
    Voiding,
    Waiver,
)
from parkeval.store.tally import Rows


def _rows_of(rows: Rows, table: Any, *columns: Any) -> list[Any]:
    return rows.rows(table.park_id, select(table.id, table.park_id, *columns).order_by(table.id))


def read_records(rows: Rows) -> dict[int, LifecycleRecords]:
    """Every park's life-cycle records in force, and the voided ones with why (one query per
    table, whatever the number of parks)."""
    voidings = {
        (kind, record_id): (reason, by, at)
        for kind, record_id, reason, by, at in rows.rows(
            Voiding.park_id,
            select(
                Voiding.kind, Voiding.record_id, Voiding.reason, Voiding.by, Voiding.recorded_at
            ),
        )
    }
    out: dict[int, LifecycleRecords] = defaultdict(LifecycleRecords)

    def keep(
        kind: str, record_id: int, park_id: int, policy_id: str | None, fields: dict[str, Any]
    ) -> bool:
        voiding = voidings.get((kind, record_id))
        if voiding is None:
            return True
        reason, by, at = voiding
        out[park_id].voided.append(
            VoidedRecord(
                kind,
                record_id,
                policy_id,
                describe_record(kind, policy_id, fields),
                reason,
                by,
                at.date(),
            )
        )
        return False

    c = Certification
    for rid, pid, policy, on, level, doc_no, override, source in _rows_of(
        rows, c, c.policy_id, c.certified_on, c.level, c.doc_no, c.override_reason, c.source
    ):
        if keep("grant", rid, pid, policy, {"certified_on": on, "doc_no": doc_no}):
            out[pid].certifications.append(
                CertificationRecord(policy, on, level, doc_no, rid, override, source)
            )

    periods: dict[tuple[int, str, str, int], dict[str, Any]] = defaultdict(dict)

    def period(pid: int, policy: str, cycle: str, year: int, source: str, **fields: Any) -> None:
        record = periods[(pid, policy, cycle, year)]
        record.update(fields)
        record["from_dossier"] = record.get("from_dossier", False) or source == "dossier"

    for rid, pid, policy, cycle, year, source, rating, on, by in _rows_of(
        rows,
        Rating,
        Rating.policy_id,
        Rating.cycle,
        Rating.year,
        Rating.source,
        Rating.rating,
        Rating.rated_on,
        Rating.rated_by,
    ):
        if keep("rating", rid, pid, policy, {"year": year, "rating": rating, "date": on, "by": by}):
            period(
                pid,
                policy,
                cycle,
                year,
                source,
                rating=rating,
                rated_on=on,
                rated_by=by,
                rating_id=rid,
            )
    for rid, pid, policy, cycle, year, source, rating, score, proposed_on in _rows_of(
        rows,
        Proposal,
        Proposal.policy_id,
        Proposal.cycle,
        Proposal.year,
        Proposal.source,
        Proposal.rating,
        Proposal.score,
        Proposal.proposed_on,
    ):
        if keep(
            "proposal", rid, pid, policy, {"year": year, "rating": rating, "date": proposed_on}
        ):
            period(  # the latest proposal of a period counts
                pid,
                policy,
                cycle,
                year,
                source,
                proposed_rating=rating,
                proposed_score=score,
                proposal_id=rid,
                proposed_on=proposed_on,
            )
    for rid, pid, policy, cycle, year, source, by, on in _rows_of(
        rows,
        Confirmation,
        Confirmation.policy_id,
        Confirmation.cycle,
        Confirmation.year,
        Confirmation.source,
        Confirmation.confirmed_by,
        Confirmation.confirmed_on,
    ):
        if keep("confirmation", rid, pid, policy, {"year": year, "by": by, "date": on}):
            period(
                pid,
                policy,
                cycle,
                year,
                source,
                confirmed_by=by,
                confirmed_on=on,
                confirmation_id=rid,
            )
    for rid, pid, policy, cycle, year, source, on in _rows_of(
        rows,
        Rectification,
        Rectification.policy_id,
        Rectification.cycle,
        Rectification.year,
        Rectification.source,
        Rectification.completed_on,
    ):
        if keep("rectification", rid, pid, policy, {"year": year, "date": on}):
            period(pid, policy, cycle, year, source, rectified_on=on, rectification_id=rid)
    for (pid, policy, cycle, year), fields in sorted(
        periods.items(), key=lambda kv: (kv[0][0], kv[0][3], kv[0][2])
    ):
        out[pid].assessments.append(AssessmentRecord(policy, cycle, year, **fields))

    t = Target
    for rid, pid, year, revenue, hr, occupancy, goals, filed_on, source in _rows_of(
        rows,
        t,
        t.year,
        t.revenue_yuan,
        t.hr_institutions,
        t.occupancy,
        t.goals,
        t.filed_on,
        t.source,
    ):
        if keep("target", rid, pid, None, {"year": year, "date": filed_on}):
            out[pid].targets.append(
                TargetRecord(year, revenue, hr, occupancy, goals, rid, filed_on, source)
            )
    for rid, pid, policy, received_on, materials in _rows_of(
        rows, Application, Application.policy_id, Application.received_on, Application.materials
    ):
        if keep("application", rid, pid, policy, {"date": received_on}):
            ids = tuple(m for m in materials.split(",") if m)
            out[pid].applications.append(ApplicationRecord(policy, received_on, ids, rid))
    w = Waiver
    for rid, pid, policy, criterion, reason, by, until, at in _rows_of(
        rows, w, w.policy_id, w.criterion_id, w.reason, w.by, w.until, w.recorded_at
    ):
        if keep("waiver", rid, pid, policy, {"criterion": criterion, "reason": reason}):
            out[pid].waivers.append(
                WaiverRecord(policy, criterion, reason, by, until, rid, at.date())
            )
    r = Retirement
    for rid, pid, on, reason, by in _rows_of(rows, r, r.retired_on, r.reason, r.by):
        if keep("retirement", rid, pid, None, {"date": on, "reason": reason}):
            out[pid].retirements.append(RetirementRecord(on, reason, by, rid))
    return out


def titled_parks(connection: Connection, policy_ids: list[str]) -> set[int]:
    """The ids of the parks holding a recognition (not voided) under any of the policies —
    granted in the jurisdiction or, with a stated reason, outside it (one query)."""
    if not policy_ids:
        return set()
    c = Certification
    return set(
        connection.execute(
            select(c.park_id)
            .where(c.policy_id.in_(policy_ids), not_voided("grant", c.id))  # type: ignore[attr-defined]
            .distinct()
        ).scalars()
    )
