"""What the recording use cases share: the park read inside the writing transaction, and the
audit-log entry that goes with each record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parkeval.domain import lifecycle as lc

if TYPE_CHECKING:
    from parkeval.store.database import Session
    from parkeval.store.snapshot import ParkRow


def read_history(session: Session, park_code: str) -> tuple[ParkRow, lc.LifecycleRecords]:
    """The park's row and its recorded life, read inside the writing transaction."""
    from parkeval.store.snapshot import load_snapshot

    snapshot = load_snapshot(session.connection(), code=park_code, history=True)
    assert snapshot.history is not None
    return snapshot.park, snapshot.history


def period_record(
    records: lc.LifecycleRecords, policy_id: str, cycle: str, year: int
) -> lc.AssessmentRecord | None:
    """The records in force of one assessment period, if any."""
    return next(
        (
            a
            for a in records.assessments
            if a.policy_id == policy_id and a.cycle == cycle and a.year == year
        ),
        None,
    )


def title_records(records: lc.LifecycleRecords, policy_id: str) -> lc.LifecycleRecords:
    """The records of one policy's titles only: a park may hold titles under several policies
    (a 市级 title and a 自治区级 one), and each is derived on its own."""
    return lc.LifecycleRecords(
        certifications=[c for c in records.certifications if c.policy_id == policy_id],
        assessments=[a for a in records.assessments if a.policy_id == policy_id],
        targets=records.targets,
        applications=[a for a in records.applications if a.policy_id == policy_id],
    )
