"""Receipts and orders without their status indexes, with room on their pages (PostgreSQL):
a close updates both rows in place.

A close changes the receipt's `status` and the order's. PostgreSQL rewrites an updated row
beside the old one without new index entries (a heap-only update) only when no index
covers a changed column and the page has room. `ix_receipts_brand_status` and
`ix_orders_brand_status` stopped both: every close added a new entry to each index of both
tables (nine), the unique ones checked against the old row's entry, and kept until a
vacuum. Without them, and with a fifth of each new page kept free (`fillfactor`), 98 % of
the receipts' and 85 % of the orders' updates were in place in a benchmark. The closes a
second rose with it in one hour of the machine and not in another (docs/performance.md).

What the indexes served now reads the brand's rows by its other indexes: a page filtered
by status costs what the unfiltered page does (whose count reads them all anyway), and the
kitchen's counts read the brand's orders. A partial index of the open ones would stop the
same updates (its condition's columns count as indexed).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision: str | None = "0016"
branch_labels: str | None = None
depends_on: str | None = None

# A fifth of each page left for its rows' updated versions (as core/receipts/table.py says).
FILLFACTOR = 80


def upgrade() -> None:
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_index("ix_receipts_brand_status")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_brand_status")
    if op.get_bind().dialect.name == "postgresql":
        # Pages written from now on; those already full fill again as their rows are
        # updated or pruned.
        op.execute(f"ALTER TABLE receipts SET (fillfactor = {FILLFACTOR})")
        op.execute(f"ALTER TABLE orders SET (fillfactor = {FILLFACTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE orders RESET (fillfactor)")
        op.execute("ALTER TABLE receipts RESET (fillfactor)")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_brand_status", ["brand_id", "status"], unique=False)
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.create_index("ix_receipts_brand_status", ["brand_id", "status"], unique=False)
