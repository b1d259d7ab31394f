"""Corrections without losing history: each fact of an assessment period becomes its own
record (rating, proposal, confirmation, rectification) so that any one can be voided; a
voiding table withdraws a record without deleting it; parks can be retired; grants keep the
reason for a deliberate grant outside the policy's jurisdiction or validity. Grants and targets
lose their uniqueness on (park, policy, date) and (park, year): a voided grant is re-recorded
on the same date, and a target filed again is a new row (the latest one not voided counts).

Every row of the old assessment table is carried over: its official rating, proposal,
confirmation and rectification each become a row of the new tables with the same source and
time; then the old table is dropped.

Revision ID: 0005_corrections
Revises: 0004_target_occupancy_scale
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_corrections"
down_revision = "0004_target_occupancy_scale"
branch_labels = None
depends_on = None

EXACT = sa.Numeric(20, 2).with_variant(sa.String(32), "sqlite")  # see 0001_core
# Unnamed unique constraints (SQLite reflects them without a name) get one to be dropped by.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _park_id() -> sa.Column:
    return sa.Column("park_id", sa.Integer(), sa.ForeignKey("park.id"), nullable=False)


def _period() -> list[sa.Column]:
    return [
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("cycle", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
    ]


def _recorded() -> list[sa.Column]:
    return [
        sa.Column("recorded_by", sa.String()),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _drop_unique(table: str, columns: list[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table(table, naming_convention=NAMING, recreate="always") as batch:
            batch.drop_constraint(f"uq_{table}_{columns[0]}", type_="unique")
        return
    for uq in sa.inspect(bind).get_unique_constraints(table):
        if uq["column_names"] == columns:
            op.drop_constraint(uq["name"], table, type_="unique")


def upgrade() -> None:
    op.create_table(
        "rating",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        *_period(),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("rated_on", sa.Date()),
        sa.Column("rated_by", sa.String()),
        sa.Column("source", sa.String(), nullable=False),
        *_recorded(),
    )
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        *_period(),
        sa.Column("rating", sa.String(8)),
        sa.Column("score", EXACT),
        sa.Column("proposed_on", sa.Date()),
        sa.Column("source", sa.String(), nullable=False),
        *_recorded(),
    )
    op.create_table(
        "confirmation",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        *_period(),
        sa.Column("confirmed_by", sa.String()),
        sa.Column("confirmed_on", sa.Date()),
        sa.Column("source", sa.String(), nullable=False),
        *_recorded(),
    )
    op.create_table(
        "rectification",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        *_period(),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        *_recorded(),
    )
    op.create_table(
        "retirement",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        sa.Column("retired_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        *_recorded(),
    )
    op.create_table(
        "voiding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        _park_id(),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        *_recorded(),
        sa.UniqueConstraint("kind", "record_id"),
    )
    for table in ("rating", "proposal", "confirmation", "rectification", "retirement", "voiding"):
        op.create_index(f"ix_{table}_park_id", table, ["park_id"])

    period = "park_id, policy_id, cycle, year"
    op.execute(
        f"INSERT INTO rating ({period}, rating, rated_on, rated_by, source, recorded_at) "
        f"SELECT {period}, rating, rated_on, rated_by, source, recorded_at FROM assessment "
        "WHERE rating IS NOT NULL ORDER BY id"
    )
    op.execute(
        f"INSERT INTO proposal ({period}, rating, score, proposed_on, source, recorded_at) "
        f"SELECT {period}, proposed_rating, proposed_score, proposed_on, source, recorded_at FROM assessment "
        "WHERE proposed_rating IS NOT NULL OR proposed_score IS NOT NULL ORDER BY id"
    )
    op.execute(
        f"INSERT INTO confirmation ({period}, confirmed_by, confirmed_on, source, recorded_at) "
        f"SELECT {period}, confirmed_by, confirmed_on, source, recorded_at FROM assessment "
        "WHERE confirmed_by IS NOT NULL OR confirmed_on IS NOT NULL ORDER BY id"
    )
    op.execute(
        f"INSERT INTO rectification ({period}, completed_on, source, recorded_at) "
        f"SELECT {period}, rectified_on, source, recorded_at FROM assessment "
        "WHERE rectified_on IS NOT NULL ORDER BY id"
    )
    op.drop_index("ix_assessment_park_id", table_name="assessment")
    op.drop_table("assessment")

    _drop_unique("certification", ["park_id", "policy_id", "certified_on"])
    _drop_unique("target", ["park_id", "year"])
    with op.batch_alter_table("certification") as batch:
        batch.add_column(sa.Column("override_reason", sa.String()))
    with op.batch_alter_table("target") as batch:
        batch.add_column(sa.Column("recorded_by", sa.String()))


def downgrade() -> None:
    raise NotImplementedError(
        "0005_corrections splits assessments into separate records; restore a backup to go back"
    )
