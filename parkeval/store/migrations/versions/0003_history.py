"""Rating-cycle history (the life-cycle tables of parkeval.store.tables): applications, certifications, targets,
assessments and waivers. Each refers to park.id and survives re-imports.

Revision ID: 0003_history
Revises: 0002_audit_log
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_history"
down_revision = "0002_audit_log"
branch_labels = None
depends_on = None

EXACT = sa.Numeric(20, 2).with_variant(sa.String(32), "sqlite")  # see 0001_core


def _park_id() -> sa.Column:
    return sa.Column("park_id", sa.Integer(), sa.ForeignKey("park.id"), nullable=False)


def _recorded_at() -> sa.Column:
    return sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("materials", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String()),
        _recorded_at(),
    )
    op.create_table(
        "certification",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("level", sa.String()),
        sa.Column("certified_on", sa.Date(), nullable=False),
        sa.Column("doc_no", sa.String()),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String()),
        _recorded_at(),
        sa.UniqueConstraint("park_id", "policy_id", "certified_on"),
    )
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revenue_yuan", EXACT),
        sa.Column("hr_institutions", sa.Integer()),
        sa.Column("occupancy", EXACT),
        sa.Column("goals", sa.String()),
        sa.Column("filed_on", sa.Date()),
        sa.Column("source", sa.String(), nullable=False),
        _recorded_at(),
        sa.UniqueConstraint("park_id", "year"),
    )
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("cycle", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("proposed_rating", sa.String()),
        sa.Column("proposed_score", EXACT),
        sa.Column("proposed_on", sa.Date()),
        sa.Column("rating", sa.String()),
        sa.Column("rated_on", sa.Date()),
        sa.Column("rated_by", sa.String()),
        sa.Column("confirmed_by", sa.String()),
        sa.Column("confirmed_on", sa.Date()),
        sa.Column("rectified_on", sa.Date()),
        sa.Column("source", sa.String(), nullable=False),
        _recorded_at(),
        sa.UniqueConstraint("park_id", "policy_id", "cycle", "year"),
    )
    op.create_table(
        "waiver",
        sa.Column("id", sa.Integer(), primary_key=True),
        _park_id(),
        sa.Column("policy_id", sa.String(64), nullable=False),
        sa.Column("criterion_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("until", sa.Date()),
        _recorded_at(),
    )
    for table in ("application", "certification", "target", "assessment", "waiver"):
        op.create_index(f"ix_{table}_park_id", table, ["park_id"])


def downgrade() -> None:
    for table in ("waiver", "assessment", "target", "certification", "application"):
        op.drop_table(table)
