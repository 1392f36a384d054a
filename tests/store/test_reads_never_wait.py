"""SQLite reads run on the event loop and never wait there: when SQLite answers "busy", the
unit runs again on a reader thread, which may wait for the lock while the loop goes on."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clopos.server.bootstrap import initialise
from clopos.server.settings import Settings
from clopos.store.db import Database, _InlineReads
from clopos.store.uow import UowSession


def _thread_and_answer(session: Session) -> tuple[int, int]:
    return threading.get_ident(), int(session.execute(text("SELECT 41 + 1")).scalar_one())


class _Refusing:
    """The inline reads' connection, standing in: its transactions fail to begin with
    `error`, as SQLite's "busy" comes (a real one needs a checkpoint's reset of the log at
    the instant a read begins)."""

    def __init__(self, error: str) -> None:
        self.error = error
        self.calls = 0

    def begin(self) -> Any:
        self.calls += 1
        raise OperationalError("BEGIN", {}, sqlite3.OperationalError(self.error))

    def close(self) -> None:
        return None


def _refuse_inline_reads(db: Database, refusing: _Refusing) -> None:
    """This thread's reads are the inline ones, and their connection is `refusing`."""
    db._inline_thread = threading.get_ident()
    db._inline_reads = _InlineReads(refusing, UowSession())  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path) -> Any:
    settings = Settings(data_dir=tmp_path, seed_sandbox=False)
    database = settings.open_database()
    asyncio.run(initialise(settings, database))
    yield database
    asyncio.run(database.dispose())


def test_reads_run_on_the_event_loop_thread(db: Database) -> None:
    async def read() -> tuple[int, int]:
        return await db.read(_thread_and_answer)

    thread, answer = asyncio.run(read())
    assert (thread, answer) == (threading.get_ident(), 42)


def test_a_busy_read_runs_again_on_a_reader_thread(db: Database) -> None:
    refusing = _Refusing("database is locked")
    _refuse_inline_reads(db, refusing)

    async def read() -> tuple[int, int]:
        return await db.read(_thread_and_answer)

    thread, answer = asyncio.run(read())
    assert refusing.calls == 1
    assert answer == 42
    assert thread != threading.get_ident()


def test_other_database_errors_are_not_retried(db: Database) -> None:
    refusing = _Refusing("disk I/O error")
    _refuse_inline_reads(db, refusing)

    async def read() -> tuple[int, int]:
        return await db.read(_thread_and_answer)

    with pytest.raises(OperationalError, match="disk I/O error"):
        asyncio.run(read())


def test_reads_from_another_thread_than_the_first_run_on_a_reader_thread(db: Database) -> None:
    """The event loop's reads keep one connection, owned by the thread of the first read."""

    async def read() -> tuple[int, int]:
        return await db.read(_thread_and_answer)

    first_thread, _ = asyncio.run(read())
    assert first_thread == threading.get_ident()
    answers: list[tuple[int, int]] = []
    other = threading.Thread(target=lambda: answers.append(asyncio.run(read())))
    other.start()
    other.join()
    ((thread, answer),) = answers
    assert answer == 42
    assert thread not in (threading.get_ident(), other.ident)
