"""The first released schema: parks and their dossiers (sites, tenants, revenue, attestations).

Revision ID: 0001_core
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None

# Exact money and areas: NUMERIC(20, 2) on PostgreSQL; canonical decimal text on SQLite
# (see parkeval.store.tables.ExactDecimal). Frozen here so later model changes cannot alter history.
EXACT = sa.Numeric(20, 2).with_variant(sa.String(32), "sqlite")


def upgrade() -> None:
    op.create_table(
        "park",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("province", sa.String()),
        sa.Column("city", sa.String()),
        sa.Column("operator", sa.String()),
        sa.Column("operator_type", sa.String()),
        sa.Column("full_time_staff", sa.Integer()),
        sa.Column("source_file", sa.String()),
        sa.Column("input_sha256", sa.String()),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_park_code", "park", ["code"], unique=True)
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("park_id", sa.Integer(), sa.ForeignKey("park.id"), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("building_area_m2", EXACT, nullable=False),
        sa.UniqueConstraint("park_id", "code"),
    )
    op.create_index("ix_site_park_id", "site", ["park_id"])
    op.create_table(
        "tenant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("park_id", sa.Integer(), sa.ForeignKey("park.id"), nullable=False),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("site.id"), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("hr_service", sa.Boolean(), nullable=False),
        sa.Column("license_no", sa.String()),
        sa.Column("leased_area_m2", EXACT),
        sa.Column("move_in", sa.Date(), nullable=False),
        sa.Column("move_out", sa.Date()),
        sa.UniqueConstraint("park_id", "credit_code"),
    )
    op.create_index("ix_tenant_park_id", "tenant", ["park_id"])
    op.create_index("ix_tenant_site_id", "tenant", ["site_id"])
    op.create_table(
        "tenant_revenue",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tenant_id", sa.Integer(), sa.ForeignKey("tenant.id"), nullable=False),
        sa.Column("park_id", sa.Integer(), sa.ForeignKey("park.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_yuan", EXACT, nullable=False),
        sa.UniqueConstraint("tenant_id", "year"),
    )
    op.create_index("ix_tenant_revenue_park_year", "tenant_revenue", ["park_id", "year"])
    op.create_table(
        "attestation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("park_id", sa.Integer(), sa.ForeignKey("park.id"), nullable=False),
        sa.Column("criterion_id", sa.String(64), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.String()),
        sa.Column("note", sa.String()),
        sa.UniqueConstraint("park_id", "criterion_id"),
    )
    op.create_index("ix_attestation_park_id", "attestation", ["park_id"])


def downgrade() -> None:
    for table in ("attestation", "tenant_revenue", "tenant", "site", "park"):
        op.drop_table(table)
