"""Every database table (SQLModel), in one place. Money is stored exactly in 元, areas
exactly in ㎡.

* Dossier tables (park, site, tenant, tenant_revenue, attestation): a park's sites, tenants,
  revenue and attestations are replaced whole when the park is re-imported.
* Life-cycle tables (application, certification, target, assessment, waiver): what happened
  to a park under a policy, recorded once, never a state. A park's state (active,
  rectifying, revoked), its flags and what is due are *derived* from these rows every time
  (:mod:`parkeval.domain.lifecycle`). Every row refers to ``park.id`` and survives a
  re-import of the dossier (rows that came from a dossier carry ``source = "dossier"`` and
  are the only ones a re-import replaces).
* The audit log: every change — when, what, by whom, and a hash of the input.

The schema itself is made by the migrations (:mod:`parkeval.store.migrations`); a test holds
these models and the migrations equal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, DateTime, Index, Numeric, String, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class ExactDecimal(TypeDecorator):
    """An exact decimal with ``places`` places (2 for money and areas). PostgreSQL:
    NUMERIC(20, places). SQLite has no exact decimal type (NUMERIC becomes a float there),
    so the canonical text is stored instead. A value with more places than the column keeps
    is refused, never rounded (PostgreSQL would round it silently)."""

    impl = Numeric(20, 2)
    cache_ok = True

    def __init__(self, places: int = 2) -> None:
        super().__init__(20, places)
        self.places = places
        self._quantum = Decimal(1).scaleb(-places)

    def load_dialect_impl(self, dialect: Any) -> Any:
        """Decimal text on SQLite, NUMERIC elsewhere."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(Numeric(20, self.places, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        """Refuse floats and values with more places than the column keeps."""
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money and areas must be Decimal, not float")
        value = Decimal(value)
        if value != value.quantize(self._quantum):
            raise ValueError(
                f"{value} has more than {self.places} decimal places; it would not be stored exactly"
            )
        return format(value, "f") if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        """Stored value → Decimal."""
        return None if value is None else Decimal(value)


def exact_sum(column: Any, dialect: str) -> tuple[Any, Any]:
    """An SQL SUM of an :class:`ExactDecimal` column that stays exact, and the function that
    turns its result into a Decimal (0 for no rows).

    PostgreSQL sums NUMERIC exactly. On SQLite the column holds canonical decimal text
    (non-negative, at most two places, no exponent: see ``parsing``), summed here in whole
    hundredths as 64-bit integers: exact, and SQLite raises "integer overflow" rather than
    rounding should a sum ever pass 9.2×10¹⁶ 元 (callers fall back to summing rows).
    """
    from sqlalchemy import Integer, String, case, cast, func, literal, type_coerce

    assert column.type.places == 2, "the SQLite sum below reads two decimal places"
    if dialect != "sqlite":
        return func.sum(column), lambda v: Decimal(0) if v is None else Decimal(v)
    text = type_coerce(column, String)
    dot = func.instr(text, literal(".", String))
    hundredths = case(
        (dot == 0, cast(text, Integer) * 100),
        else_=cast(func.substr(text, 1, dot - 1), Integer) * 100
        + cast(
            func.substr(func.substr(text, dot + 1).op("||")(literal("00", String)), 1, 2), Integer
        ),
    )
    return func.sum(hundredths), lambda v: Decimal(0) if v is None else Decimal(v).scaleb(-2)


def _exact(nullable: bool = False, places: int = 2) -> Any:
    return Field(default=None, sa_column=Column(ExactDecimal(places), nullable=nullable))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Park(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=64)
    name: str
    province: str | None = None
    city: str | None = None
    operator: str | None = None
    operator_type: str | None = None  # company | committee (管委会)
    full_time_staff: int | None = None
    source_file: str | None = None
    input_sha256: str | None = None
    imported_at: dt.datetime = Field(default_factory=_now)


class Site(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("park_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    code: str = Field(max_length=64)
    name: str
    role: str = Field(max_length=16)  # core | branch
    # The kinds of area a dossier gives (at least one): 建筑面积, 使用面积, 产权面积, 租赁面积
    building_area_m2: Decimal | None = _exact(nullable=True)
    usable_area_m2: Decimal | None = _exact(nullable=True)
    property_area_m2: Decimal | None = _exact(nullable=True)
    rented_area_m2: Decimal | None = _exact(nullable=True)


class Tenant(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("park_id", "credit_code"),)
    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    site_id: int = Field(foreign_key="site.id", index=True)
    credit_code: str = Field(max_length=18)
    name: str
    # licensed (许可证) | filed (备案) | licensed_or_filed (one of the two, not said which: what
    # hr_service = true meant before 0006) | public (公共人力资源服务机构) | none
    hr_class: str = Field(default="none", max_length=24)
    license_no: str | None = None
    leased_area_m2: Decimal | None = _exact(nullable=True)
    move_in: dt.date
    move_out: dt.date | None = None


class TenantRevenue(SQLModel, table=True):
    __tablename__ = "tenant_revenue"
    __table_args__ = (
        UniqueConstraint("tenant_id", "year"),
        Index("ix_tenant_revenue_park_year", "park_id", "year"),
    )
    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id")
    park_id: int = Field(foreign_key="park.id")
    year: int
    amount_yuan: Decimal = _exact()


class Attestation(SQLModel, table=True):
    """Evidence for a qualitative criterion (keyed by the policy's criterion id)."""

    __table_args__ = (UniqueConstraint("park_id", "criterion_id"),)
    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    criterion_id: str = Field(max_length=64)
    met: bool
    evidence: str | None = None
    note: str | None = None


DOSSIER_TABLES = ("tenant_revenue", "attestation", "tenant", "site")


# --------------------------------------------------------------------------- life cycle


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
    """A recognition (认定/授牌): policy, level, approval date, document number. A grant made
    outside the policy's jurisdiction or validity on purpose carries the reason given."""

    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    level: str | None = None
    certified_on: dt.date
    doc_no: str | None = None
    override_reason: str | None = None  # --outside-jurisdiction / --outside-validity
    source: str = "cli"  # cli | dossier
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


class Target(SQLModel, table=True):
    """A year's development targets (年度发展目标, gx 第十三条). Filing again adds a row; the
    latest filing of a year that is not voided is the one in force."""

    __tablename__ = "target"
    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    year: int
    revenue_yuan: Decimal | None = _exact(nullable=True)
    hr_institutions: int | None = None
    occupancy: Decimal | None = _exact(nullable=True, places=6)  # a ratio: 0.655 for 65.5%
    goals: str | None = None
    filed_on: dt.date | None = None
    source: str = "cli"
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


# One period of one assessment cycle (``year``: the last calendar year it covers) gathers up to
# four facts, each its own record so that each can be voided alone: the official rating, the
# proposal (assess --save), the city bureau's confirmation and the completed rectification.


class Rating(SQLModel, table=True):
    """An official rating (优秀/合格/不合格) of one period; it always wins over a proposal."""

    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    cycle: str = Field(max_length=64)
    year: int
    rating: str = Field(max_length=8)
    rated_on: dt.date | None = None
    rated_by: str | None = None
    source: str = "cli"
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


class Proposal(SQLModel, table=True):
    """A proposed rating and score (``assess --save`` or a dossier); the latest one counts."""

    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    cycle: str = Field(max_length=64)
    year: int
    rating: str | None = Field(default=None, max_length=8)
    score: Decimal | None = _exact(nullable=True)
    proposed_on: dt.date | None = None
    source: str = "cli"
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


class Confirmation(SQLModel, table=True):
    """The city bureau's review and confirmation (审核确认) of a period's self-evaluation."""

    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    cycle: str = Field(max_length=64)
    year: int
    confirmed_by: str | None = None
    confirmed_on: dt.date | None = None
    source: str = "cli"
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


class Rectification(SQLModel, table=True):
    """The completion of the rectification after a 不合格 rating of a period."""

    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    policy_id: str = Field(max_length=64)
    cycle: str = Field(max_length=64)
    year: int
    completed_on: dt.date
    source: str = "cli"
    recorded_by: str | None = None
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


class Retirement(SQLModel, table=True):
    """A park retired from lists and ``--all`` (kept, with its whole history)."""

    id: int | None = Field(default=None, primary_key=True)
    park_id: int = Field(foreign_key="park.id", index=True)
    retired_on: dt.date
    reason: str
    by: str
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


class Voiding(SQLModel, table=True):
    """A correction: one record withdrawn, with why and by whom. The record itself stays in
    its table; every reader leaves out a record that has a voiding."""

    __table_args__ = (UniqueConstraint("kind", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)  # grant, rating, proposal, confirmation, rectification, …
    record_id: int
    park_id: int = Field(foreign_key="park.id", index=True)
    reason: str
    by: str
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)


# --------------------------------------------------------------------------- audit log


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_park", "park"),)
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    action: str = Field(max_length=32)  # import, rating, certification, waiver, ...
    park: str | None = Field(
        default=None, max_length=64
    )  # park code, None for province-wide actions
    by: str  # --by, or the OS user (Settings.actor)
    detail: str | None = None  # human-readable: file imported, rating given, ...
    input_sha256: str | None = Field(default=None, max_length=64)


# --------------------------------------------------------------------------- rewards


class RewardFact(SQLModel, table=True):
    """A fact a bureau records for rewards (see :mod:`parkeval.domain.rewards.facts` for the
    kinds and the fields each uses). Never updated or deleted: a correction is a new row that
    ``supersedes`` the old one; a withdrawal is a row of kind ``withdrawal`` that supersedes
    it, with the reason in ``note``. A row some other row supersedes is no longer in force."""

    __tablename__ = "reward_fact"
    __table_args__ = (
        Index("ix_reward_fact_city_kind", "city", "kind"),
        Index("ix_reward_fact_subject", "subject"),
        Index("ix_reward_fact_supersedes", "supersedes"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    subject: str
    subject_kind: str = Field(default="firm", max_length=8)  # firm | park | person
    city: str | None = Field(default=None, max_length=64)
    park: str | None = Field(default=None, max_length=64)
    year: int | None = None
    on_date: dt.date | None = None
    code: str | None = Field(default=None, max_length=64)
    level: str | None = Field(default=None, max_length=16)
    amount_yuan: Decimal | None = _exact(nullable=True)
    count: int | None = None
    attendees: int | None = None
    contract_months: int | None = None
    insured_months: int | None = None
    area: str | None = None
    result: str | None = Field(default=None, max_length=8)
    note: str | None = None
    supersedes: int | None = None
    source: str = Field(default="cli", max_length=16)
    input_sha256: str | None = Field(default=None, max_length=64)
    recorded_by: str | None = None
    recorded_at: dt.datetime = Field(default_factory=_now)
