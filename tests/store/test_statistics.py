"""A start gives PostgreSQL statistics for the tables it has none of (store/statistics.py),
so the foreign keys' checks on a fresh database go through the parent's primary key."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from clopos.store.db import Database
from clopos.store.statistics import analyse_new_tables
from tests.store.dbutil import with_database
from tests.support import Postgres

# What PostgreSQL runs for an order line's foreign key to its order (ri_triggers.c).
ORDER_LINE_CHECK = (
    'SELECT 1 FROM ONLY "public"."orders" x'
    ' WHERE "brand_id" OPERATOR(pg_catalog.=) $1 AND "id" OPERATOR(pg_catalog.=) $2'
    " FOR KEY SHARE OF x"
)


def _generic_plan(session: Session) -> str:
    """The plan a backend keeps for the check: the generic one, made without the values."""
    connection = session.connection()
    connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql(f"PREPARE line_check (bigint, bigint) AS {ORDER_LINE_CHECK}")
    rows = connection.exec_driver_sql("EXPLAIN EXECUTE line_check (1, 1)")
    plan = "\n".join(str(row[0]) for row in rows)
    connection.exec_driver_sql("DEALLOCATE line_check")
    connection.exec_driver_sql("RESET plan_cache_mode")
    return plan


def _never_analysed(session: Session) -> list[str]:
    found = session.connection().exec_driver_sql(
        "SELECT relname FROM pg_class WHERE relkind = 'r'"
        " AND relnamespace = 'public'::regnamespace AND reltuples < 0"
    )
    return [row[0] for row in found]


def test_a_fresh_postgres_database_is_analysed_at_start(postgres: Postgres, tmp_path: Path) -> None:
    async def run(db: Database) -> tuple[list[str], str, list[str]]:
        left = await db.read(_never_analysed)
        plan = await db.read(_generic_plan)
        again = await db.write(analyse_new_tables)
        return left, plan, again

    left, plan, again = with_database(postgres.new_database(), tmp_path, run)
    assert "pk_orders" in plan, plan
    assert left == []
    assert again == []  # nothing left to analyse: a start on a database in use does nothing
