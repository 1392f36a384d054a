"""The sender's read of the deliveries due: which it answers, and that it reads them from
the partial index of pending deliveries on both databases, so its cost follows the work
still to do and not the delivery log's length (migration 0015)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from clopos.core.sealing import Seal
from clopos.core.webhooks import deliveries, subscriptions
from clopos.core.webhooks.table import WebhookDelivery, WebhookEvent
from clopos.store.base import utcnow
from clopos.store.db import Database
from tests.store.dbutil import is_sqlite, with_database

MADE = 2000  # deliveries made before: the log a sender would have walked past
SEAL = Seal(secrets.token_bytes(32))


def _fill(session: Session) -> dict[str, int]:
    """A subscription with `MADE` delivered deliveries, then four pending: one due, one
    backing off, one waiting behind an earlier pending one of its resource, one due."""
    subscription = subscriptions.add(session, 1, "http://127.0.0.1:9/hooks", ["*"], SEAL)
    sub = subscription.subscription["id"]
    now = utcnow()
    count = MADE + 4
    session.execute(
        insert(WebhookEvent),
        [
            {"id": f"evt_{n}", "seq": n, "brand_id": 1, "type": "order.created", "body": b"{}"}
            for n in range(count)
        ],
    )
    orderings = [f"orders:{n}" for n in range(MADE)] + [
        "orders:due",
        "orders:later",
        "orders:due",  # behind the first: goes once that one is made
        "orders:other",
    ]
    rows: list[dict[str, Any]] = [
        {
            "subscription_id": sub,
            "event_id": f"evt_{n}",
            "ordering": orderings[n],
            "status": "delivered" if n < MADE else "pending",
            "next_at": now - timedelta(minutes=1),
        }
        for n in range(count)
    ]
    rows[MADE + 1]["next_at"] = now + timedelta(hours=1)
    session.execute(insert(WebhookDelivery), rows)
    session.execute(text("ANALYZE"))
    ids = sorted(d.id for d in session.query(WebhookDelivery.id).filter_by(status="pending"))
    return {"due": ids[0], "later": ids[1], "behind": ids[2], "other": ids[3]}


def _plan(session: Session) -> str:
    """How the database runs the due read: on PostgreSQL its generic plan (the one a
    prepared statement settles on, which cannot use a bound parameter to choose a partial
    index), on SQLite its query plan."""
    connection = session.connection()
    dialect = connection.dialect
    compiled = deliveries._DUE.compile(dialect=dialect)
    values = {**compiled.params, "now": utcnow(), "limit": 50}
    if is_sqlite(str(connection.engine.url)):
        assert compiled.positiontup is not None
        positional = tuple(values[name] for name in compiled.positiontup)
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", positional)
        return "\n".join(str(row[-1]) for row in rows)
    connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql(f"PREPARE due_probe AS {compiled}")
    assert compiled.positiontup is not None
    literal = ", ".join(
        f"'{values[name]}'" if not isinstance(values[name], int) else str(values[name])
        for name in compiled.positiontup
    )
    rows = connection.exec_driver_sql(f"EXPLAIN EXECUTE due_probe({literal})")
    plan = "\n".join(str(row[0]) for row in rows)
    connection.exec_driver_sql("DEALLOCATE due_probe")
    connection.exec_driver_sql("RESET plan_cache_mode")
    return plan


def test_due_answers_the_pending_ones_in_order_from_the_pending_index(
    database_url: str, tmp_path: Path
) -> None:
    async def run(db: Database) -> tuple[dict[str, int], list[int], list[int], str]:
        ids = await db.write(_fill)
        found = await db.read(deliveries.due, utcnow(), SEAL)
        busy = await db.read(deliveries.due, utcnow(), SEAL, frozenset({ids["due"]}))
        plan = await db.read(_plan)
        return ids, [o.delivery_id for o in found], [o.delivery_id for o in busy], plan

    ids, found, busy, plan = with_database(database_url, tmp_path, run)
    assert found == [ids["due"], ids["other"]]
    assert busy == [ids["other"]]  # being made: not again; the one behind it still waits
    assert "ix_webhook_deliveries_pending" in plan, plan
