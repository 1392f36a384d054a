"""Operators' console actions in the audit trail: who did it, to what, and what it was
before and after.

`audit_events` already holds token exchanges, refused requests and console sign-ins (an
operator stands as `operator:NAME` in `client_id`). A console action (accepting an order,
closing a receipt, stopping a product, changing a client's access, ...) is one more row
there, written in the same transaction as the change itself: `operator` names the account,
`target` what was acted on (`order 12`, `receipt 7`, `client abc`), `detail` the state
before and after (`{"before": ..., "after": ...}`, never a secret). The three columns are
NULL for the other events, so no row is rewritten.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("operator", sa.String(64), nullable=True))
        batch.add_column(sa.Column("target", sa.String(64), nullable=True))
        batch.add_column(sa.Column("detail", sa.JSON(), nullable=True))
    op.create_index("ix_audit_events_brand_at", "audit_events", ["brand", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_brand_at", table_name="audit_events")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("detail")
        batch.drop_column("target")
        batch.drop_column("operator")
