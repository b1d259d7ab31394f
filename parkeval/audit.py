"""The audit log: every change to the database — when, what, by whom, and a hash of the input.

Commands that change data call :func:`record` inside their own transaction, so the entry is
written if and only if the change is. ``parkeval log [PARK]`` reads it back (:func:`entries`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, DateTime, Index, insert, select
from sqlmodel import Field, Session, SQLModel


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_park", "park"),)
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    action: str = Field(max_length=32)  # import, rating, certification, waiver, ...
    park: str | None = Field(default=None, max_length=64)  # park code, None for province-wide actions
    by: str  # --by, or the OS user (Settings.actor)
    detail: str | None = None  # human-readable: file imported, rating given, ...
    input_sha256: str | None = Field(default=None, max_length=64)


def record(session: Session, *, action: str, park: str | None, by: str, detail: str | None = None,
           input_sha256: str | None = None, at: dt.datetime | None = None) -> None:
    """Add one entry in the caller's transaction (committed or rolled back with the change)."""
    session.execute(insert(AuditLog).values(at=at or _now(), action=action, park=park, by=by,
                                            detail=detail, input_sha256=input_sha256))


def record_many(session: Session, entries: list[dict[str, Any]]) -> None:
    """Add several entries (each with the keyword arguments of :func:`record`) at once."""
    if entries:
        now = _now()
        session.execute(insert(AuditLog), [{"at": now, "detail": None, "input_sha256": None, **e}
                                           for e in entries])


def entries(session: Session, *, park: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Newest first; only one park's entries when ``park`` is given."""
    stmt = select(AuditLog).order_by(AuditLog.id.desc())
    if park is not None:
        stmt = stmt.where(AuditLog.park == park)
    if limit:
        stmt = stmt.limit(limit)
    at_utc = dt.UTC
    return [{"at": (e.at if e.at.tzinfo else e.at.replace(tzinfo=at_utc)).isoformat(timespec="seconds"),
             "action": e.action, "park": e.park, "by": e.by, "detail": e.detail,
             "input_sha256": e.input_sha256} for e in session.execute(stmt).scalars()]
