"""PostgreSQL: `clopos_refused(ok, reason)`, which fails the statement it is in unless `ok`.

A receipt's close commits by its own statement, outside an explicit transaction
(store/moves.py): a count found wrong after it would be too late to undo, so the statement
checks its moves' counts itself and fails whole, with this function's error (SQLSTATE
`CL001`, the message its `reason`), when one is off. SQLite has no such statement.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION clopos_refused(ok boolean, reason text) RETURNS boolean
        LANGUAGE plpgsql AS $$
        BEGIN
            IF ok THEN
                RETURN true;
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'CL001', MESSAGE = reason;
        END
        $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS clopos_refused(boolean, text)")
