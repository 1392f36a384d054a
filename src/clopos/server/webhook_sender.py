"""The webhook sender: makes events from the change log and delivers them, off the request
path, in every `clopos serve` worker and in `clopos webhooks run`, one at a time among
them all (core/webhooks/lease.py).

A round: renew the lease; if the log moved, make its events by a read (rendering holds no
write lock); store them, move the position and note the answers that came since the last
round, in one short write; then read the deliveries due into a queue. Each queued
delivery starts as a slot frees up, up to `concurrency` in flight, each its own task with
its own timeout, so a receiver that hangs holds one slot and nothing else. A request's
change poll wakes the sender (`changed`); without requests it looks every `poll` seconds
(writes by other processes, retries coming due).

Under load each round takes a batch: rounds come at most every `round_tick`. A round's
cost is mostly its own (two units of work, a dozen statements on PostgreSQL), whatever
its batch, and it runs at the database beside the API's writes: under the bench's order
load on PostgreSQL, a server whose sender's rounds came every 250 ms created 0.871 of the
orders one without a subscription did, and 0.837 with rounds every 50 ms (paired rounds,
docs/performance.md, issue 19). The price is latency between one resource's events, whose
next goes once the answer to the one before is noted: at most `round_tick` more.

The queue takes up to eight turns of the slots (`QUEUED_TURNS`), so one read a round
starts what the round made, however few the slots. Read as slots freed up instead (at
most every 50 ms, as many as were free), the deliveries due were read four times as often
under the bench's order load (1,170 reads against 306 in one paired run), each visiting
the ones in flight again, and the server with that sender created fewer orders than one
with this sender (docs/performance.md, issue 19).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import secrets
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime

from clopos import __version__
from clopos.core.webhooks import deliveries, lease
from clopos.core.webhooks.deliveries import Outcome, Outgoing, RetryPolicy
from clopos.core.webhooks.events import WATCHED
from clopos.core.webhooks.subscriptions import Sealer
from clopos.server.webhook_http import Poster, ProtocolError
from clopos.store.base import utcnow
from clopos.store.changes import Changes, LogPosition
from clopos.store.db import Database
from clopos.webhooks import HEADER, sign

log = logging.getLogger("clopos.webhooks")

# The start of a receiver's answer kept in the delivery log.
ANSWER_KEPT = 300
# How many deliveries the queue holds, in turns of the slots. A queued delivery waits with
# its receiver's URL and secrets as read: a subscription rotated or removed meanwhile
# reaches it about this many answers' time late (one in flight, as late as its timeout);
# eight turns of 32 hold more than a round makes under the bench's load (700 events a
# second, about 175 a round).
QUEUED_TURNS = 8


@dataclass(frozen=True)
class SenderSettings:
    """How a sender runs (server/settings.py's `webhook_*`)."""

    capture_tests: bool = False
    poll: float = 1.0
    lease_seconds: float = 15.0
    timeout: float = 10.0
    concurrency: int = 32
    batch: int = 500
    round_tick: float = 0.25
    policy: RetryPolicy = field(default_factory=RetryPolicy)


def holder_name() -> str:
    """This process among the instances: host, pid and a random part (a pid is reused)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


class WebhookSender:
    """Makes events and delivers them while this process holds the lease."""

    def __init__(self, db: Database, sealer: Sealer, settings: SenderSettings) -> None:
        self.db = db
        self.sealer = sealer
        self.settings = settings
        self.holder = holder_name()
        self._position: LogPosition | None = None
        self._renew_at = 0.0
        self._wake = asyncio.Event()
        self._flights: dict[int, asyncio.Task[None]] = {}
        # Read due, waiting for a slot.
        self._queue: collections.deque[Outgoing] = collections.deque()
        # Answers not yet noted in the database (each round notes them in one unit), and
        # the deliveries queued, in flight or answered: not to be read again meanwhile.
        self._answered: list[tuple[Outgoing, Outcome, datetime]] = []
        self._busy: set[int] = set()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._poster: Poster | None = None
        # One round at a time (the sandbox's `events` runs one on demand too).
        self._rounds = asyncio.Lock()

    @property
    def holding(self) -> bool:
        return self._position is not None

    async def start(self) -> None:
        """Try for the lease now (its row made before the server answers anything), then
        run in the background."""
        try:
            await self._hold()
        except Exception:
            log.exception("webhook sender could not try for the lease; trying again")
        self._task = asyncio.create_task(self.run(), name="webhook-sender")

    async def changed(self, changes: Changes) -> None:
        """A ChangeFeed subscriber: a change events are made from wakes the sender."""
        if changes.touches(WATCHED):
            self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Rounds, while this process runs: one as soon as the last found work (at most
        every `round_tick`), else when woken or every `poll` seconds."""
        while not self._stopping:
            try:
                busy = await self.round()
            except Exception:
                log.exception("webhook sender failed; trying again")
                busy = False
            if not busy:
                # asyncio.timeout, not wait_for: Python 3.11's wait_for can swallow a
                # cancellation that meets the wake-up, and stopping would wait forever.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.settings.poll):
                        await self._wake.wait()
            self._wake.clear()
            # At most every `round_tick`: under load a round takes a batch of changes, of
            # answers and of due deliveries, instead of a unit of work for each.
            await asyncio.sleep(self.settings.round_tick)

    async def round(self) -> bool:
        """Make the events of the changes logged since, note the answers, and queue the
        deliveries due; answers whether it found work."""
        async with self._rounds:
            made = await self._make()
        return await self._dispatch() or made

    async def _make(self) -> bool:
        if not await self._hold():
            return False
        settings = self.settings
        assert self._position is not None
        prepared = await self.db.read_aside(
            lease.news, self._position, settings.capture_tests, settings.batch
        )
        if prepared is None and not self._answered:
            return False
        await self._commit(prepared)
        return True

    async def _dispatch(self) -> bool:
        """Queue the deliveries due, up to `QUEUED_TURNS` of the slots, and start what they
        take; answers whether more may be due (the read filled the queue, or it did not
        read). A delivery answered stays `busy` until its answer is noted, so it is not
        read again meanwhile (the answers are noted after their write, before leaving
        `busy`)."""
        if self._position is None:
            self._start_queued()  # drops the queue
            return False
        if len(self._queue) > self.settings.concurrency:
            # A slow receiver's: what is queued keeps the slots busy until a later round
            # (and each read would visit it all again, as busy).
            return True
        room = QUEUED_TURNS * self.settings.concurrency - len(self._queue)
        due = await self.db.read_aside(
            deliveries.due, utcnow(), self.sealer, frozenset(self._busy), room
        )
        for outgoing in due:
            if outgoing.delivery_id in self._busy:
                continue  # answered while the read ran
            self._busy.add(outgoing.delivery_id)
            self._queue.append(outgoing)
        self._start_queued()
        return len(due) >= room

    def _start_queued(self) -> None:
        """Start queued deliveries while slots are free; a sender stopping, or that lost
        the lease (or whose database was put back), drops its queue: they stay pending for
        the next."""
        if self._position is None or self._stopping:
            for outgoing in self._queue:
                self._busy.discard(outgoing.delivery_id)
            self._queue.clear()
            return
        while self._queue and len(self._flights) < self.settings.concurrency:
            outgoing = self._queue.popleft()
            self._flights[outgoing.delivery_id] = asyncio.create_task(
                self._deliver(outgoing), name=f"webhook-delivery-{outgoing.delivery_id}"
            )

    async def _commit(self, prepared: lease.Prepared | None) -> None:
        """Store the prepared events and note the answers that came since the last round,
        in one unit of work (`_position` None after it: the lease was lost)."""
        answered, self._answered = self._answered, []
        try:
            position, states = await self.db.write(
                lease.commit, self.holder, prepared, answered, self.settings.policy
            )
        except BaseException:
            self._answered[:0] = answered  # noted by the next round
            raise
        for outgoing, outcome, _at in answered:
            self._busy.discard(outgoing.delivery_id)
            if states.get(outgoing.delivery_id) == "dead":
                log.warning(
                    "webhook delivery %s of %s is dead after its last attempt (%s)",
                    outgoing.delivery_id,
                    outgoing.event_id,
                    outcome.status or outcome.answer,
                )
        self._position = position

    async def _hold(self) -> bool:
        if self._position is not None and time.monotonic() < self._renew_at:
            return True
        seconds = self.settings.lease_seconds
        self._position = await self.db.write(lease.take, self.holder, utcnow(), seconds)
        if self._position is None:
            return False
        self._renew_at = time.monotonic() + seconds / 3
        return True

    async def restored(self) -> None:
        """The database was put back to a copy (the sandbox's reset and restore): take the
        lease and the place in the log as the copy holds them, before anything is written
        to it (a copy from before any sender begins at its log's end)."""
        async with self._rounds:
            self._position = None
            self._start_queued()  # drops the queue: read again from the copy
            await self._hold()

    def _http(self) -> Poster:
        if self._poster is None:
            # Connections kept per receiver: as many as deliveries go out at once.
            self._poster = Poster(max_idle=self.settings.concurrency)
        return self._poster

    async def attempt(self, outgoing: Outgoing) -> Outcome:
        """POST the event, signed now; never raises for the receiver's failures."""
        headers = [
            ("Content-Type", "application/json"),
            ("User-Agent", f"clopos-webhooks/{__version__}"),
            ("Clopos-Event-Id", outgoing.event_id),
            ("Clopos-Event-Type", outgoing.event_type),
            (HEADER, sign(outgoing.body, outgoing.secrets)),
        ]
        timeout = self.settings.timeout
        started = time.perf_counter()
        status: int | None
        try:
            async with asyncio.timeout(timeout):
                answer = await self._http().post(outgoing.url, headers, outgoing.body, ANSWER_KEPT)
            status, said = answer.status, answer.start.decode(errors="replace")
        except TimeoutError:  # before OSError: it is one
            status, said = None, f"no answer within {timeout:g} s"
        except (OSError, EOFError, ProtocolError) as error:
            status, said = None, f"{type(error).__name__}: {error}"
        return Outcome(status, said, round((time.perf_counter() - started) * 1000))

    async def _deliver(self, outgoing: Outgoing) -> None:
        answered = False
        try:
            outcome = await self.attempt(outgoing)
            self._answered.append((outgoing, outcome, utcnow()))
            answered = True
        finally:
            self._flights.pop(outgoing.delivery_id, None)
            if not answered:  # stopped before an answer: it stays pending, sent again
                self._busy.discard(outgoing.delivery_id)
            self._start_queued()  # a slot is free
            if answered:
                self._wake.set()  # to be noted; then the resource's next delivery may go

    async def stop(self) -> None:
        """Stop sending: deliveries in flight stay pending (they go out again, same id),
        and the lease is given up so another instance takes over at once."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        flights = list(self._flights.values())
        for flight in flights:
            flight.cancel()
        for flight in flights:
            with contextlib.suppress(asyncio.CancelledError):
                await flight
        if self._poster is not None:
            await self._poster.aclose()
        if self._position is not None:
            with contextlib.suppress(Exception):
                await self._commit(None)
            with contextlib.suppress(Exception):
                await self.db.write(lease.release, self.holder)
            self._position = None
