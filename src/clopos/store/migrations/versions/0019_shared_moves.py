"""PostgreSQL: the moves of the rows every close shares (stock levels, balances) as
functions, so that the commit's statement never re-checks itself.

The commit's statement of a close (store/moves.py) moves the stock levels and balances
every close of the venue moves. Made by its own `UPDATE`s, a close that waited for
another's lock on them re-checked the row's new version, and PostgreSQL starts that
re-check by building every part of the statement again: some fourteen sub-plans, about a
seventh of the database's CPU in the closes (docs/performance.md). A function's statement
takes its own snapshot when it starts: these wait for the rows' locks and re-check only
their own small plan, and the commit's statement reads the moved rows from them.

Each locks its rows in their order (product, balance id) first, the order every writer of
them keeps, and answers the moved rows as the `UPDATE`s they replace answered them.
SQLite has one writer at a time and no row locks: it keeps the `UPDATE`s.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision: str | None = "0018"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE OR REPLACE FUNCTION clopos_move_stocks(
            brand bigint, storage bigint, products bigint[], changes double precision[]
        ) RETURNS TABLE (id bigint, product_id bigint, quantity double precision,
                         cost double precision)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        BEGIN
            RETURN QUERY
            UPDATE stocks AS level
            SET quantity = level.quantity + given.change
            FROM (
                SELECT held.id FROM stocks AS held
                WHERE held.brand_id = brand AND held.storage_id = storage
                    AND held.product_id = ANY (products)
                ORDER BY held.product_id
                FOR UPDATE
            ) AS locked,
            unnest(products, changes) AS given (product_id, change)
            WHERE level.brand_id = brand AND level.id = locked.id
                AND level.product_id = given.product_id
            RETURNING level.id, level.product_id, level.quantity, level.cost;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION clopos_move_balances(
            brand bigint, ids bigint[], amounts double precision[], counts bigint[],
            moved_at timestamp
        ) RETURNS TABLE (id bigint, amount double precision, movements bigint,
                         type varchar)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        BEGIN
            RETURN QUERY
            UPDATE balances AS balance
            -- Rounded to cents here: a float sum would drift by fractions of a cent.
            SET amount = round((balance.amount + given.amount)::numeric(18, 6), 2),
                movements = balance.movements + given.count,
                updated_at = moved_at
            FROM (
                SELECT held.id FROM balances AS held
                -- Never a customer's account (core/finance/ledger.py, CUSTOMER): what it
                -- holds is checked and written on the customer as it moves.
                WHERE held.brand_id = brand AND held.id = ANY (ids)
                    AND held.type <> 'CUSTOMER'
                ORDER BY held.id
                FOR UPDATE
            ) AS locked,
            unnest(ids, amounts, counts) AS given (id, amount, count)
            WHERE balance.brand_id = brand AND balance.id = locked.id
                AND balance.id = given.id
            RETURNING balance.id, balance.amount, balance.movements, balance.type;
        END
        $$
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DROP FUNCTION IF EXISTS clopos_move_stocks(bigint, bigint, bigint[], double precision[])"
    )
    op.execute(
        "DROP FUNCTION IF EXISTS clopos_move_balances"
        "(bigint, bigint[], double precision[], bigint[], timestamp)"
    )
