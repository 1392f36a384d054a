"""The change log's `at` index as a block-range index (PostgreSQL): its rows cost it
nothing to add.

Every write adds change-log rows (a close, eight), and a B-tree of `at` took an entry for
each. Only the pruning of old rows reads it, and the log's rows come in `at` order: a
block-range index (BRIN) keeps each range of pages' least and greatest `at`, which is all a
"before this moment" delete needs, and a row added to the table's last range, not yet
summarised, adds nothing to it. `autosummarize` summarises a range once rows go past it,
so that the pruning skips the ranges it need not read. Pages a prune frees take new rows
after a vacuum: their ranges then hold old and new moments, and the next prune reads them
too (more pages read by a periodic job, never a wrong row). SQLite has no such index: its
B-tree stays.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision: str | None = "0017"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_change_log_at", table_name="change_log")
    op.create_index(
        "ix_change_log_at",
        "change_log",
        ["at"],
        postgresql_using="brin",
        postgresql_with={"autosummarize": "on"},
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_change_log_at", table_name="change_log")
    op.create_index("ix_change_log_at", "change_log", ["at"])
