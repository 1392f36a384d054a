"""Following the change log: every committed change is handed out once, by the next poll,
whatever order writers commit in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from sqlalchemy import Table
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from clopos.core.products.table import Tag
from clopos.store.changes import BATCH, ChangeFeed, Changes
from clopos.store.db import Database
from clopos.store.uow import Change, insert_rows
from tests.store.dbutil import with_database

TAGS: Table = Tag.__table__  # type: ignore[assignment]
T = TypeVar("T")


def _run(
    database_url: str,
    tmp_path: Path,
    work: Callable[[Database, ChangeFeed, list[Changes]], Awaitable[T]],
) -> T:
    """`work` with a database and a started feed whose handed-out changes are collected."""

    async def with_feed(db: Database) -> T:
        feed = ChangeFeed(db)
        seen: list[Changes] = []

        async def collect(changes: Changes) -> None:
            seen.append(changes)

        feed.subscribers.append(collect)
        await feed.start()
        try:
            return await work(db, feed, seen)
        finally:
            await feed.close()

    return with_database(database_url, tmp_path, with_feed)


def _tag(tag_id: int) -> Callable[[Session], Any]:
    return lambda session: insert_rows(session, TAGS, [{"brand_id": 1, "id": tag_id, "name": "t"}])


def _records(seen: list[Changes]) -> list[str | None]:
    return [change.record_id for changes in seen for change in changes.items]


def test_a_committed_change_is_handed_out_once_by_the_next_poll(
    initialised_database_url: str, tmp_path: Path
) -> None:
    async def work(db: Database, feed: ChangeFeed, seen: list[Changes]) -> None:
        await feed.poll()
        assert seen == []  # nothing before the start is news
        await db.write(_tag(701))
        await feed.poll()
        await feed.poll()
        assert [list(changes.items) for changes in seen] == [[Change("tags", 1, "701", "insert")]]
        position = feed.seq
        await db.write(_tag(702))
        await feed.poll()
        assert _records(seen) == ["701", "702"]
        assert feed.seq > position
        assert not feed.changed_since(feed.seq, 1, ["tags"])
        assert feed.changed_since(position, 1, ["tags"])
        assert not feed.changed_since(position, 1, ["products"])

    _run(initialised_database_url, tmp_path, work)


def test_a_backlog_past_a_batch_is_everything(
    initialised_database_url: str, tmp_path: Path
) -> None:
    async def work(db: Database, feed: ChangeFeed, seen: list[Changes]) -> None:
        rows = [{"brand_id": 1, "id": 10_000 + n, "name": "t"} for n in range(BATCH + 5)]
        await db.write(lambda session: insert_rows(session, TAGS, rows))
        await feed.poll()
        assert len(seen) == 1 and seen[0].everything
        await db.write(_tag(703))
        await feed.poll()  # the backlog was read to its end: only the new change follows
        assert _records(seen[1:]) == ["703"] and not seen[1].everything

    _run(initialised_database_url, tmp_path, work)


@pytest.mark.parametrize("backend_name", ["postgres"])
def test_postgresql_plans_the_log_read_once(initialised_database_url: str, tmp_path: Path) -> None:
    """Every request polls: a read planned anew each time cost the database three times
    the read itself (docs/performance.md)."""

    async def work(db: Database, feed: ChangeFeed, seen: list[Changes]) -> None:
        for tag_id in range(710, 718):
            await db.write(_tag(tag_id))
            await feed.poll()
        assert len(_records(seen)) == 8
        connection = await feed._log._kept.connection()  # type: ignore[union-attr]
        plans = await connection.fetchrow(  # the log's read, not this one
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%FROM change_log%' AND statement NOT LIKE '%pg_prepared%'"
        )
        assert plans["custom_plans"] == 0 and plans["generic_plans"] >= 8

    _run(initialised_database_url, tmp_path, work)


@pytest.mark.parametrize("backend_name", ["postgres"])
def test_a_change_committed_after_a_later_one_is_not_missed(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """PostgreSQL's writers commit side by side: a transaction that took its log row first
    may commit last. The feed hands out the one that committed at once, while the other is
    still open, and the other when it commits; neither twice."""
    dsn = make_url(initialised_database_url).set(drivername="postgresql").render_as_string(False)

    async def work(db: Database, feed: ChangeFeed, seen: list[Changes]) -> None:
        slow = await asyncpg.connect(dsn)
        try:
            opened = slow.transaction()
            await opened.start()
            early = await slow.fetchval(
                "INSERT INTO change_log (resource, brand_id, record_id, kind, at) "
                "VALUES ('tags', 1, 'slow', 'insert', now()) RETURNING seq"
            )
            await db.write(_tag(704))  # a later seq, committed first
            await feed.poll()
            assert _records(seen) == ["704"]
            await feed.poll()
            assert _records(seen) == ["704"]  # not again, though the slow one holds it back
            later = await slow.fetchval(
                "SELECT seq FROM change_log WHERE resource = 'tags' AND record_id = '704'"
            )
            assert early < later  # the log's order is not the order of commits
            await opened.commit()
        finally:
            await slow.close()
        await feed.poll()
        assert _records(seen) == ["704", "slow"]
        await feed.poll()
        assert _records(seen) == ["704", "slow"]

    _run(initialised_database_url, tmp_path, work)


def _sqlite_url(tmp_path: Path) -> str:
    (tmp_path / "data").mkdir()
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'clopos.db'}"


def test_sqlite_polls_run_no_statement_until_something_commits(tmp_path: Path) -> None:
    """On SQLite "has anything committed?" is read from the WAL index in memory: polls with
    nothing new run no statement, and a commit on another connection (the writer's, as
    another process's would be) is noticed by the next poll."""

    async def work(db: Database, feed: ChangeFeed, seen: list[Changes]) -> None:
        statements: list[str] = []
        probe = feed._probe
        assert probe is not None and feed._wal is not None
        probe.set_trace_callback(statements.append)
        for _ in range(5):
            await feed.poll()
        assert statements == [] and seen == []
        await db.write(_tag(703))
        await feed.poll()
        assert _records(seen) == ["703"] and statements
        statements.clear()
        await feed.poll()
        assert statements == [] and _records(seen) == ["703"]

    _run(_sqlite_url(tmp_path), tmp_path, work)


# Asked from another process (a process never conflicts with its own record locks): the
# holder of a lock that would keep it from writing byte `offset` of `path`, as "type pid".
_WHO_LOCKS = """
import fcntl, os, struct, sys
flock = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, int(sys.argv[2]), 1, 0)
fd = os.open(sys.argv[1], os.O_RDWR)
kind, _, _, _, pid = struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, flock))
print("read" if kind == fcntl.F_RDLCK else "write" if kind == fcntl.F_WRLCK else "none", pid)
"""
# SQLite's unix VFS: the WAL index's "dead man's switch" byte, read-locked by every process
# using the index; whoever gets it exclusively takes itself for the first user and resets
# (truncates) the index.
_DMS_BYTE = 128


def _lock_on_dms(database: Path) -> str:
    answer = subprocess.run(
        [sys.executable, "-c", _WHO_LOCKS, f"{database}-shm", str(_DMS_BYTE)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return answer.stdout.strip()


def test_mapping_the_wal_index_keeps_sqlites_locks(tmp_path: Path) -> None:
    """Closing any descriptor of the `-shm` file drops every POSIX lock this process holds on
    it: then another process would truncate the index under SQLite's mappings (SIGBUS).
    The mapped index keeps its descriptor, so the lock stays, also when another `Database`
    on the same file (an admin command run in this process) comes and goes."""
    database = tmp_path / "data" / "clopos.db"

    async def work(db: Database, feed: ChangeFeed, seen: list[Changes]) -> None:
        assert feed._wal is not None
        mine = f"read {os.getpid()}"
        assert _lock_on_dms(database) == mine
        other = Database(f"sqlite+aiosqlite:///{database}")
        try:
            await other.read(lambda session: session.execute(TAGS.select()).all())
            assert other.wal_index() is not None
        finally:
            await other.dispose()
        assert _lock_on_dms(database) == mine
        await db.write(_tag(704))
        await feed.poll()
        assert _records(seen) == ["704"]

    _run(_sqlite_url(tmp_path), tmp_path, work)
