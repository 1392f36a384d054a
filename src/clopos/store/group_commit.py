"""SQLite's writes, committed in groups: one `fsync` for every unit of work waiting.

With `synchronous=FULL` each commit waits for the write-ahead log to reach the disk, and
SQLite has one writer at a time: committed one by one, writes could never outrun the disk's
flushes (from 0.3 ms each on an idle disk to several ms on a busy one). Here one writer thread
takes every unit of work queued, runs them in one transaction, each inside a savepoint of
its own (a unit that fails is rolled back alone, and its caller gets its error), and commits
once. No unit is answered before that commit: an acknowledged write is as durable as before,
and a failed commit fails every unit of the group.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clopos.store.uow import UowSession

# Units one commit may carry: bounds how long the first of them waits for the last.
MAX_GROUP = 64


@dataclass
class _Queued:
    run: Callable[[Session], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


class GroupCommitter:
    """The writer thread and its queue."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(
            class_=UowSession, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        self._queue: queue.SimpleQueue[_Queued | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    async def run(self, unit: Callable[[Session], Any]) -> Any:
        """Run `unit(session)` in the next group; answers once the group has committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._start()
        self._queue.put(_Queued(unit, loop, future))
        return await future

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="clopos-db-writer", daemon=True
                )
                self._thread.start()

    def stop(self) -> None:
        """Finish what is queued, then end the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _work(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            group = [first]
            while len(group) < MAX_GROUP:
                try:
                    queued = self._queue.get_nowait()
                except queue.Empty:
                    break
                if queued is None:
                    stopping = True
                    break
                group.append(queued)
            self._commit(group)

    def _commit(self, group: list[_Queued]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self._engine.connect() as connection, connection.begin():
                for queued in group:
                    with self._sessions(bind=connection) as session:
                        try:
                            outcomes.append((True, queued.run(session)))
                        except Exception as error:  # that unit's own refusal or failure
                            outcomes.append((False, error))
        except Exception as error:  # BEGIN or COMMIT failed: nothing of the group is durable
            outcomes = [outcome if not outcome[0] else (False, error) for outcome in outcomes]
            outcomes += [(False, error)] * (len(group) - len(outcomes))
        for queued, (ok, value) in zip(group, outcomes, strict=True):
            queued.loop.call_soon_threadsafe(_settle, queued.future, ok, value)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():  # its caller went away (a cancelled request)
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
