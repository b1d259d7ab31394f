"""Keep annual occupancy targets exact: six decimal places for the ratio (65.55% is
0.6555), where NUMERIC(20, 2) rounded a 65.5% target to 66% on PostgreSQL. SQLite stores
the decimal text and needs no change.

Revision ID: 0004_target_occupancy_scale
Revises: 0003_history
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_target_occupancy_scale"
down_revision = "0003_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "target", "occupancy", type_=sa.Numeric(20, 6), existing_type=sa.Numeric(20, 2)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "target", "occupancy", type_=sa.Numeric(20, 2), existing_type=sa.Numeric(20, 6)
        )
