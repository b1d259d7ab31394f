"""History tables: what happened to a park under a policy, recorded once, never a state.

A park's state (active, rectifying, revoked), its flags and what is due are *derived*
from these rows every time (:mod:`parkeval.lifecycle`); nothing here stores a status
that could drift from the history that led to it. Every row refers to ``park.id`` and
survives a re-import of the park's dossier (rows that came from a dossier carry
``source = "dossier"`` and are the only ones a re-import replaces).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from parkeval.models import _exact, _now


class Application(SQLModel, table=True):
    """An application for recognition (申报), with the materials submitted (gx 第六条)."""

    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    received_on: dt.date
    materials: str = ""  # material ids from the policy's checklist, comma separated
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


class Certification(SQLModel, table=True):
    """A recognition (认定/授牌): policy, level, approval date, document number."""

    __table_args__ = (UniqueConstraint("park_id", "policy_id", "certified_on"),)
    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    level: str | None = None
    certified_on: dt.date
    doc_no: str | None = None
    source: str = "cli"  # cli | dossier
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


class Target(SQLModel, table=True):
    """A year's development targets (年度发展目标, gx 第十三条)."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("park_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    year: int
    revenue_yuan: Decimal | None = _exact(nullable=True)
    hr_institutions: int | None = None
    occupancy: Decimal | None = _exact(nullable=True, places=6)  # a ratio: 0.655 for 65.5%
    goals: str | None = None
    filed_on: dt.date | None = None
    source: str = "cli"
    recorded_at: dt.datetime = Field(default_factory=_now)


class Assessment(SQLModel, table=True):
    """One assessment of one cycle for one period: a proposal and/or the official rating.

    ``year`` is the last calendar year the assessment covers. The official ``rating``
    always wins over ``proposed_rating``.
    """

    __table_args__ = (UniqueConstraint("park_id", "policy_id", "cycle", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    cycle: str = Field(max_length=64)
    year: int
    proposed_rating: str | None = None
    proposed_score: Decimal | None = _exact(nullable=True)
    proposed_on: dt.date | None = None
    rating: str | None = None  # 优秀 | 合格 | 不合格
    rated_on: dt.date | None = None
    rated_by: str | None = None
    confirmed_by: str | None = None  # the city bureau's confirmation of a self-evaluation
    confirmed_on: dt.date | None = None
    rectified_on: dt.date | None = None  # rectification completed
    source: str = "cli"
    recorded_at: dt.datetime = Field(default_factory=_now)


class Waiver(SQLModel, table=True):
    """A justification for an unmet in-principle (原则) criterion."""

    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    criterion_id: str = Field(max_length=64)
    reason: str
    by: str
    until: dt.date | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


# The rating-cycle services register the dossier import hook and the waiver loader; the
# database layer imports this module before creating tables, so every run has them.
import parkeval.cycles  # noqa: E402,F401
