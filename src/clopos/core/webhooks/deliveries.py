"""Deliveries: which are due, what an attempt's answer does to one, the delivery log,
manual replay, and the events kept (the sandbox's `events`).

At least once, in order per resource: a delivery is due once its time has come and no
earlier delivery of the same subscription and resource is still pending. A failure is
tried again after an exponential backoff with jitter; past the last attempt the delivery
is dead (kept, and replayable by hand). A delivery whose answer was lost with its process
stays pending and goes out again, with the same event id and body.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Table, and_, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Subquery

from clopos.core.errors import Invalid, not_found
from clopos.core.formats import iso
from clopos.core.readmodel import in_parameters, in_size, in_values
from clopos.core.webhooks.subscriptions import Sealer, load, signing_secrets
from clopos.core.webhooks.table import (
    PENDING,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from clopos.core.webhooks.types import DELIVERY_STATUSES, EVENT_TYPES
from clopos.store.base import utcnow
from clopos.store.direct import Direct
from clopos.store.uow import connection_of


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt n (1, 2, ...) failed: the next one waits `base * 2**(n-1)` seconds, at most
    `cap`, drawn between half of that and all of it (jitter: receivers coming back are not
    hit by every sender at once). After `attempts` attempts the delivery is dead.

    The defaults try 12 times over about four to seven hours.
    """

    base: float = 30.0
    cap: float = 3600.0
    attempts: int = 12
    draw: Callable[[float, float], float] = field(default=random.uniform, compare=False)

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        return self.draw(ceiling / 2, ceiling)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A delivery to make now."""

    delivery_id: int
    event_id: str
    event_type: str
    url: str
    body: bytes
    secrets: list[str]
    attempts: int  # made before this one


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt got: `status` None when no answer came (`answer` says why)."""

    status: int | None
    answer: str
    latency_ms: int

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


_SAME = aliased(WebhookDelivery)
# A resource's first pending delivery to a subscription: the one of them that may go now.
_FIRST = (
    select(func.min(_SAME.id))
    .where(
        _SAME.subscription_id == WebhookDelivery.subscription_id,
        _SAME.ordering == WebhookDelivery.ordering,
        PENDING,
    )
    .scalar_subquery()
)
# The deliveries due, oldest first, then their events. Each step reads a partial index of
# the pending deliveries (table.py), whose condition the query says in the index's own
# words: a prepared statement's generic plan cannot prove it from a bound parameter. The
# first is a correlated subquery, run for each pending delivery the scan meets until
# `limit` are found; as an anti-join, a planner working from stale statistics (the table
# grows fast) hashed every pending and delivered row and fetched every pending event's
# body before sorting them (docs/performance.md). Bodies are read for the `limit` alone.
#
# The deliveries being made (`busy`: in flight, or answered and not noted yet) are left
# out by the statement itself, before the subquery and the event's body: under load they
# are most of the pending ones at the head of the index, and asking for `limit` more to
# skip them in Python had each read fetch and send them all again (a sender's dearest
# statement at the database, issue 19). At most `_LEFT_OUT` are (a list of parameters:
# SQLite before 3.32 takes 999 at most); any more are skipped in Python, the read asking
# for as many more.
_LEFT_OUT = 256


def _due_ids(busy: int) -> Subquery:
    return (
        select(
            WebhookDelivery.id,
            WebhookDelivery.event_id,
            WebhookDelivery.subscription_id,
            WebhookDelivery.attempts,
        )
        .where(
            PENDING,
            WebhookDelivery.next_at <= bindparam("now"),
            ~in_parameters(WebhookDelivery.id, "busy", busy),
            WebhookDelivery.id == _FIRST,
        )
        .order_by(WebhookDelivery.id)
        .limit(bindparam("limit"))
        .subquery("due")
    )


@functools.cache
def due_statement(busy: int) -> Direct:
    """The due read leaving out `busy` deliveries (a size of `in_size`): built and compiled
    once, run on the driver (the sender reads it every round: an ORM statement built per
    call was compiled per call, milliseconds a round; through the ORM's execution, a part
    of the sender's CPU under load). Columns only: the few subscriptions they name are
    loaded once each (an entity per row was the ORM loading it again for every
    delivery)."""
    ids = _due_ids(busy)
    return Direct(
        select(
            ids.c.id,
            WebhookEvent.id,
            WebhookEvent.type,
            WebhookEvent.body,
            ids.c.subscription_id,
            ids.c.attempts,
        )
        .join(WebhookEvent, WebhookEvent.id == ids.c.event_id)
        .order_by(ids.c.id)
    )


def due(
    session: Session,
    now: datetime,
    sealer: Sealer,
    busy: Collection[int] = (),
    limit: int = 50,
) -> list[Outgoing]:
    """Deliveries to make now, oldest first: pending, their time come, no earlier delivery
    of their subscription and resource pending, and not `busy` (being made already)."""
    found = []
    ordered = sorted(busy)
    left_out, beyond = ordered[:_LEFT_OUT], ordered[_LEFT_OUT:]
    size = in_size(len(left_out))
    values = {"now": now, "limit": limit + len(beyond), **in_values("busy", left_out, size)}
    rows = due_statement(size).rows(connection_of(session), values)
    receivers: dict[str, tuple[str, list[str]] | None] = {}
    for delivery_id, event_id, event_type, body, subscription_id, attempts in rows:
        if delivery_id in busy:
            continue
        if subscription_id not in receivers:
            subscription = session.get(WebhookSubscription, subscription_id)
            receivers[subscription_id] = (
                None
                if subscription is None  # removed meanwhile: its deliveries with it
                else (subscription.url, signing_secrets(subscription, sealer, now))
            )
        receiver = receivers[subscription_id]
        if receiver is None:
            continue
        url, secrets = receiver
        found.append(Outgoing(delivery_id, event_id, event_type, url, body, secrets, attempts))
        if len(found) >= limit:
            break
    return found


_DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[assignment]
# An answer noted: compiled once, run as one executemany a round (docs/performance.md).
# Only over the attempts it was sent after: a delivery replayed meanwhile (its attempts
# set back) or noted by another sender after a take-over is left as that made it.
_NOTE = Direct(
    update(_DELIVERIES)
    .where(
        _DELIVERIES.c.id == bindparam("delivery_id"),
        _DELIVERIES.c.attempts == bindparam("sent_after"),
    )
    .values(
        status=bindparam("new_status"),
        attempts=bindparam("new_attempts"),
        next_at=bindparam("new_next_at"),
        last_status=bindparam("new_last_status"),
        last_answer=bindparam("new_last_answer"),
        latency_ms=bindparam("new_latency_ms"),
        last_attempt_at=bindparam("new_last_attempt_at"),
        delivered_at=bindparam("new_delivered_at"),
    )
)


def record(
    session: Session, outcomes: Iterable[tuple[Outgoing, Outcome, datetime]], policy: RetryPolicy
) -> dict[int, str]:
    """Note attempts' outcomes in one executemany update (a round's answers at once: a
    statement per delivery was a tenth of the sender's CPU), from the attempts each was
    sent after: no read of the deliveries first (on PostgreSQL, planned from a young
    table's statistics, that read was a sender's dearest statement: docs/performance.md).
    Answers each delivery's status now; a delivery gone meanwhile (its subscription
    removed) or changed meanwhile (above) is not written."""
    rows = []
    statuses: dict[int, str] = {}
    for outgoing, outcome, now in outcomes:
        attempts = outgoing.attempts + 1
        status, next_at, delivered_at = "pending", None, None
        if outcome.delivered:
            status, delivered_at = "delivered", now
        elif attempts >= policy.attempts:
            status = "dead"
        else:
            next_at = now + timedelta(seconds=policy.delay(attempts))
        rows.append(
            {
                "delivery_id": outgoing.delivery_id,
                "sent_after": outgoing.attempts,
                "new_status": status,
                "new_attempts": attempts,
                "new_next_at": next_at,
                "new_last_status": outcome.status,
                "new_last_answer": outcome.answer[:300],
                "new_latency_ms": outcome.latency_ms,
                "new_last_attempt_at": now,
                "new_delivered_at": delivered_at,
            }
        )
        statuses[outgoing.delivery_id] = status
    if rows:
        _NOTE.many(connection_of(session), rows)
    return statuses


def replay(
    session: Session,
    brand_id: int,
    delivery_ids: Iterable[int] = (),
    subscription_id: str | None = None,
    status: str | None = None,
    now: datetime | None = None,
) -> int:
    """Send deliveries again now, whatever they came to: the ones named, or a
    subscription's (of one status, e.g. `dead`). Their attempts count from 0 again.
    Answers how many."""
    ids = list(delivery_ids)
    if not ids and subscription_id is None:
        raise Invalid("name deliveries, or a subscription")
    if status is not None and status not in DELIVERY_STATUSES:
        raise Invalid(f"status is one of {', '.join(DELIVERY_STATUSES)}")
    mine = select(WebhookSubscription.id).where(WebhookSubscription.brand_id == brand_id)
    if subscription_id is not None:
        load(session, brand_id, subscription_id)
        mine = mine.where(WebhookSubscription.id == subscription_id)
    statement = update(WebhookDelivery).where(WebhookDelivery.subscription_id.in_(mine))
    if ids:
        statement = statement.where(WebhookDelivery.id.in_(ids))
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    result = session.execute(
        statement.values(status="pending", attempts=0, next_at=now or utcnow())
    )
    count = int(result.rowcount)  # type: ignore[attr-defined]
    if ids and count < len(set(ids)):
        raise not_found("Some of these deliveries are not the brand's")
    return count


def _delivery(row: Any) -> dict[str, Any]:
    delivery, event_type = row
    return {
        "id": delivery.id,
        "subscription_id": delivery.subscription_id,
        "event_id": delivery.event_id,
        "event_type": event_type,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_status": delivery.last_status,
        "last_answer": delivery.last_answer,
        "latency_ms": delivery.latency_ms,
        "created_at": iso(delivery.created_at),
        "last_attempt_at": iso(delivery.last_attempt_at),
        "next_at": iso(delivery.next_at),
        "delivered_at": iso(delivery.delivered_at),
    }


def listing(
    session: Session,
    brand_id: int,
    subscription_id: str | None = None,
    status: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """The delivery log, newest first."""
    if status is not None and status not in DELIVERY_STATUSES:
        raise Invalid(f"status is one of {', '.join(DELIVERY_STATUSES)}")
    statement = (
        select(WebhookDelivery, WebhookEvent.type)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookSubscription.brand_id == brand_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(max(1, min(limit, 1000)))
    )
    if subscription_id is not None:
        load(session, brand_id, subscription_id)
        statement = statement.where(WebhookDelivery.subscription_id == subscription_id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    return [_delivery(row) for row in session.execute(statement)]


def events(
    session: Session,
    brand_id: int,
    type: str | None = None,
    after: str | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """The brand's events as sent, oldest first (the sandbox keeps its test brands'); only
    those made after the event `after` when given."""
    if type is not None and type not in EVENT_TYPES:
        raise Invalid(f"unknown event type '{type}'; known: {', '.join(EVENT_TYPES)}")
    statement = (
        select(WebhookEvent.body)
        .where(WebhookEvent.brand_id == brand_id)
        .order_by(WebhookEvent.seq, WebhookEvent.id)
        .limit(max(1, min(limit, 10_000)))
    )
    if type is not None:
        statement = statement.where(WebhookEvent.type == type)
    if after is not None:
        mark = session.get(WebhookEvent, after)
        if mark is None or mark.brand_id != brand_id:
            raise not_found(f"Event '{after}' not found")
        statement = statement.where(
            or_(
                WebhookEvent.seq > mark.seq,
                and_(WebhookEvent.seq == mark.seq, WebhookEvent.id > mark.id),
            )
        )
    return [orjson.loads(body) for body in session.scalars(statement)]


def prune(session: Session, older_than: datetime) -> int:
    """Delete deliveries made before `older_than` that are over (delivered or dead), and
    the events of that age no delivery refers to any more; answers how many deliveries.
    Pending deliveries and their events stay, however old."""
    result = session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.created_at < older_than,
            WebhookDelivery.status.in_(("delivered", "dead")),
        )
    )
    referred = exists().where(WebhookDelivery.event_id == WebhookEvent.id)
    session.execute(delete(WebhookEvent).where(WebhookEvent.created_at < older_than, ~referred))
    return int(result.rowcount)  # type: ignore[attr-defined]
