"""Rewards: the facts a bureau records for reward schemes (revenue, honours, ratings, hires,
events, booths, contribution, location, approvals, payments, loans, transfers), one table,
rows never updated or deleted (corrections and withdrawals supersede them).

Revision ID: 0007_reward_facts
Revises: 0006_policy_format
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_reward_facts"
down_revision = "0006_policy_format"
branch_labels = None
depends_on = None

EXACT = sa.Numeric(20, 2).with_variant(sa.String(32), "sqlite")  # see 0001_core


def upgrade() -> None:
    op.create_table(
        "reward_fact",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("subject_kind", sa.String(8), nullable=False),
        sa.Column("city", sa.String(64)),
        sa.Column("park", sa.String(64)),
        sa.Column("year", sa.Integer()),
        sa.Column("on_date", sa.Date()),
        sa.Column("code", sa.String(64)),
        sa.Column("level", sa.String(16)),
        sa.Column("amount_yuan", EXACT),
        sa.Column("count", sa.Integer()),
        sa.Column("attendees", sa.Integer()),
        sa.Column("contract_months", sa.Integer()),
        sa.Column("insured_months", sa.Integer()),
        sa.Column("area", sa.String()),
        sa.Column("result", sa.String(8)),
        sa.Column("note", sa.String()),
        sa.Column("supersedes", sa.Integer()),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("input_sha256", sa.String(64)),
        sa.Column("recorded_by", sa.String()),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reward_fact_city_kind", "reward_fact", ["city", "kind"])
    op.create_index("ix_reward_fact_subject", "reward_fact", ["subject"])
    op.create_index("ix_reward_fact_supersedes", "reward_fact", ["supersedes"])


def downgrade() -> None:
    op.drop_table("reward_fact")
