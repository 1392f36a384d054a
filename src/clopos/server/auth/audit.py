"""The audit trail: every token exchange and every rejected request.

Events are queued in memory and written in batches by one background task, so a burst of
rejected requests costs list appends, not one transaction each. The queue is flushed on
shutdown; past `MAX_PENDING` unwritten events new ones are counted as dropped rather than
letting an attack exhaust memory.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, StatementError
from sqlalchemy.orm import Session

from clopos.store.base import utcnow
from clopos.store.db import Database
from clopos.store.models import AuditEvent

log = logging.getLogger("clopos.audit")
MAX_PENDING = 100_000


@dataclass(slots=True)
class AuditRecord:
    event: str
    outcome: str
    status: int
    reason: str | None = None
    client_id: str | None = None
    brand: str | None = None
    venue_id: str | None = None
    integrator_id: str | None = None
    ip: str | None = None
    method: str | None = None
    path: str | None = None
    at: datetime = field(default_factory=utcnow)


class AuditLog:
    """Batches audit records into the database."""

    def __init__(self, db: Database, flush_seconds: float) -> None:
        self._db = db
        self._flush_seconds = flush_seconds
        self._pending: list[AuditRecord] = []
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        # Events by (event, outcome, reason, exchange path) since start, for the metrics.
        self.counts: collections.Counter[tuple[str, str, str, str]] = collections.Counter()

    def record(self, record: AuditRecord) -> None:
        exchange = (record.path or "") if record.event == "token_exchange" else ""
        self.counts[record.event, record.outcome, record.reason or "", exchange] += 1
        if len(self._pending) >= MAX_PENDING:
            self.dropped += 1
            return
        self._pending.append(record)

    async def flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        try:
            await self._write(batch)
        except (OperationalError, InterfaceError):
            log.exception(
                "audit trail unavailable; keeping %d events for the next flush", len(batch)
            )
            self._pending[:0] = batch
        except (DBAPIError, StatementError):
            # Some record is refused (it should not be: fields are cleaned at the source). Write
            # the batch one by one so that a single bad record never blocks the trail.
            for record in batch:
                try:
                    await self._write([record])
                except (OperationalError, InterfaceError):
                    self._pending.append(record)
                except (DBAPIError, StatementError):
                    log.exception("dropping an audit event the database refuses")

    async def _write(self, batch: list[AuditRecord]) -> None:
        await self._db.write(_insert, [asdict(record) for record in batch])

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            await self.flush()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="audit-flush")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()
        if self.dropped:
            log.warning("audit queue overflowed: %d events were not recorded", self.dropped)


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(insert(AuditEvent), rows)
