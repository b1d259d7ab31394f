"""Writing a park's life-cycle records: applications, recognitions, waivers, ratings and
proposals, confirmations, rectifications, targets, retirements, and the voidings that withdraw
any of them. Every record is a new row; nothing is updated or deleted.

The checks against the recorded history are the pure rules' (:mod:`parkeval.domain.lifecycle`),
made by the use cases (:mod:`parkeval.app.lifecycle`) before they call here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from parkeval.store.lifecycle.kinds import KINDS
from parkeval.store.tables import (
    Application,
    Certification,
    Confirmation,
    NewRow,
    Proposal,
    Rating,
    Rectification,
    Retirement,
    Target,
    Voiding,
    Waiver,
    insert_row,
)


def add_application(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    received_on: dt.date,
    materials: list[str],
    recorded_by: str,
) -> int:
    """Record an application (申报) with the ids of the materials submitted; its record id."""
    return _add(
        session,
        Application(
            park_id=park_id,
            policy_id=policy_id,
            received_on=received_on,
            materials=",".join(materials),
            recorded_by=recorded_by,
        ),
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
    override_reason: str | None = None,
    source: str = "cli",
) -> int:
    """Record a recognition (认定/授牌); its record id."""
    return _add(
        session,
        Certification(
            park_id=park_id,
            policy_id=policy_id,
            certified_on=certified_on,
            doc_no=doc_no,
            level=level,
            recorded_by=recorded_by,
            override_reason=override_reason,
            source=source,
        ),
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
) -> int:
    """Record a justification for an unmet in-principle criterion; its record id."""
    return _add(
        session,
        Waiver(
            park_id=park_id,
            policy_id=policy_id,
            criterion_id=criterion_id,
            reason=reason,
            by=by,
            until=until,
        ),
    )


def add_rating(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    cycle: str,
    year: int,
    rating: str,
    rated_on: dt.date,
    rated_by: str,
    recorded_by: str,
) -> int:
    """Record an official rating of one period; its record id."""
    return _add(
        session,
        Rating(
            park_id=park_id,
            policy_id=policy_id,
            cycle=cycle,
            year=year,
            rating=rating,
            rated_on=rated_on,
            rated_by=rated_by,
            recorded_by=recorded_by,
        ),
    )


def add_proposal(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    cycle: str,
    year: int,
    rating: str,
    score: Decimal,
    proposed_on: dt.date,
    recorded_by: str,
) -> int:
    """Record a proposed rating and score (the latest proposal of a period counts)."""
    return _add(
        session,
        Proposal(
            park_id=park_id,
            policy_id=policy_id,
            cycle=cycle,
            year=year,
            rating=rating,
            score=score,
            proposed_on=proposed_on,
            recorded_by=recorded_by,
        ),
    )


def add_confirmation(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    cycle: str,
    year: int,
    by: str,
    on: dt.date,
    recorded_by: str,
) -> int:
    """Record the city bureau's confirmation of a period's self-evaluation; its record id."""
    return _add(
        session,
        Confirmation(
            park_id=park_id,
            policy_id=policy_id,
            cycle=cycle,
            year=year,
            confirmed_by=by,
            confirmed_on=on,
            recorded_by=recorded_by,
        ),
    )


def add_rectification(
    session: Session,
    *,
    park_id: int,
    policy_id: str,
    cycle: str,
    year: int,
    on: dt.date,
    recorded_by: str,
) -> int:
    """Record that the rectification after a 不合格 rating was completed; its record id."""
    return _add(
        session,
        Rectification(
            park_id=park_id,
            policy_id=policy_id,
            cycle=cycle,
            year=year,
            completed_on=on,
            recorded_by=recorded_by,
        ),
    )


def add_target(
    session: Session,
    *,
    park_id: int,
    year: int,
    revenue_yuan: Decimal | None,
    hr_institutions: int | None,
    occupancy: Decimal | None,
    goals: str | None,
    filed_on: dt.date,
    recorded_by: str,
) -> int:
    """File a year's targets (a new record; the latest filing of a year counts)."""
    return _add(
        session,
        Target(
            park_id=park_id,
            year=year,
            revenue_yuan=revenue_yuan,
            hr_institutions=hr_institutions,
            occupancy=occupancy,
            goals=goals,
            filed_on=filed_on,
            recorded_by=recorded_by,
        ),
    )


def add_retirement(
    session: Session, *, park_id: int, retired_on: dt.date, reason: str, by: str, recorded_by: str
) -> int:
    """Retire a park from lists and ``--all``; its record id."""
    return _add(
        session,
        Retirement(
            park_id=park_id, retired_on=retired_on, reason=reason, by=by, recorded_by=recorded_by
        ),
    )


def _add(session: Session, row: NewRow) -> int:
    return insert_row(session, row)


@dataclass(frozen=True)
class RecordRef:
    """Which park a record belongs to, where it came from, and whether it is voided already."""

    park_id: int
    source: str  # cli | dossier
    voided: tuple[str, str, dt.datetime] | None  # (reason, by, when) of an earlier voiding
    policy_id: str | None = None  # the policy it was recorded under, if any
    body: str | None = None  # the body recorded on it (who rated, confirmed, waived, retired)


# The column naming the body a record of each kind was made by, where it has one.
_BODY_COLUMNS = {
    "rating": "rated_by",
    "confirmation": "confirmed_by",
    "waiver": "by",
    "retirement": "by",
}


def find_record(session: Session, *, kind: str, record_id: int) -> RecordRef | None:
    """The record ``kind`` #``record_id`` (None when there is none)."""
    table = KINDS[kind]
    source = table.source if hasattr(table, "source") else None
    policy = table.policy_id if hasattr(table, "policy_id") else None
    body = getattr(table, _BODY_COLUMNS[kind]) if kind in _BODY_COLUMNS else None
    extra = [c for c in (source, policy, body) if c is not None]
    row = session.execute(select(table.park_id, *extra).where(table.id == record_id)).first()
    if row is None:
        return None
    values: dict[str, Any] = {"source": None, "policy": None, "body": None}
    found = iter(row[1:])
    for name, column in (("source", source), ("policy", policy), ("body", body)):
        if column is not None:
            values[name] = next(found)
    voiding = session.execute(
        select(Voiding.reason, Voiding.by, Voiding.recorded_at).where(
            Voiding.kind == kind, Voiding.record_id == record_id
        )
    ).first()
    return RecordRef(
        int(row[0]),
        values["source"] or "cli",
        tuple(voiding) if voiding is not None else None,  # type: ignore[arg-type]
        values["policy"],
        values["body"],
    )


def add_voiding(
    session: Session,
    *,
    kind: str,
    record_id: int,
    park_id: int,
    reason: str,
    by: str,
    recorded_by: str,
) -> int:
    """Withdraw a record: a voiding row; the record stays where it is."""
    return _add(
        session,
        Voiding(
            kind=kind,
            record_id=record_id,
            park_id=park_id,
            reason=reason,
            by=by,
            recorded_by=recorded_by,
        ),
    )
