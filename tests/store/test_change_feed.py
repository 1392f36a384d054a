"""Following the change log: every committed change is handed out once, by the next poll,
whatever order writers commit in."""

from __future__ import annotations

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
    database_url: str, tmp_path: Path
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

    _run(database_url, tmp_path, work)


def test_a_backlog_past_a_batch_is_everything(database_url: str, tmp_path: Path) -> None:
    async def work(db: Database, feed: ChangeFeed, seen: list[Changes]) -> None:
        rows = [{"brand_id": 1, "id": 10_000 + n, "name": "t"} for n in range(BATCH + 5)]
        await db.write(lambda session: insert_rows(session, TAGS, rows))
        await feed.poll()
        assert len(seen) == 1 and seen[0].everything
        await db.write(_tag(703))
        await feed.poll()  # the backlog was read to its end: only the new change follows
        assert _records(seen[1:]) == ["703"] and not seen[1].everything

    _run(database_url, tmp_path, work)


@pytest.mark.parametrize("backend_name", ["postgres"])
def test_a_change_committed_after_a_later_one_is_not_missed(
    database_url: str, tmp_path: Path
) -> None:
    """PostgreSQL's writers commit side by side: a transaction that took its log row first
    may commit last. The feed hands out the one that committed at once, while the other is
    still open, and the other when it commits; neither twice."""
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(False)

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

    _run(database_url, tmp_path, work)
