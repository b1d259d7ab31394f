"""The audit log: every change (import, rating, certification record) — when, what, by whom,
and a hash of the input.

Revision ID: 0002_audit_log
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_audit_log"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("park", sa.String(64)),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("detail", sa.String()),
        sa.Column("input_sha256", sa.String(64)),
    )
    op.create_index("ix_audit_log_park", "audit_log", ["park"])


def downgrade() -> None:
    op.drop_table("audit_log")
