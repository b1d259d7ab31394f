"""Writing a park's life-cycle records: applications, recognitions, waivers, ratings and
proposals, confirmations, rectifications and targets.

Each function adds or changes rows in the caller's transaction; the checks against the
recorded history are the pure rules' (:mod:`parkeval.domain.lifecycle`), made by the use
case (:mod:`parkeval.app.lifecycle`) before it calls here. Reading the records back is the
snapshot loader's job (:func:`parkeval.store.snapshot.load_snapshots` with ``history=True``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from parkeval.store.tables import Application, Assessment, Certification, Target, Waiver


def add_application(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    received_on: dt.date,
    materials: list[str],
    recorded_by: str,
) -> None:
    """Record an application (申报) with the ids of the materials submitted."""
    session.add(
        Application(
            park_id=park_id,
            policy_id=policy_id,
            received_on=received_on,
            materials=",".join(materials),
            recorded_by=recorded_by,
        )
    )


def add_certification(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    certified_on: dt.date,
    doc_no: str | None,
    level: str,
    recorded_by: str,
    source: str = "cli",
) -> None:
    """Record a recognition (认定/授牌)."""
    session.add(
        Certification(
            park_id=park_id,
            policy_id=policy_id,
            certified_on=certified_on,
            doc_no=doc_no,
            level=level,
            recorded_by=recorded_by,
            source=source,
        )
    )


def add_waiver(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    criterion_id: str,
    reason: str,
    by: str,
    until: dt.date | None,
) -> None:
    """Record a justification for an unmet in-principle criterion."""
    session.add(
        Waiver(
            park_id=park_id,
            policy_id=policy_id,
            criterion_id=criterion_id,
            reason=reason,
            by=by,
            until=until,
        )
    )


@dataclass(frozen=True)
class AssessmentRow:
    """An assessment as stored, for the checks a confirmation or a rectification needs."""

    source: str  # cli | dossier
    rating: str | None
    rated_on: dt.date | None
    proposed_rating: str | None
    confirmed_by: str | None
    confirmed_on: dt.date | None
    rectified_on: dt.date | None


def _assessment(
    session: Session, park_id: int, policy_id: str, cycle: str, year: int
) -> Assessment | None:
    return session.execute(
        select(Assessment).where(
            Assessment.park_id == park_id,
            Assessment.policy_id == policy_id,
            Assessment.cycle == cycle,
            Assessment.year == year,
        )
    ).scalar_one_or_none()


def find_assessment(
    session: Session, *, park_id: int, policy_id: str, cycle: str, year: int
) -> AssessmentRow | None:
    """The stored assessment of one period, if there is one."""
    row = _assessment(session, park_id, policy_id, cycle, year)
    if row is None:
        return None
    return AssessmentRow(
        row.source,
        row.rating,
        row.rated_on,
        row.proposed_rating,
        row.confirmed_by,
        row.confirmed_on,
        row.rectified_on,
    )


def _assessment_for_update(
    session: Session, park_id: int, policy_id: str, cycle: str, year: int
) -> Assessment:
    row = _assessment(session, park_id, policy_id, cycle, year)
    return (
        row
        if row is not None
        else Assessment(park_id=park_id, policy_id=policy_id, cycle=cycle, year=year)
    )


def record_rating(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    cycle: str,
    year: int,
    rating: str,
    rated_on: dt.date,
    rated_by: str,
) -> str | None:
    """Store an official rating on the period's assessment (made if missing); returns the
    proposal already stored for the period, if any."""
    row = _assessment_for_update(session, park_id, policy_id, cycle, year)
    row.rating, row.rated_on, row.rated_by = rating, rated_on, rated_by
    session.add(row)
    session.flush()
    return row.proposed_rating


def save_proposal(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    cycle: str,
    year: int,
    rating: str,
    score: Decimal,
    proposed_on: dt.date,
) -> None:
    """Store a proposed rating and score (an official rating already recorded is kept)."""
    row = _assessment_for_update(session, park_id, policy_id, cycle, year)
    row.proposed_rating, row.proposed_score, row.proposed_on = rating, score, proposed_on
    session.add(row)


def set_confirmation(
    session: Session, *, park_id: int, policy_id: str, cycle: str, year: int, by: str, on: dt.date
) -> None:
    """Record the city bureau's confirmation on an existing assessment."""
    row = _assessment(session, park_id, policy_id, cycle, year)
    assert row is not None, "checked by the caller"
    row.confirmed_by, row.confirmed_on = by, on
    session.add(row)


def set_rectified(
    session: Session, *, park_id: int, policy_id: str, cycle: str, year: int, on: dt.date
) -> None:
    """Record that the rectification after a 不合格 rating was completed."""
    row = _assessment(session, park_id, policy_id, cycle, year)
    assert row is not None, "checked by the caller"
    row.rectified_on = on
    session.add(row)


def target_source(session: Session, *, park_id: int, year: int) -> str | None:
    """Where a year's targets came from (cli, dossier), or None when none are filed."""
    return session.execute(
        select(Target.source).where(Target.park_id == park_id, Target.year == year)
    ).scalar_one_or_none()


def file_target(
    session: Session,
    *,
    park_id: int,
    year: int,
    revenue_yuan: Decimal | None,
    hr_institutions: int | None,
    occupancy: Decimal | None,
    goals: str | None,
    filed_on: dt.date,
) -> None:
    """File (or replace) a year's targets."""
    row = session.execute(
        select(Target).where(Target.park_id == park_id, Target.year == year)
    ).scalar_one_or_none()
    if row is None:
        row = Target(park_id=park_id, year=year)
    row.revenue_yuan, row.hr_institutions, row.occupancy, row.goals = (
        revenue_yuan,
        hr_institutions,
        occupancy,
        goals,
    )
    row.filed_on, row.source = filed_on, "cli"
    session.add(row)
