"""PostgreSQL: the commit statements of concurrent units run together, committed once.

A close commits by one statement of its own (store/moves.py), which moves the stock levels
and balances every close shares. Run side by side, concurrent closes queue on those rows'
locks inside the database, each waiting backend woken when the one before commits, and each
statement is a round trip and a commit of its own (docs/performance.md, issue 20). Here a
unit hands its statement to its process's batches instead: the statements handed while a
batch runs go together in the next one, on a connection of their own. Those of one SQL text
(the SQL does not vary with a close's rows) are sent as one `executemany`, which asyncpg
sends with a single Sync: PostgreSQL runs them one after another in one implicit
transaction, which it commits once, and none waits for another's locks.

- **Nothing lost, nothing twice.** A unit is answered only once its statement's transaction
  has committed. A batch the server refuses (a move's count off, `clopos_refused`; a
  deadlock, below; any error it answers) has committed nothing: each
  of its units then runs its statement again on its own connection, as without batches, and
  gets its own outcome. A batch whose connection is lost cannot tell whether it committed:
  its units fail, as a unit whose connection is lost mid-statement does.
- **What changes for a reader.** The statements of a batch commit in one transaction: the
  change log's rows of its units share one transaction id, which its followers handle as
  they handle any transaction's several rows (store/changes.py).
- **Deadlocks.** Each close's statement locks the shared rows in the one order every
  writer keeps, but a batch's closes run one after another in one transaction: a batch
  and another writer of those rows (another worker's batch, an inventory document) may
  lock them in opposite orders. PostgreSQL then ends one of the two (after
  `deadlock_timeout`, a second by default); a batch so ended is refused, and its units run
  alone: a delay, nothing lost.
- A unit cancelled before its batch starts is left out of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy.util import await_only

from clopos.store.kept_connection import KeptConnection

# Statements one batch may carry: bounds how long the first waits for the last.
MAX_BATCH = 64


@dataclass(frozen=True, slots=True)
class _Queued:
    sql: str
    parameters: Sequence[Any]
    done: asyncio.Future[bool]


class CommitBatches:
    """The queue of statements handed over, and the connection that runs them."""

    def __init__(self, dsn: str) -> None:
        # Kept from batch to batch, past the pool: a check-out and return a batch cost
        # this process about what sending the batch's statement did (a profile of the
        # in-process bench, one close at a time).
        self._kept = KeptConnection(dsn)
        self._queue: list[_Queued] = []
        self._draining: asyncio.Task[None] | None = None
        # Batches run and statements committed by them, for the tests and the docs' figures.
        self.batches = 0
        self.committed = 0

    def commit(self, sql: str, parameters: Sequence[Any]) -> bool:
        """Run `sql` with `parameters` (as the driver takes them) in the next batch; called
        from a unit, in SQLAlchemy's bridge to asyncio. True once committed; False when the
        batch was refused and committed nothing: the unit runs its statement itself."""
        return bool(await_only(self._handed(sql, parameters)))

    async def _handed(self, sql: str, parameters: Sequence[Any]) -> bool:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[bool] = loop.create_future()
        self._queue.append(_Queued(sql, parameters, done))
        if self._draining is None:
            self._draining = loop.create_task(self._drain())
        return await done

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[:MAX_BATCH]
                del self._queue[:MAX_BATCH]
                await self._run([queued for queued in batch if not queued.done.done()])
        finally:
            # Cancelled (the loop ending): what is still queued was never sent, and runs on
            # its own units' connections.
            left, self._queue = self._queue, []
            _settle(left, False)
            self._draining = None

    async def _run(self, batch: list[_Queued]) -> None:
        texts: dict[str, list[_Queued]] = {}
        for queued in batch:
            texts.setdefault(queued.sql, []).append(queued)
        sending: list[_Queued] = []
        try:
            connection = await self._kept.connection()
            for same in texts.values():
                sending = same
                try:
                    await _send(connection, same)
                except asyncpg.PostgresError:  # answered: nothing of it committed
                    _settle(same, False)
                else:
                    self.batches += 1
                    self.committed += len(same)
                    _settle(same, True)
                sending = []
        except BaseException as error:
            # A lost or broken connection: the next batch opens a new one. What was being
            # sent may have committed or not: those units fail. What was not sent runs on
            # its units' own connections.
            self._kept.drop()
            _fail(sending, error)
            for same in texts.values():
                _settle(same, False)
            if not isinstance(error, Exception):
                raise

    async def dispose(self) -> None:
        await self._kept.close()


async def _send(driver: asyncpg.Connection, same: Sequence[_Queued]) -> None:
    """One SQL text's statements, in one implicit transaction (one Sync)."""
    if len(same) == 1:
        await driver.execute(same[0].sql, *same[0].parameters)
    else:
        await driver.executemany(same[0].sql, [queued.parameters for queued in same])


def _settle(batch: Sequence[_Queued], committed: bool) -> None:
    for queued in batch:
        if not queued.done.done():
            queued.done.set_result(committed)


def _fail(batch: Sequence[_Queued], error: BaseException) -> None:
    for queued in batch:
        if not queued.done.done():
            queued.done.set_exception(error)
