"""Products: the e-menu and accounting fields of the reference's full example; taxes: the type's
name and the sale types a tax is limited to (issue 8).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

# The models' `int`: 64-bit, but INTEGER on SQLite (already 64-bit there, and only an
# INTEGER PRIMARY KEY autoincrements).
INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(sa.Column("emenu_category_id", INT64, nullable=True))
        batch_op.add_column(sa.Column("emenu_position", INT64, nullable=True))
        batch_op.add_column(sa.Column("emenu_hidden", INT64, nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("accounting_category_id", INT64, nullable=True))
        batch_op.add_column(
            sa.Column(
                "is_inventory_behavior_changeable",
                sa.Boolean(),
                nullable=False,
                server_default=sa.true(),
            )
        )

    with op.batch_alter_table("taxes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("type_name", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("sale_type_ids", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    # Existing rows got the defaults; the models set them from now on.
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.alter_column("emenu_hidden", server_default=None)
        batch_op.alter_column("is_inventory_behavior_changeable", server_default=None)
    with op.batch_alter_table("taxes", schema=None) as batch_op:
        batch_op.alter_column("sale_type_ids", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("taxes", schema=None) as batch_op:
        batch_op.drop_column("sale_type_ids")
        batch_op.drop_column("type_name")

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("is_inventory_behavior_changeable")
        batch_op.drop_column("accounting_category_id")
        batch_op.drop_column("emenu_hidden")
        batch_op.drop_column("emenu_position")
        batch_op.drop_column("emenu_category_id")
