"""The sender's read of the deliveries due: which it answers, and that it reads them from
the partial index of pending deliveries on both databases, so its cost follows the work
still to do and not the delivery log's length (migration 0015); and how their answers are
noted."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from clopos.core.readmodel import in_values
from clopos.core.sealing import Seal
from clopos.core.webhooks import deliveries, subscriptions
from clopos.core.webhooks.table import WebhookDelivery, WebhookEvent
from clopos.store.base import utcnow
from clopos.store.db import Database
from tests.store.dbutil import generic_plan, is_sqlite, with_database

MADE = 2000  # deliveries made before: the log a sender would have walked past
WAITING = 600  # more pending than the statistics know of
SEAL = Seal(secrets.token_bytes(32))


def _fill(session: Session) -> dict[str, Any]:
    """A subscription with `MADE` deliveries made (a tenth of them of the menu, one
    resource), then four pending: one due, one backing off, one waiting behind the
    first (the same resource), one due; then `WAITING` more due. The table's statistics
    are taken early, when it held a few rows, as they lag behind in a sender's busy
    hour."""
    subscription = subscriptions.add(session, 1, "http://127.0.0.1:9/hooks", ["*"], SEAL)
    sub = subscription.subscription["id"]
    now = utcnow()
    count = MADE + 4 + WAITING
    orderings = [f"orders:{n}" if n % 10 else "menu" for n in range(MADE)]
    orderings += ["orders:due", "orders:later", "orders:due", "menu"]
    orderings += [f"orders:waiting-{n}" for n in range(WAITING)]
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
    events = [
        {"id": f"evt_{n}", "seq": n, "brand_id": 1, "type": "order.created", "body": b"{}"}
        for n in range(count)
    ]
    session.execute(insert(WebhookEvent), events[:20])
    session.execute(insert(WebhookDelivery), rows[:20])
    session.execute(text("ANALYZE"))
    session.execute(insert(WebhookEvent), events[20:])
    session.execute(insert(WebhookDelivery), rows[20:])
    ids = session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.status == "pending").order_by("id")
    ).all()
    return {"due": ids[0], "later": ids[1], "behind": ids[2], "other": ids[3], "rest": ids[4:]}


def _plan(session: Session) -> str:
    """How the database runs the due read leaving out 32 deliveries being made: on
    PostgreSQL its generic plan (the one a prepared statement settles on, which cannot use
    a bound parameter to choose a partial index), on SQLite its query plan."""
    connection = session.connection()
    dialect = connection.dialect
    compiled = deliveries.due_statement(32).statement.compile(dialect=dialect)
    busy = in_values("busy", list(range(1, 33)), 32)
    values = {**compiled.params, "now": utcnow(), "limit": 50, **busy}
    if is_sqlite(str(connection.engine.url)):
        assert compiled.positiontup is not None
        positional = tuple(values[name] for name in compiled.positiontup)
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", positional)
        return "\n".join(str(row[-1]) for row in rows)
    literal = ", ".join(
        f"'{values[name]}'" if not isinstance(values[name], int) else str(values[name])
        for name in compiled.positiontup or ()
    )
    return generic_plan(session, str(compiled), literal)


def test_due_answers_the_first_pending_of_each_resource_from_the_pending_indexes(
    initialised_database_url: str, tmp_path: Path
) -> None:
    async def run(db: Database) -> tuple[dict[str, Any], list[list[int]], str]:
        ids = await db.write(_fill)
        found = await db.read(deliveries.due, utcnow(), SEAL)
        busy = await db.read(deliveries.due, utcnow(), SEAL, frozenset({ids["due"]}), 3)
        # More being made than the statement leaves out itself: the rest skipped after.
        many = frozenset({ids["due"], *ids["rest"][:300]})
        beyond = await db.read(deliveries.due, utcnow(), SEAL, many, 4)
        plan = await db.read(_plan)
        answers = [[o.delivery_id for o in some] for some in (found, busy, beyond)]
        return ids, answers, plan

    ids, (found, busy, beyond), plan = with_database(initialised_database_url, tmp_path, run)
    assert found == [ids["due"], ids["other"], *ids["rest"][:48]]
    # Being made: not again; the one behind it still waits for it.
    assert busy == [ids["other"], *ids["rest"][:2]]
    assert beyond == [ids["other"], *ids["rest"][300:303]]
    assert re.search(r"\bix_webhook_deliveries_pending\b", plan), plan
    assert re.search(r"\bix_webhook_deliveries_pending_ordering\b", plan), plan
    # Nothing reads the whole table, whatever the statistics say.
    assert not re.search(r"Seq Scan|Hash|SCAN webhook_deliveries$", plan, re.MULTILINE), plan


def test_an_answer_is_noted_over_the_attempts_it_was_sent_after_and_a_replay_meanwhile_stands(
    initialised_database_url: str, tmp_path: Path
) -> None:
    policy = deliveries.RetryPolicy(draw=lambda low, high: high)

    def noted(session: Session, ids: list[int]) -> list[tuple[str, int, int | None]]:
        rows = session.execute(
            select(WebhookDelivery.status, WebhookDelivery.attempts, WebhookDelivery.last_status)
            .where(WebhookDelivery.id.in_(ids))
            .order_by(WebhookDelivery.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]

    async def run(db: Database) -> tuple[list[int], list[int], Any, list[Any]]:
        ids = await db.write(_fill)
        first, other = ids["due"], ids["other"]
        await db.write(
            lambda s: s.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id.in_([first, other]))
                .values(attempts=3)
            )
        )
        sent = await db.read(deliveries.due, utcnow(), SEAL, frozenset(), 2)
        # While they were out, an operator replayed the first: its attempts count anew.
        await db.write(deliveries.replay, 1, [first])
        now = utcnow()
        answers = [
            (sent[0], deliveries.Outcome(500, "no", 3), now),
            (sent[1], deliveries.Outcome(200, "ok", 2), now),
        ]
        statuses = await db.write(deliveries.record, answers, policy)
        return (
            [o.delivery_id for o in sent],
            [o.attempts for o in sent],
            statuses,
            await db.read(noted, [first, other]),
        )

    sent, attempts, statuses, rows = with_database(initialised_database_url, tmp_path, run)
    assert attempts == [3, 3]
    assert statuses[sent[1]] == "delivered"
    # The replayed one is as the replay left it (pending, from 0, to go now); the other
    # counts the attempt it was sent as.
    assert rows == [("pending", 0, None), ("delivered", 4, 200)]
