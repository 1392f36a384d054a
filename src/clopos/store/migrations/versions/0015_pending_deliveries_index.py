"""The webhook deliveries' indexes for the sender: of the pending ones only.

The sender's read of the deliveries due (oldest first, a resource's first pending one to
each subscription) went through indexes of every delivery: it walked past every delivered
one in id order (2 ms a round at 20,000 made), or, planned from stale statistics, hashed
the whole table (6-86 ms a round in a benchmark). Two partial indexes of the pending ones
stay as small as the work still to do, and a delivery noted as made leaves both (its row's
new version is indexed in neither).

Listing one subscription's deliveries and removing a subscription, operator actions, read
the table by its primary key or whole instead.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.drop_index("ix_webhook_deliveries_status_next_at", table_name="webhook_deliveries")
    op.drop_index(
        "ix_webhook_deliveries_subscription_id_ordering_id", table_name="webhook_deliveries"
    )
    op.create_index(
        "ix_webhook_deliveries_pending",
        "webhook_deliveries",
        ["id", "next_at"],
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )
    op.create_index(
        "ix_webhook_deliveries_pending_ordering",
        "webhook_deliveries",
        ["subscription_id", "ordering", "id"],
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_pending_ordering", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_pending", table_name="webhook_deliveries")
    op.create_index(
        "ix_webhook_deliveries_subscription_id_ordering_id",
        "webhook_deliveries",
        ["subscription_id", "ordering", "id"],
    )
    op.create_index(
        "ix_webhook_deliveries_status_next_at", "webhook_deliveries", ["status", "next_at"]
    )
