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
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, StatementError
from sqlalchemy.orm import Session

from clopos.store.base import utcnow
from clopos.store.db import Database
from clopos.store.models import AuditEvent
from clopos.store.uow import insert_rows

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
        await self._db.write(_insert, [_row(record) for record in batch])

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


_AUDIT_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]
_FIELDS = tuple(field.name for field in fields(AuditRecord))


def _row(record: AuditRecord) -> dict[str, Any]:
    # Not `dataclasses.asdict`, which copies each value deeply: a record holds flat values.
    return {name: getattr(record, name) for name in _FIELDS}


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    # One statement compiled once, an executemany on the driver (store/uow.py): the ORM's
    # bulk insert cost the writer thread, and with it the requests waiting for the
    # interpreter's lock, several times more per event under a burst of token exchanges.
    insert_rows(session, _AUDIT_EVENTS, rows)
