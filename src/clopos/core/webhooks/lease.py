"""The one sender among every instance: a lease row, and the sender's place in the log.

Every `clopos serve` worker (and `clopos webhooks run`) tries to take the lease; the one
holding it renews it while it runs, and another takes over once it lapses (a process
killed holds it no longer than the lease's length). The place in the change log lives in
the same row, moved in the transaction that stores the events it read: a batch is made
into events once, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clopos.core.webhooks import deliveries
from clopos.core.webhooks.deliveries import Outcome, Outgoing, RetryPolicy
from clopos.core.webhooks.events import Batch, make_events
from clopos.core.webhooks.table import WebhookSender, WebhookSubscription
from clopos.store.changes import LogPosition, LogRow, log_end, read_log
from clopos.store.direct import Direct
from clopos.store.uow import commit_without_waiting_for_disk, connection_of, savepoint

NAME = "sender"


def _position(row: WebhookSender) -> LogPosition:
    return LogPosition(row.seq, row.horizon, tuple(int(t) for t in row.handed or ()))


def take(session: Session, holder: str, now: datetime, seconds: float) -> LogPosition | None:
    """Take or renew the lease until `now + seconds`; answers the log position when this
    holder has it, None when another does."""
    until = now + timedelta(seconds=seconds)
    taken = session.execute(
        update(WebhookSender)
        .where(
            WebhookSender.name == NAME,
            or_(
                WebhookSender.holder == holder,
                WebhookSender.holder.is_(None),
                WebhookSender.lease_until < now,
            ),
        )
        .values(holder=holder, lease_until=until)
    )
    made = taken.rowcount or (  # type: ignore[attr-defined]
        session.get(WebhookSender, NAME) is None and _begin(session, holder, until)
    )
    if not made:
        return None  # another holds it, or made it a moment ago
    row = session.get(WebhookSender, NAME, populate_existing=True)
    assert row is not None
    return _position(row)


def place(session: Session) -> None:
    """Make the sender's row at the log's end, held by no one, if no sender ever ran: the
    changes from now on become events whenever a sender first takes the lease (`clopos
    serve` calls it before answering anything when its sender is a process of its own,
    which may start after the first requests)."""
    if session.get(WebhookSender, NAME) is None:
        _begin(session, None, None)


def _begin(session: Session, holder: str | None, until: datetime | None) -> bool:
    """The first sender's row: it begins at the log's end (nothing before is news).
    Answers False when another instance made it a moment ago."""
    end = log_end(session)
    try:
        with savepoint(session):
            session.add(
                WebhookSender(
                    name=NAME,
                    holder=holder,
                    lease_until=until,
                    seq=end.seq,
                    horizon=end.horizon,
                    handed=list(end.handed),
                )
            )
    except IntegrityError:
        return False
    return True


def release(session: Session, holder: str) -> None:
    session.execute(
        update(WebhookSender)
        .where(WebhookSender.name == NAME, WebhookSender.holder == holder)
        .values(holder=None, lease_until=None)
    )


# Compiled once: the sender asks every round.
_LISTENING = Direct(select(exists().where(WebhookSubscription.enabled.is_(True))))


def anyone_listening(session: Session) -> bool:
    """Whether any enabled subscription exists (else a sender has nothing to make)."""
    return bool(_LISTENING.scalar(connection_of(session)))


@dataclass(frozen=True)
class Prepared:
    """Events made from the log between two positions, not stored yet."""

    start: LogPosition
    end: LogPosition
    batch: Batch


def prepare(
    session: Session, position: LogPosition, capture_tests: bool, limit: int = 500
) -> Prepared:
    """Read the log past `position` and make its events (a read: rendering the resources
    holds no write lock)."""
    rows, end = read_log(session, position, limit)
    return _prepared(session, position, rows, end, capture_tests)


def _prepared(
    session: Session,
    position: LogPosition,
    rows: list[LogRow],
    end: LogPosition,
    capture_tests: bool,
) -> Prepared:
    return Prepared(position, end, make_events(session, rows, capture_tests) if rows else Batch())


def news(
    session: Session, position: LogPosition, capture_tests: bool, limit: int = 500
) -> Prepared | None:
    """`prepare`, when someone listens (a subscription, or the sandbox's capture) and the log
    moved past `position`; else None, and the position stays. One unit of work a round
    (three were a fifth of the sender's CPU per event), and no probe for news before the
    read: on a busy log there always is some, and the read finds none as cheaply (on
    PostgreSQL the probe was a statement of its own for each count of transactions handed
    out, prepared again each time)."""
    if not capture_tests and not anyone_listening(session):
        return None
    rows, end = read_log(session, position, limit)
    if not rows:
        return None
    return _prepared(session, position, rows, end, capture_tests)


def commit(
    session: Session,
    holder: str,
    prepared: Prepared | None,
    outcomes: Iterable[tuple[Outgoing, Outcome, datetime]] = (),
    policy: RetryPolicy | None = None,
) -> tuple[LogPosition | None, dict[int, str]]:
    """One short write: note the deliveries' answers, and store the prepared events with
    the position moved past them, if `holder` still holds the lease and the position is
    still the one they were made from. Answers the position now (None: the lease is
    another's) and each answered delivery's status."""
    # A commit lost in a database crash makes its events again (same ids) and sends its
    # answered deliveries again: at least once holds without waiting for the disk.
    commit_without_waiting_for_disk(session)
    statuses = deliveries.record(session, outcomes, policy or RetryPolicy())
    row = session.get(WebhookSender, NAME)
    if row is None or row.holder != holder:
        return None, statuses
    now = _position(row)
    if prepared is None or now != prepared.start:
        return now, statuses  # moved meanwhile (a take-over): made again from there
    prepared.batch.store(session)
    end = prepared.end
    row.seq, row.horizon, row.handed = end.seq, end.horizon, list(end.handed)
    return end, statuses


def advance(
    session: Session, holder: str, capture_tests: bool, limit: int = 500
) -> tuple[int, LogPosition] | None:
    """`prepare` and `commit` in one unit: answers (events made, new position); None when
    `holder` does not hold the lease."""
    row = session.get(WebhookSender, NAME)
    if row is None or row.holder != holder:
        return None
    prepared = prepare(session, _position(row), capture_tests, limit)
    position, _ = commit(session, holder, prepared)
    assert position is not None
    return len(prepared.batch.events), position
