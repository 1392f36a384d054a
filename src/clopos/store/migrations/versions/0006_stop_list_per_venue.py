"""The stop list per venue: entries get a venue (part of the key); existing entries move to
their brand's first venue, its main one (issue 8).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

# The models' `int`: 64-bit, but INTEGER on SQLite (already 64-bit there, and only an
# INTEGER PRIMARY KEY autoincrements).
INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("stop_list", schema=None) as batch_op:
        batch_op.add_column(sa.Column("venue_id", INT64, nullable=True))
    op.execute(
        "UPDATE stop_list SET venue_id ="
        " (SELECT min(venues.id) FROM venues WHERE venues.brand_id = stop_list.brand_id)"
    )
    # A brand without a venue cannot have had a stop list worth keeping.
    op.execute("DELETE FROM stop_list WHERE venue_id IS NULL")
    with op.batch_alter_table("stop_list", schema=None) as batch_op:
        batch_op.alter_column("venue_id", existing_type=INT64, nullable=False)
        batch_op.drop_constraint("pk_stop_list", type_="primary")
        batch_op.create_primary_key("pk_stop_list", ["brand_id", "venue_id", "product_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_stop_list_brand_id_venue_id_venues"),
            "venues",
            ["brand_id", "venue_id"],
            ["brand_id", "id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    # One entry per product again: the first venue's.
    op.execute(
        "DELETE FROM stop_list WHERE venue_id <>"
        " (SELECT min(venues.id) FROM venues WHERE venues.brand_id = stop_list.brand_id)"
    )
    with op.batch_alter_table("stop_list", schema=None) as batch_op:
        batch_op.drop_constraint("fk_stop_list_brand_id_venue_id_venues", type_="foreignkey")
        batch_op.drop_constraint("pk_stop_list", type_="primary")
        batch_op.create_primary_key("pk_stop_list", ["brand_id", "product_id"])
        batch_op.drop_column("venue_id")
