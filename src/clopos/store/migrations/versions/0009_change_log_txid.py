"""The change log's transaction ids on PostgreSQL: writers no longer take a lock to order
their log rows, so the log is followed by transaction (store/changes.py).

Each row gets `txid`, its transaction's id, from the column's default on PostgreSQL
(`pg_current_xact_id()`, PostgreSQL 13 or later); SQLite, with one writer at a time, keeps
following `seq` and leaves the column NULL. The default is set after the column is added,
so the rows already there keep NULL and the table is not rewritten.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

# The models' `int`: 64-bit, but INTEGER on SQLite (already 64-bit there, and only an
# INTEGER PRIMARY KEY autoincrements).
INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("change_log", sa.Column("txid", INT64, nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "change_log",
            "txid",
            server_default=sa.text("(pg_current_xact_id()::text::bigint)"),
        )
    op.create_index(
        "ix_change_log_txid",
        "change_log",
        ["txid", "seq"],
        postgresql_where=sa.text("txid IS NOT NULL"),
        sqlite_where=sa.text("txid IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_change_log_txid", table_name="change_log")
    with op.batch_alter_table("change_log") as batch:
        batch.drop_column("txid")
