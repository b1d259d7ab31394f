"""The audit log: every change to the database — when, what, by whom, and a hash of the input.

Commands that change data call :func:`record` inside their own transaction, so the entry is
written if and only if the change is. ``parkeval log [PARK]`` reads it back (:func:`entries`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from parkeval.store.tables import AuditLog, _now


def record(
    session: Session,
    *,
    action: str,
    park: str | None,
    by: str,
    detail: str | None = None,
    input_sha256: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Add one entry in the caller's transaction (committed or rolled back with the change)."""
    session.execute(
        insert(AuditLog).values(
            at=at or _now(),
            action=action,
            park=park,
            by=by,
            detail=detail,
            input_sha256=input_sha256,
        )
    )


def record_many(session: Session, entries: list[dict[str, Any]]) -> None:
    """Add several entries (each with the keyword arguments of :func:`record`) at once."""
    if entries:
        now = _now()
        session.execute(
            insert(AuditLog),
            [{"at": now, "detail": None, "input_sha256": None, **e} for e in entries],
        )


def entries(
    connection: Connection | Session, *, park: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Newest first; only one park's entries when ``park`` is given."""
    stmt = select(
        AuditLog.at,
        AuditLog.action,
        AuditLog.park,
        AuditLog.by,
        AuditLog.detail,
        AuditLog.input_sha256,
    ).order_by(AuditLog.id.desc())
    if park is not None:
        stmt = stmt.where(AuditLog.park == park)
    if limit:
        stmt = stmt.limit(limit)
    return [
        {
            "at": (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).isoformat(timespec="seconds"),
            "action": action,
            "park": code,
            "by": by,
            "detail": detail,
            "input_sha256": sha,
        }
        for at, action, code, by, detail, sha in connection.execute(stmt).all()
    ]
