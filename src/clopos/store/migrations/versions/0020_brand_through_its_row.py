"""No foreign key to `brands` on the rows that have their brand through another row.

A row that refers to another of its brand's rows by a composite key (brand_id, ...) whose
columns are never null has its brand through that row: its own key to `brands` only
checked again what the composite key checks. Each check cost a row added a lookup of the
brand, and PostgreSQL runs it on every update of a row its own transaction changed before
(a batch of closes updates the same stock levels once a close): store/base.py, `Branded`.
The tables below are those the models give a key holding the brand (`holds_brand`).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision: str | None = "0019"
branch_labels: str | None = None
depends_on: str | None = None

TABLES = (
    "cash_shifts",
    "finance_transactions",
    "modifiers",
    "operation_items",
    "operations",
    "order_products",
    "orders",
    "packages",
    "price_list_prices",
    "product_codes",
    "product_modifier_groups",
    "product_tags",
    "product_taxes",
    "receipt_payments",
    "receipt_product_modifiers",
    "receipt_products",
    "receipt_taxes",
    "receipts",
    "recipe_items",
    "stock_operations",
    "stocks",
    "stop_list",
    "venue_order_modes",
    "venue_tables",
    "waiter_calls",
)


def upgrade() -> None:
    for table in TABLES:
        # SQLite drops a constraint by rebuilding its table (Alembic's batch mode).
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_brand_id_brands", type_="foreignkey")


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_foreign_key(
                f"fk_{table}_brand_id_brands", "brands", ["brand_id"], ["id"]
            )
