"""Reward facts in the database: added in bulk (an import or a command), corrected or
withdrawn by a new row that supersedes the old one (never an update or a delete), and read
back in force — for one beneficiary, a park, or every beneficiary of a city — in one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, exists, func, insert, or_, select
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from parkeval.domain.rewards.facts import Fact
from parkeval.store.tables import RewardFact, _now

_COLUMNS = (
    "id", "kind", "subject", "subject_kind", "city", "park", "year", "on_date", "code", "level",
    "amount_yuan", "count", "attendees", "contract_months", "insured_months", "area", "result",
    "note",
)  # fmt: skip


def add_facts(
    session: Session, rows: Sequence[dict[str, Any]], *, recorded_by: str, source: str
) -> int:
    """Insert facts (dicts of :class:`RewardFact` columns) in one statement; their count."""
    if not rows:
        return 0
    now = _now()
    keys = [c for c in RewardFact.__table__.columns.keys() if c != "id"]  # type: ignore[attr-defined]
    values = [
        {
            **{k: None for k in keys},
            "subject_kind": "firm",
            **r,
            "recorded_by": recorded_by,
            "recorded_at": now,
            "source": source,
        }
        for r in rows
    ]
    session.execute(insert(RewardFact), values)
    return len(values)


def add_fact(
    session: Session, row: dict[str, Any], *, recorded_by: str, source: str = "cli"
) -> int:
    """Insert one fact; its id."""
    values = {
        "subject_kind": "firm",
        **row,
        "recorded_by": recorded_by,
        "recorded_at": _now(),
        "source": source,
    }
    result = session.execute(insert(RewardFact).values(**values).returning(RewardFact.id))  # type: ignore[arg-type]
    return int(result.scalar_one())


def _in_force() -> Any:
    later = RewardFact.__table__.alias("later").c
    return and_(
        RewardFact.kind != "withdrawal",  # type: ignore[arg-type]
        ~exists().where(later.supersedes == RewardFact.id),
    )


def fact_in_force(connection: Connection | Session, fact_id: int) -> dict[str, Any] | None:
    """One fact by id (its columns), with ``superseded_by`` (the row that corrected or withdrew
    it, or None) and ``withdrawn``; None when there is no such fact."""
    cols = [getattr(RewardFact, c) for c in _COLUMNS]
    row = connection.execute(select(*cols).where(RewardFact.id == fact_id)).first()  # type: ignore[arg-type]
    if row is None:
        return None
    data = dict(row._mapping)
    later = connection.execute(
        select(RewardFact.id, RewardFact.kind).where(RewardFact.supersedes == fact_id)  # type: ignore[arg-type]
    ).first()
    data["superseded_by"] = later[0] if later else None
    data["withdrawn"] = bool(later and later[1] == "withdrawal")
    return data


def load_facts(
    connection: Connection | Session,
    *,
    cities: Iterable[str] | None = None,
    subjects: Iterable[str] | None = None,
    park: str | None = None,
    kinds: Iterable[str] | None = None,
) -> list[Fact]:
    """The facts in force, filtered: by city (any of the spellings given), by beneficiaries, by
    park (the beneficiaries any of whose facts name the park), by kind. One query."""
    cols = [getattr(RewardFact, c) for c in _COLUMNS]
    stmt = select(*cols).where(_in_force())
    if cities is not None:
        stmt = stmt.where(RewardFact.city.in_(list(cities)))  # type: ignore[union-attr]
    if subjects is not None:
        stmt = stmt.where(RewardFact.subject.in_(list(subjects)))  # type: ignore[attr-defined]
    if park is not None:
        named = select(RewardFact.subject).where(RewardFact.park == park)  # type: ignore[arg-type]
        stmt = stmt.where(or_(RewardFact.park == park, RewardFact.subject.in_(named)))  # type: ignore[arg-type,attr-defined]
    if kinds is not None:
        stmt = stmt.where(RewardFact.kind.in_(list(kinds)))  # type: ignore[attr-defined]
    # the columns are selected in the order of Fact's fields
    make = Fact._make
    return [make(row) for row in connection.execute(stmt.order_by(RewardFact.id))]


def imported_in_force(connection: Connection | Session, sha256s: Sequence[str]) -> dict[str, Any]:
    """For each input sha256 some fact in force came from: when the first of them was recorded
    (a file already imported whose facts still count). One query."""
    if not sha256s:
        return {}
    stmt = (
        select(RewardFact.input_sha256, func.min(RewardFact.recorded_at))
        .where(_in_force(), RewardFact.input_sha256.in_(list(sha256s)))  # type: ignore[union-attr]
        .group_by(RewardFact.input_sha256)
    )
    return {sha: at for sha, at in connection.execute(stmt)}


def list_facts(
    connection: Connection | Session,
    *,
    subject: str | None = None,
    cities: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """The facts in force (their columns, with ``source`` and ``recorded_at``), by id; for one
    beneficiary and/or any of the cities given. One query."""
    cols = [getattr(RewardFact, c) for c in (*_COLUMNS, "source", "recorded_at")]
    stmt = select(*cols).where(_in_force())
    if subject is not None:
        stmt = stmt.where(RewardFact.subject == subject)  # type: ignore[arg-type]
    if cities is not None:
        stmt = stmt.where(RewardFact.city.in_(list(cities)))  # type: ignore[union-attr]
    return [dict(r._mapping) for r in connection.execute(stmt.order_by(RewardFact.id))]
