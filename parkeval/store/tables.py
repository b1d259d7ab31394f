"""Every database table (SQLAlchemy Core), in one place. Money is stored exactly in 元, areas
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
these tables and the migrations equal.

The tables are Core ``Table`` objects, not ORM classes: every read and write is a Core
statement, so nothing here imports or configures the ORM (a report's start-up would pay for
it). Each is wrapped in a :class:`Model` whose columns read as attributes (``Park.code``) and
which, called with a row's values, gives a :class:`NewRow` for :func:`insert_row`.

Why this module is long: it is the schema, every table in one place next to the exact decimal
and UTC moment types its columns use; split, the tables a migration must match would be spread
over several files.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    insert,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


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


class UTCDateTime(TypeDecorator):
    """A moment: stored with its time zone where the database keeps one, always read back
    as an aware datetime in UTC (SQLite keeps none: its values are UTC without an offset).
    A naive datetime is refused."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        """Refuse a naive datetime; store the moment in UTC."""
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("datetimes must carry a time zone (datetime.now(dt.UTC))")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        """Stored value → an aware datetime in UTC."""
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class NewRow:
    """The values of a row to insert into one table (defaults filled in by the database
    layer): what calling a :class:`Model` gives."""

    def __init__(self, table: Table, values: dict[str, Any]) -> None:
        self.table = table
        self.values = values


class Model:
    """One table: ``__table__`` is the Core table, its columns read as attributes
    (``Park.code``), and ``Park(code=…, name=…)`` gives a :class:`NewRow`."""

    def __init__(self, table: Table) -> None:
        self.__table__ = table
        self.__tablename__ = table.name
        for column in table.columns:
            setattr(self, column.name, column)

    def __clause_element__(self) -> Table:
        """The table, wherever SQLAlchemy expects one (``insert(Park)``, ``select_from``)."""
        return self.__table__

    def __call__(self, **values: Any) -> NewRow:
        """A new row's values; a name that is no column of the table is refused."""
        unknown = set(values) - set(self.__table__.columns.keys())
        if unknown:
            raise TypeError(f"{self.__tablename__} has no column {sorted(unknown)}")
        return NewRow(self.__table__, values)

    def __getattr__(self, name: str) -> Any:  # for type checkers: columns are set above
        raise AttributeError(f"{self.__dict__.get('__tablename__')} has no column {name}")


def insert_row(connection: Any, row: NewRow) -> int:
    """Insert one row (a session or a connection); its new id."""
    return int(connection.execute(insert(row.table).values(**row.values)).inserted_primary_key[0])


def _id() -> Column:
    return Column("id", Integer, primary_key=True)


def _park_id(index: bool = True) -> Column:
    return Column("park_id", Integer, ForeignKey("park.id"), nullable=False, index=index)


def _exact(name: str, nullable: bool = True, places: int = 2) -> Column:
    return Column(name, ExactDecimal(places), nullable=nullable)


def _text(name: str, length: int | None = None, *, nullable: bool = True, **kw: Any) -> Column:
    return Column(name, String(length), nullable=nullable, **kw)


def _required(name: str, length: int | None = None, **kw: Any) -> Column:
    return _text(name, length, nullable=False, **kw)


def _recorded() -> list[Column]:
    """Who recorded a life-cycle fact and when (the clerk's --by, the moment it was written)."""
    return [
        _text("recorded_by"),
        Column("recorded_at", UTCDateTime(), nullable=False, default=_now),
    ]


def _source() -> Column:
    return _required("source", default="cli")  # cli | dossier


def _period() -> list[Column]:
    """Policy, cycle and the period's last calendar year."""
    return [
        _required("policy_id", 64),
        _required("cycle", 64),
        Column("year", Integer, nullable=False),
    ]


Park = Model(
    Table(
        "park",
        metadata,
        _id(),
        _required("code", 64, index=True, unique=True),
        _required("name"),
        _text("province"),
        _text("city"),
        _text("operator"),
        _text("operator_type"),  # company | committee (管委会)
        Column("full_time_staff", Integer, nullable=True),
        _text("source_file"),
        _text("input_sha256"),
        Column("imported_at", UTCDateTime(), nullable=False, default=_now),
    )
)

Site = Model(
    Table(
        "site",
        metadata,
        _id(),
        _park_id(),
        _required("code", 64),
        _required("name"),
        _required("role", 16),  # core | branch
        # The kinds of area a dossier gives (at least one): 建筑面积, 使用面积, 产权面积, 租赁面积
        _exact("building_area_m2"),
        _exact("usable_area_m2"),
        _exact("property_area_m2"),
        _exact("rented_area_m2"),
        UniqueConstraint("park_id", "code"),
    )
)

Tenant = Model(
    Table(
        "tenant",
        metadata,
        _id(),
        _park_id(),
        Column("site_id", Integer, ForeignKey("site.id"), nullable=False, index=True),
        _required("credit_code", 18),
        _required("name"),
        # licensed (许可证) | filed (备案) | licensed_or_filed (one of the two, not said which:
        # what hr_service = true meant before 0006) | public (公共人力资源服务机构) | none
        _required("hr_class", 24, default="none"),
        _text("license_no"),
        _exact("leased_area_m2"),
        Column("move_in", Date, nullable=False),
        Column("move_out", Date, nullable=True),
        UniqueConstraint("park_id", "credit_code"),
    )
)

TenantRevenue = Model(
    Table(
        "tenant_revenue",
        metadata,
        _id(),
        Column("tenant_id", Integer, ForeignKey("tenant.id"), nullable=False),
        _park_id(index=False),
        Column("year", Integer, nullable=False),
        _exact("amount_yuan", nullable=False),
        UniqueConstraint("tenant_id", "year"),
        Index("ix_tenant_revenue_park_year", "park_id", "year"),
    )
)

# Evidence for a qualitative criterion (keyed by the policy's criterion id).
Attestation = Model(
    Table(
        "attestation",
        metadata,
        _id(),
        _park_id(),
        _required("criterion_id", 64),
        Column("met", Boolean, nullable=False),
        _text("evidence"),
        _text("note"),
        UniqueConstraint("park_id", "criterion_id"),
    )
)


DOSSIER_TABLES = ("tenant_revenue", "attestation", "tenant", "site")


# --------------------------------------------------------------------------- life cycle

# An application for recognition (申报), with the materials submitted (gx 第六条).
Application = Model(
    Table(
        "application",
        metadata,
        _id(),
        _park_id(),
        _required("policy_id", 64),
        Column("received_on", Date, nullable=False),
        # material ids from the policy's checklist, comma separated
        _required("materials", default=""),
        *_recorded(),
    )
)

# A recognition (认定/授牌): policy, level, approval date, document number. A grant made outside
# the policy's jurisdiction or validity on purpose carries the reason given.
Certification = Model(
    Table(
        "certification",
        metadata,
        _id(),
        _park_id(),
        _required("policy_id", 64),
        _text("level"),
        Column("certified_on", Date, nullable=False),
        _text("doc_no"),
        _text("override_reason"),  # --outside-jurisdiction / --outside-validity
        _source(),
        *_recorded(),
    )
)

# A year's development targets (年度发展目标, gx 第十三条). Filing again adds a row; the latest
# filing of a year that is not voided is the one in force.
Target = Model(
    Table(
        "target",
        metadata,
        _id(),
        _park_id(),
        Column("year", Integer, nullable=False),
        _exact("revenue_yuan"),
        Column("hr_institutions", Integer, nullable=True),
        _exact("occupancy", places=6),  # a ratio: 0.655 for 65.5%
        _text("goals"),
        Column("filed_on", Date, nullable=True),
        _source(),
        *_recorded(),
    )
)

# One period of one assessment cycle (``year``: the last calendar year it covers) gathers up to
# four facts, each its own record so that each can be voided alone: the official rating, the
# proposal (assess --save), the city bureau's confirmation and the completed rectification.

# An official rating (优秀/合格/不合格) of one period; it always wins over a proposal.
Rating = Model(
    Table(
        "rating",
        metadata,
        _id(),
        _park_id(),
        *_period(),
        _required("rating", 8),
        Column("rated_on", Date, nullable=True),
        _text("rated_by"),
        _source(),
        *_recorded(),
    )
)

# A proposed rating and score (``assess --save`` or a dossier); the latest one counts.
Proposal = Model(
    Table(
        "proposal",
        metadata,
        _id(),
        _park_id(),
        *_period(),
        _text("rating", 8),
        _exact("score"),
        Column("proposed_on", Date, nullable=True),
        _source(),
        *_recorded(),
    )
)

# The city bureau's review and confirmation (审核确认) of a period's self-evaluation.
Confirmation = Model(
    Table(
        "confirmation",
        metadata,
        _id(),
        _park_id(),
        *_period(),
        _text("confirmed_by"),
        Column("confirmed_on", Date, nullable=True),
        _source(),
        *_recorded(),
    )
)

# The completion of the rectification after a 不合格 rating of a period.
Rectification = Model(
    Table(
        "rectification",
        metadata,
        _id(),
        _park_id(),
        *_period(),
        Column("completed_on", Date, nullable=False),
        _source(),
        *_recorded(),
    )
)

# A justification for an unmet in-principle (原则) criterion.
Waiver = Model(
    Table(
        "waiver",
        metadata,
        _id(),
        _park_id(),
        _required("policy_id", 64),
        _required("criterion_id", 64),
        _required("reason"),
        _required("by"),
        Column("until", Date, nullable=True),
        Column("recorded_at", UTCDateTime(), nullable=False, default=_now),
    )
)

# A park retired from lists and ``--all`` (kept, with its whole history).
Retirement = Model(
    Table(
        "retirement",
        metadata,
        _id(),
        _park_id(),
        Column("retired_on", Date, nullable=False),
        _required("reason"),
        _required("by"),
        *_recorded(),
    )
)

# A correction: one record withdrawn, with why and by whom. The record itself stays in its
# table; every reader leaves out a record that has a voiding.
Voiding = Model(
    Table(
        "voiding",
        metadata,
        _id(),
        _required("kind", 32),  # grant, rating, proposal, confirmation, rectification, …
        Column("record_id", Integer, nullable=False),
        _park_id(),
        _required("reason"),
        _required("by"),
        *_recorded(),
        UniqueConstraint("kind", "record_id"),
    )
)


# --------------------------------------------------------------------------- audit log

AuditLog = Model(
    Table(
        "audit_log",
        metadata,
        _id(),
        Column("at", DateTime(timezone=True), nullable=False),
        _required("action", 32),  # import, rating, certification, waiver, ...
        _text("park", 64),  # park code, None for province-wide actions
        _required("by"),  # --by, or the OS user (Settings.actor)
        _text("detail"),  # human-readable: file imported, rating given, ...
        _text("input_sha256", 64),
        Index("ix_audit_log_park", "park"),
    )
)


# --------------------------------------------------------------------------- rewards

# A fact a bureau records for rewards (see :mod:`parkeval.domain.rewards.facts` for the kinds
# and the fields each uses). Never updated or deleted: a correction is a new row that
# ``supersedes`` the old one; a withdrawal is a row of kind ``withdrawal`` that supersedes it,
# with the reason in ``note``. A row some other row supersedes is no longer in force.
RewardFact = Model(
    Table(
        "reward_fact",
        metadata,
        _id(),
        _required("kind", 16),
        _required("subject"),
        _required("subject_kind", 8, default="firm"),  # firm | park | person
        _text("city", 64),
        _text("park", 64),
        Column("year", Integer, nullable=True),
        Column("on_date", Date, nullable=True),
        _text("code", 64),
        _text("level", 16),
        _exact("amount_yuan"),
        Column("count", Integer, nullable=True),
        Column("attendees", Integer, nullable=True),
        Column("contract_months", Integer, nullable=True),
        Column("insured_months", Integer, nullable=True),
        _text("area"),
        _text("result", 8),
        _text("note"),
        Column("supersedes", Integer, nullable=True),
        _required("source", 16, default="cli"),
        _text("input_sha256", 64),
        *_recorded(),
        Index("ix_reward_fact_city_kind", "city", "kind"),
        Index("ix_reward_fact_subject", "subject"),
        Index("ix_reward_fact_supersedes", "supersedes"),
    )
)
