"""Customers: balance accounts (balance, bonus, cashback), a venue and the system group "My
Customers" for those without; customer groups' discount_type as 0/1/2 (issue 8).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

# The models' `int`: 64-bit, but INTEGER on SQLite (already 64-bit there, and only an
# INTEGER PRIMARY KEY autoincrements).
INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("customer_groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discount_kind", INT64, nullable=True))
    # The old text values, as numbers: 0 none, 1 percent, 2 amount; anything else unknown.
    op.execute(
        "UPDATE customer_groups SET discount_kind = CASE lower(discount_type)"
        " WHEN 'none' THEN 0 WHEN '0' THEN 0 WHEN 'percent' THEN 1 WHEN '1' THEN 1"
        " WHEN 'amount' THEN 2 WHEN 'fixed' THEN 2 WHEN '2' THEN 2 ELSE NULL END"
    )
    with op.batch_alter_table("customer_groups", schema=None) as batch_op:
        batch_op.drop_column("discount_type")

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("balance_id", INT64, nullable=True))
        batch_op.add_column(sa.Column("bonus_balance_id", INT64, nullable=True))
        batch_op.add_column(sa.Column("cashback_balance_id", INT64, nullable=True))
        for name in ("balance_amount", "bonus_amount", "cashback_amount"):
            batch_op.add_column(sa.Column(name, sa.Double(), nullable=False, server_default="0"))
    with op.batch_alter_table("customers", schema=None) as batch_op:
        for name in ("balance_amount", "bonus_amount", "cashback_amount"):
            batch_op.alter_column(name, server_default=None)
    _existing_customers()


def _existing_customers() -> None:
    """Every existing customer gets its three balance accounts, numbered past the payment
    methods' balance ids. Nothing else changes: the release's rows stay as they were (a
    customer without a venue or group keeps none; the brand's id sequences are untouched:
    the first account opened later continues past these, see `open_balances`)."""
    bind = op.get_bind()
    brands = [row[0] for row in bind.execute(sa.text("SELECT DISTINCT brand_id FROM customers"))]
    for brand in brands:
        key = {"b": brand}
        last = 0
        for (balance,) in bind.execute(
            sa.text("SELECT balance FROM payment_methods WHERE brand_id = :b"), key
        ):
            value = json.loads(balance) if isinstance(balance, str) else balance
            if isinstance(value, dict) and isinstance(value.get("id"), int):
                last = max(last, value["id"])
        customers = bind.execute(
            sa.text("SELECT id FROM customers WHERE brand_id = :b ORDER BY id"), key
        ).scalars()
        for customer in list(customers):
            bind.execute(
                sa.text(
                    "UPDATE customers SET balance_id = :a, bonus_balance_id = :c,"
                    " cashback_balance_id = :d WHERE brand_id = :b AND id = :id"
                ),
                {**key, "id": customer, "a": last + 1, "c": last + 2, "d": last + 3},
            )
            last += 3


def downgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("cashback_amount")
        batch_op.drop_column("bonus_amount")
        batch_op.drop_column("balance_amount")
        batch_op.drop_column("cashback_balance_id")
        batch_op.drop_column("bonus_balance_id")
        batch_op.drop_column("balance_id")

    with op.batch_alter_table("customer_groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discount_type", sa.VARCHAR(length=32), nullable=True))
    op.execute(
        "UPDATE customer_groups SET discount_type = CASE discount_kind"
        " WHEN 0 THEN 'none' WHEN 1 THEN 'percent' WHEN 2 THEN 'amount' ELSE NULL END"
    )
    with op.batch_alter_table("customer_groups", schema=None) as batch_op:
        batch_op.drop_column("discount_kind")
