"""Webhooks (issue 19): subscriptions per brand with sealed secrets, the events made from
the change log, their deliveries, the last state each record's events said, and the one
sender's lease and place in the log.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None

# The models' `int`: 64-bit, but INTEGER on SQLite (already 64-bit there, and only an
# INTEGER PRIMARY KEY autoincrements).
INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.Column("previous_secret", sa.LargeBinary(), nullable=True),
        sa.Column("previous_until", sa.DateTime(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
            name=op.f("fk_webhook_subscriptions_brand_id_brands"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscriptions")),
    )
    op.create_index(
        op.f("ix_webhook_subscriptions_brand_id"), "webhook_subscriptions", ["brand_id"]
    )
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("seq", INT64, nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("venue_id", INT64, nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
    )
    op.create_index(
        "ix_webhook_events_brand_id_created_at", "webhook_events", ["brand_id", "created_at"]
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", INT64, autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("ordering", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", INT64, nullable=False),
        sa.Column("next_at", sa.DateTime(), nullable=True),
        sa.Column("last_status", INT64, nullable=True),
        sa.Column("last_answer", sa.String(length=300), nullable=True),
        sa.Column("latency_ms", INT64, nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_events.id"],
            name=op.f("fk_webhook_deliveries_event_id_webhook_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscriptions.id"],
            name=op.f("fk_webhook_deliveries_subscription_id_webhook_subscriptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index(
        "ix_webhook_deliveries_status_next_at", "webhook_deliveries", ["status", "next_at"]
    )
    op.create_index(
        "ix_webhook_deliveries_subscription_id_ordering_id",
        "webhook_deliveries",
        ["subscription_id", "ordering", "id"],
    )
    op.create_table(
        "webhook_states",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "key", name=op.f("pk_webhook_states")),
    )
    op.create_table(
        "webhook_sender",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("seq", INT64, nullable=False),
        sa.Column("horizon", INT64, nullable=False),
        sa.Column("handed", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_webhook_sender")),
    )


def downgrade() -> None:
    op.drop_table("webhook_sender")
    op.drop_table("webhook_states")
    op.drop_index(
        "ix_webhook_deliveries_subscription_id_ordering_id", table_name="webhook_deliveries"
    )
    op.drop_index("ix_webhook_deliveries_status_next_at", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_webhook_events_brand_id_created_at", table_name="webhook_events")
    op.drop_table("webhook_events")
    op.drop_index(op.f("ix_webhook_subscriptions_brand_id"), table_name="webhook_subscriptions")
    op.drop_table("webhook_subscriptions")
