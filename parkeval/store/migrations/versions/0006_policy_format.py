"""Policies that name what they measure: sites carry the kinds of area a dossier gives
(建筑面积, 使用面积, 产权面积, 租赁面积) and tenants a class of institution instead of a yes/no.

* ``site``: ``building_area_m2`` may be empty now (a dossier may give only 使用面积), and three
  more kinds are added, empty for existing sites — every existing site keeps its building area
  as the building-area kind.
* ``tenant``: ``hr_class`` replaces ``hr_service``. An existing tenant with ``hr_service``
  true held a 人力资源服务许可证 or a 备案 without saying which: it becomes
  ``licensed_or_filed``, which every built-in policy counts exactly as before; one with
  ``hr_service`` false becomes ``none``. Nothing else changes, so no verdict changes.

Revision ID: 0006_policy_format
Revises: 0005_corrections
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_policy_format"
down_revision = "0005_corrections"
branch_labels = None
depends_on = None

EXACT = sa.Numeric(20, 2).with_variant(sa.String(32), "sqlite")  # see 0001_core


def upgrade() -> None:
    with op.batch_alter_table("site") as batch:
        batch.alter_column("building_area_m2", existing_type=EXACT, nullable=True)
        batch.add_column(sa.Column("usable_area_m2", EXACT))
        batch.add_column(sa.Column("property_area_m2", EXACT))
        batch.add_column(sa.Column("rented_area_m2", EXACT))
    with op.batch_alter_table("tenant") as batch:
        batch.add_column(
            sa.Column("hr_class", sa.String(24), nullable=False, server_default="none")
        )
    tenant = sa.table("tenant", sa.column("hr_class", sa.String()), sa.column("hr_service"))
    op.execute(
        tenant.update().where(tenant.c.hr_service == sa.true()).values(hr_class="licensed_or_filed")
    )
    with op.batch_alter_table("tenant") as batch:
        batch.alter_column("hr_class", existing_type=sa.String(24), server_default=None)
        batch.drop_column("hr_service")


def downgrade() -> None:
    raise NotImplementedError(
        "0006_policy_format replaces hr_service with a class and lets sites give other kinds "
        "of area; restore a backup to go back"
    )
