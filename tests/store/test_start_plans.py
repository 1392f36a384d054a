"""The plans a PostgreSQL backend makes on a freshly started database, and keeps: a
statement's generic plan (the foreign keys' checks, and the app's own statements asyncpg
prepares) is made once per backend and used until the table's statistics change, often
long after the table has grown. Each plan here must read by an index, whatever the table
holds later (store/statistics.py, docs/performance.md)."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import Session

from clopos.core.webhooks.deliveries import due_statement
from clopos.store.changes import _DURABLE_POSTGRES_READ
from clopos.store.db import Database
from clopos.store.statistics import analyse_new_tables
from tests.store.dbutil import generic_plan, with_database
from tests.support import Postgres

# What PostgreSQL runs for an order line's foreign key to its order (ri_triggers.c).
ORDER_LINE_CHECK = (
    'SELECT 1 FROM ONLY "public"."orders" x'
    ' WHERE "brand_id" OPERATOR(pg_catalog.=) $1 AND "id" OPERATOR(pg_catalog.=) $2'
    " FOR KEY SHARE OF x"
)
WHOLE_TABLE = re.compile(r"Seq Scan|Hash")


def _plans(session: Session) -> dict[str, str]:
    dialect = session.connection().dialect
    return {
        "order line check": generic_plan(session, ORDER_LINE_CHECK, "1, 1"),
        "deliveries due": generic_plan(
            session,
            str(due_statement(2).statement.compile(dialect=dialect)),
            "now()::timestamp, 1, 2, 50",
        ),
        "change log, by transaction": generic_plan(
            session,
            str(_DURABLE_POSTGRES_READ.compile(dialect=dialect)),
            "0, ARRAY[]::bigint[], 200",
        ),
    }


def _never_analysed(session: Session) -> list[str]:
    found = session.connection().exec_driver_sql(
        "SELECT relname FROM pg_class WHERE relkind = 'r'"
        " AND relnamespace = 'public'::regnamespace AND reltuples < 0"
        " AND oid IN (SELECT confrelid FROM pg_constraint WHERE contype = 'f')"
        " AND pg_relation_size(oid) > 0"
    )
    return [row[0] for row in found]


def test_a_fresh_databases_kept_plans_read_by_index(postgres: Postgres, tmp_path: Path) -> None:
    async def run(db: Database) -> tuple[dict[str, str], list[str], list[str]]:
        plans = await db.read(_plans)
        left = await db.read(_never_analysed)
        again = await db.write(analyse_new_tables)
        return plans, left, again

    plans, left, again = with_database(postgres.new_database(), tmp_path, run)
    # Through its primary key, not another index that begins with brand_id.
    assert "pk_orders" in plans["order line check"], plans["order line check"]
    due = plans["deliveries due"]
    assert "ix_webhook_deliveries_pending " in due, due
    assert "ix_webhook_deliveries_pending_ordering" in due, due
    log = plans["change log, by transaction"]
    assert log.count("ix_change_log_txid") == 2, log
    for name, plan in plans.items():
        assert not WHOLE_TABLE.search(plan), (name, plan)
    # The referenced tables the seeding filled were analysed; nothing is left for a start
    # on a database in use.
    assert left == []
    assert again == []
