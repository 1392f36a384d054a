"""Following the change log: what changed since this process last looked.

Every API request first calls `ChangeFeed.poll()`, so a change committed by anyone (this
process, another worker, the CLI) is seen by the very next request:

- **SQLite**: the WAL index's header in shared memory changes with every commit
  (store/wal_index.py): comparing 96 bytes tells whether to read the log at all, without a
  statement. Where it cannot be mapped, `PRAGMA data_version`, read through a connection
  that never writes, tells the same for a statement. Then one indexed range read of the
  new rows.
- **PostgreSQL**: there is no such free signal, so the log is read, but at most one read is
  in flight: requests arriving meanwhile wait for the next read, which starts after they
  arrived, and share it. Under load one round trip serves many requests, and each still
  sees every change committed before it arrived.

  Writers there commit side by side, so a `seq` taken earlier may become visible later
  than one taken after it: following `seq` could step past a change for good. The log is
  followed by transaction instead. Each row holds its transaction's id (`txid`), and a
  read, in one snapshot, answers the rows of every committed transaction from the
  *horizon* on that it has not handed out yet, and the snapshot's oldest transaction still
  running, which becomes the next horizon: every transaction older than that has ended, so
  its rows, if it committed, were in that snapshot. A transaction that runs long holds the
  horizon back, not the changes committed meanwhile: those are handed out at once, and
  remembered until the horizon passes them. The changes seen get positions of this
  process's own, in the order it saw them (`seq`).

A poll hands the new changes, once, to the subscribers: the access cache and the response
cache.

Webhooks follow the same log from a position kept in the database (`LogPosition`,
`read_log`), so a sender that dies resumes where its last committed batch ended.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, bindparam, delete, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from clopos.store.db import Database
from clopos.store.models import ChangeLog
from clopos.store.uow import Change
from clopos.store.wal_index import WalIndex

# More new rows than this at once (a big import) is taken as "everything changed".
BATCH = 2000
_READ = (
    "SELECT seq, resource, brand_id, record_id, kind FROM change_log "
    "WHERE seq > :seq ORDER BY seq LIMIT :limit"
)
_SQLITE_READ = _READ.replace(":seq", "?").replace(":limit", "?")
# The horizon and the rows in one statement: one snapshot. The horizon comes first, alone
# when there is no row.
_POSTGRES_HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_POSTGRES_READ = """
SELECT horizon.xmin, row.txid, row.resource, row.brand_id, row.record_id, row.kind
FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) AS horizon
LEFT JOIN LATERAL (
    SELECT txid, seq, resource, brand_id, record_id, kind FROM change_log
    WHERE txid >= $1 AND txid <> ALL($2::bigint[])
    ORDER BY txid, seq LIMIT $3
) AS row ON true
ORDER BY row.txid, row.seq
"""


@dataclass(frozen=True, slots=True)
class Changes:
    """New changes since the last poll; `everything` when too many to list arrived."""

    items: Sequence[Change]
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or bool(self.items)

    def touches(self, resources: Iterable[str]) -> bool:
        wanted = set(resources)
        return self.everything or any(change.resource in wanted for change in self.items)


NOTHING = Changes(())


class ChangeFeed:
    """The position in the change log this process has seen, and how to move it on."""

    def __init__(self, db: Database, recent: int = 1024) -> None:
        self._db = db
        self.seq = 0
        self._probe = db.sync_sqlite_connection()
        self._data_version: int | None = None
        # SQLite: the WAL index's header at the last look (store/wal_index.py).
        self._wal: WalIndex | None = None
        self._header: bytes | None = None
        # Recently seen changes, for a cache deciding whether an answer computed a moment
        # ago may still be kept (`changed_since`).
        self._recent: deque[tuple[int, Change]] = deque(maxlen=recent)
        self._oldest_known = 0
        # PostgreSQL's shared reads: tickets handed to arriving callers, and the ticket up
        # to which a completed read covers them.
        self._ticket = 0
        self._covered = 0
        self._flight: asyncio.Future[None] | None = None
        self._log: _PostgresLog | None = None
        # PostgreSQL: the horizon, and the transactions at or past it already handed out.
        self._horizon = 0
        self._handed: set[int] = set()
        self.subscribers: list[Callable[[Changes], Awaitable[None]]] = []

    async def start(self) -> None:
        """Begin at the log's current end: nothing before this process started is news."""
        if self._probe is not None:
            self._data_version = self._version()  # the probe has opened the WAL index
            self._wal = self._db.wal_index()
            if self._wal is not None:
                self._header = self._wal.header()  # before the log's end is read
            row = self._probe.execute("SELECT max(seq) FROM change_log").fetchone()
            self.seq = int(row[0] or 0)
        else:
            self._log = _PostgresLog(self._db)
            self._horizon = await self._log.horizon()
        self._oldest_known = self.seq

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.close()
        if self._log is not None:
            await self._log.close()

    def _version(self) -> int:
        assert self._probe is not None
        return int(self._probe.execute("PRAGMA data_version").fetchone()[0])

    async def poll(self) -> None:
        """Catch up with every change committed before this call, by anyone, and hand the
        new ones to the subscribers (once; in commit order on SQLite, by transaction on
        PostgreSQL)."""
        if self._probe is not None:
            if self._wal is not None:
                header = self._wal.header()
                if header is not None and header == self._header:
                    return
                self._header = header  # taken before the log is read: nothing falls between
            else:
                version = self._version()
                if version == self._data_version:
                    return
                self._data_version = version
            probe = self._probe
            changes = self._advance(probe.execute(_SQLITE_READ, (self.seq, BATCH)).fetchall())
            while changes.everything and self._advance(
                probe.execute(_SQLITE_READ, (self.seq, BATCH)).fetchall()
            ):
                pass  # a long backlog: read to its end, every cache is dropped anyway
            await self._dispatch(changes)
            return
        self._ticket += 1
        mine = self._ticket
        while self._covered < mine:
            if self._flight is None:
                self._flight = asyncio.ensure_future(self._read(self._ticket))
            await asyncio.shield(self._flight)

    async def _read(self, covers: int) -> None:
        log = self._log
        assert log is not None
        try:
            changes = await self._follow(log)
            while changes.everything and await self._follow(log):
                pass  # a long backlog: read to its end, every cache is dropped anyway
            await self._dispatch(changes)
            self._covered = max(self._covered, covers)
        finally:
            self._flight = None

    async def _dispatch(self, changes: Changes) -> None:
        if changes:
            for subscriber in self.subscribers:
                await subscriber(changes)

    async def _follow(self, log: _PostgresLog) -> Changes:
        """One read of PostgreSQL's log past the horizon; the changes get this process's
        own positions."""
        horizon, rows = await log.after(self._horizon, self._handed)
        self._handed.update(int(row[0]) for row in rows)
        # Never back: a snapshot's oldest running transaction only moves on.
        self._horizon = max(self._horizon, horizon)
        self._handed = {txid for txid in self._handed if txid >= self._horizon}
        first = self.seq + 1
        return self._advance([(first + index, *row[1:]) for index, row in enumerate(rows)])

    def _advance(self, rows: Sequence[Any]) -> Changes:
        """Take `rows` (position, resource, brand, record, kind), in order."""
        if not rows:
            return NOTHING
        changes = [Change(row[1], row[2], row[3], row[4]) for row in rows]
        for row, change in zip(rows, changes, strict=True):
            self._recent.append((int(row[0]), change))
        if len(self._recent) == self._recent.maxlen:
            self._oldest_known = self._recent[0][0] - 1
        self.seq = int(rows[-1][0])
        return Changes(changes, everything=len(rows) >= BATCH)

    def changed_since(self, seq: int, brand_id: int | None, resources: Iterable[str]) -> bool:
        """Whether a change seen after `seq` may touch `resources` of `brand_id`.

        Answers yes when it cannot tell (`seq` older than what it remembers).
        """
        if seq == self.seq:
            return False
        if seq < self._oldest_known:
            return True
        wanted = set(resources)
        return any(
            change.resource in wanted and change.brand_id in (None, brand_id)
            for position, change in self._recent
            if position > seq
        )


@dataclass(frozen=True, slots=True)
class LogRow:
    """A change-log row as a durable follower reads it."""

    seq: int
    resource: str
    brand_id: int | None
    record_id: str | None
    kind: str
    at: datetime


@dataclass(frozen=True, slots=True)
class LogPosition:
    """Where a durable follower is: past `seq` on SQLite; on PostgreSQL past every
    transaction older than `horizon`, and past those from it on listed in `handed` (the
    same following by transaction as `ChangeFeed`'s)."""

    seq: int = 0
    horizon: int = 0
    handed: tuple[int, ...] = field(default=())


# Whole transactions at a time, at most this many: a transaction's rows are never split
# between two reads, so a transaction handed out is handed out whole.
_DURABLE_TRANSACTIONS = 200
# Per transaction, its rows by the txid index: the lateral subquery's OFFSET 0 keeps it
# one (flattened, it was planned as a hash join over a scan of the whole log, whose cost
# grew with the log: 83 ms a round in a benchmark, from a plan its backend made when the
# log was small and then kept).
_DURABLE_POSTGRES_READ = text(
    """
SELECT horizon.xmin, row.seq, row.txid, row.resource, row.brand_id, row.record_id, row.kind,
       row.at
FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) AS horizon
LEFT JOIN LATERAL (
    SELECT rows.* FROM (
        SELECT DISTINCT txid FROM change_log
        WHERE txid >= :horizon AND txid <> ALL(:handed) ORDER BY txid LIMIT :transactions
    ) AS taken
    CROSS JOIN LATERAL (
        SELECT seq, txid, resource, brand_id, record_id, kind, at FROM change_log
        WHERE change_log.txid = taken.txid OFFSET 0
    ) AS rows
) AS row ON true
ORDER BY row.txid, row.seq
"""
).bindparams(bindparam("handed", type_=ARRAY(BigInteger())))
_POSTGRES_END = text(
    "SELECT horizon.xmin, ARRAY(SELECT DISTINCT txid FROM change_log WHERE txid >= horizon.xmin)"
    " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) AS horizon"
)


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def log_end(session: Session) -> LogPosition:
    """The position past every change committed now."""
    if _is_postgres(session):
        horizon, handed = session.execute(_POSTGRES_END).one()
        return LogPosition(horizon=int(horizon), handed=tuple(int(t) for t in handed or ()))
    return LogPosition(seq=int(session.scalar(select(func.max(ChangeLog.seq))) or 0))


def read_log(
    session: Session, position: LogPosition, limit: int = 1000
) -> tuple[list[LogRow], LogPosition]:
    """The changes committed past `position` (about `limit` at most, in commit order on
    SQLite, by transaction on PostgreSQL), and the position past them."""
    if not _is_postgres(session):
        found = session.execute(
            select(
                ChangeLog.seq,
                ChangeLog.resource,
                ChangeLog.brand_id,
                ChangeLog.record_id,
                ChangeLog.kind,
                ChangeLog.at,
            )
            .where(ChangeLog.seq > position.seq)
            .order_by(ChangeLog.seq)
            .limit(limit)
        ).all()
        rows = [LogRow(*row) for row in found]
        return rows, LogPosition(seq=rows[-1].seq if rows else position.seq)
    result = session.execute(
        _DURABLE_POSTGRES_READ,
        {
            "horizon": position.horizon,
            "handed": list(position.handed),
            "transactions": min(_DURABLE_TRANSACTIONS, max(1, limit)),
        },
    ).all()
    xmin = int(result[0][0])
    present = [row for row in result if row[1] is not None]
    rows = [
        LogRow(
            int(row[1]),
            row[3],
            row[4],
            row[5],
            row[6],
            row[7] if row[7].tzinfo is not None else row[7].replace(tzinfo=UTC),
        )
        for row in present
    ]
    transactions = {int(row[2]) for row in present}
    if len(transactions) >= min(_DURABLE_TRANSACTIONS, max(1, limit)):
        # Cut short: committed transactions past the last one read were not read yet.
        xmin = min(xmin, max(transactions))
    # Never back: a snapshot's oldest running transaction only moves on.
    horizon = max(position.horizon, xmin)
    handed = {*position.handed, *transactions}
    kept = tuple(sorted(t for t in handed if t >= horizon))
    return rows, LogPosition(horizon=horizon, handed=kept)


def prune(session: Session, older_than: datetime) -> int:
    """Delete change-log rows written before `older_than`; answers how many."""
    result = session.execute(delete(ChangeLog).where(ChangeLog.at < older_than))
    return int(result.rowcount)  # type: ignore[attr-defined]


class _PostgresLog:
    """The change log read over a connection of its own, with a prepared statement: one
    round trip a read, without the pool's check-out or SQLAlchemy's per-statement work."""

    def __init__(self, db: Database) -> None:
        # One plan, made once: each read is planned anew otherwise (PostgreSQL keeps
        # choosing a custom plan for it), which cost the database three times the read
        # itself, at every poll (docs/performance.md, issue 20). The generic plan is the
        # same index range scan.
        from clopos.store.kept_connection import KeptConnection  # asyncpg: PostgreSQL's

        self._kept = KeptConnection(
            db.driver_dsn, {"plan_cache_mode": "force_generic_plan"}, self._prepare
        )
        self._statement: Any = None

    async def _prepare(self, connection: Any) -> None:
        self._statement = await connection.prepare(_POSTGRES_READ)

    async def horizon(self) -> int:
        """The oldest transaction running now: where following the log begins."""
        connection = await self._kept.connection()
        return int(await connection.fetchval(_POSTGRES_HORIZON))

    async def after(self, horizon: int, handed: set[int]) -> tuple[int, list[Any]]:
        """The next horizon, and the rows (txid, resource, brand, record, kind) of the
        committed transactions from `horizon` on that are not in `handed`, at most BATCH."""
        await self._kept.connection()
        try:
            rows = await self._statement.fetch(horizon, list(handed), BATCH)
        except (OSError, ConnectionError):
            await self.close()  # the server restarted or the link broke: reconnect next time
            raise
        return int(rows[0][0]), [row[1:] for row in rows if row[1] is not None]

    async def close(self) -> None:
        await self._kept.close()
