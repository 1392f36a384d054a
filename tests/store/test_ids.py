"""Per-brand ids: never twice, an explicit id is never given again, and on PostgreSQL a
unit taking ids does not hold up the others of its brand until it commits."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from clopos.server.settings import Settings
from clopos.store.db import Database
from clopos.store.sequences import BLOCK, BLOCKED, next_ids, next_ids_of, reserve_id
from tests.store.dbutil import with_database


def test_concurrent_units_never_get_the_same_ids(
    initialised_database_url: str, tmp_path: Path
) -> None:
    async def work(db: Database) -> list[int]:
        taken = await asyncio.gather(
            *(db.write(lambda s: [next_ids(s, 1, "test-ids", 3)]) for _ in range(20))
        )
        return sorted(first + offset for [first] in taken for offset in range(3))

    ids = with_database(initialised_database_url, tmp_path, work)
    assert ids == list(range(1, 61))


def test_several_kinds_at_once_continue_each_kind(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """`next_ids_of` moves each kind on by its count, a kind taken for the first time and a
    count of 0 (none asked) included."""

    def take(session: Session) -> tuple[dict[str, int], dict[str, int], int]:
        next_ids(session, 1, "test-a", 4)  # test-a: 1-4
        next_ids(session, 1, "test-b")  # test-b: 1
        counts = {"test-b": 2, "test-a": 3, "test-new": 5, "test-none": 0}
        first = next_ids_of(session, 1, counts)
        again = next_ids_of(session, 1, {"test-a": 1, "test-new": 1})
        return first, again, next_ids(session, 1, "test-none")

    first, again, none = with_database(
        initialised_database_url, tmp_path, lambda db: db.write(take)
    )
    assert first == {"test-a": 5, "test-b": 2, "test-new": 1}
    assert again == {"test-a": 8, "test-new": 6}
    assert none == 1  # the count of 0 took nothing


def test_concurrent_takes_of_several_kinds_never_overlap(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """Units taking the same kinds at once, asked for in either order (their rows are
    locked in one order whatever the asking: on PostgreSQL none waits for another in a
    circle, and none fails)."""
    kinds = ["test-x", "test-y", "test-z"]

    async def work(db: Database) -> dict[str, list[int]]:
        await db.write(lambda s: next_ids_of(s, 1, dict.fromkeys(kinds, 1)))  # rows made
        asked = [
            {kind: 1 + number % 3 for kind in (kinds if number % 2 else kinds[::-1])}
            for number in range(24)
        ]
        taken = await asyncio.gather(
            *(db.write(lambda s, counts=counts: next_ids_of(s, 1, counts)) for counts in asked)
        )
        given: dict[str, list[int]] = {kind: [] for kind in kinds}
        for counts, firsts in zip(asked, taken, strict=True):
            for kind in kinds:
                given[kind] += range(firsts[kind], firsts[kind] + counts[kind])
        return given

    given = with_database(initialised_database_url, tmp_path, work)
    for ids in given.values():
        assert sorted(ids) == list(range(2, 2 + len(ids)))


def test_a_reserved_id_is_never_given_and_never_lowers_the_count(
    initialised_database_url: str, tmp_path: Path
) -> None:
    def reserve_then_take(session: Session) -> tuple[int, int]:
        first = next_ids(session, 1, "test-reserve")  # the brand's first: 1
        reserve_id(session, 1, "test-reserve", 50)
        reserve_id(session, 1, "test-reserve", 10)  # lower: changes nothing
        return first, next_ids(session, 1, "test-reserve")

    assert with_database(
        initialised_database_url, tmp_path, lambda db: db.write(reserve_then_take)
    ) == (1, 51)


def test_a_failed_unit_leaves_no_duplicate(initialised_database_url: str, tmp_path: Path) -> None:
    """Its ids are given back (SQLite) or left as a gap (PostgreSQL): never given twice."""

    def take_then_fail(session: Session) -> None:
        next_ids(session, 1, "test-fail")
        raise RuntimeError("the unit fails after taking its id")

    async def work(db: Database) -> tuple[int, int]:
        first = await db.write(lambda s: next_ids(s, 1, "test-fail"))
        with pytest.raises(RuntimeError):
            await db.write(take_then_fail)
        return first, await db.write(lambda s: next_ids(s, 1, "test-fail"))

    first, after = with_database(initialised_database_url, tmp_path, work)
    assert after > first


@pytest.mark.parametrize("backend_name", ["postgres"])
def test_a_unit_taking_ids_does_not_hold_up_the_brand(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """A unit took an order id and is still at work (here: asleep) when another unit of the
    same brand takes one: the second commits first. In the unit's own transaction the row
    of ids stayed locked until the first one's commit, and the second waited for it."""
    finished: list[str] = []
    has_its_id = asyncio.Event()

    def slow(session: Session) -> int:
        first = next_ids(session, 1, "orders")
        has_its_id.set()  # units on PostgreSQL run on the event loop's thread
        session.execute(text("SELECT pg_sleep(0.5)"))
        finished.append("slow")
        return first

    def quick(session: Session) -> int:
        first = next_ids(session, 1, "orders")
        finished.append("quick")
        return first

    async def work(db: Database) -> tuple[int, int]:
        slow_unit = asyncio.ensure_future(db.write(slow))
        await has_its_id.wait()
        quick_id = await db.write(quick)
        assert finished == ["quick"]  # while the slow one still runs
        return await slow_unit, quick_id

    slow_id, quick_id = with_database(initialised_database_url, tmp_path, work)
    assert quick_id == slow_id + 1
    assert finished == ["quick", "slow"]


@pytest.mark.parametrize("backend_name", ["postgres"])
def test_blocked_kinds_come_from_memory_and_two_processes_never_share_one(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """The kinds a close adds are taken a block at a time (PostgreSQL): a unit's first take
    moves the brand's row past a whole block, the next takes of the process move it no
    more, and two processes (two `Database`s, each its blocks) taking the same kind at once
    never give one id twice."""
    kind = "stock_operations"
    assert kind in BLOCKED

    async def last_value(db: Database) -> int:
        return await db.read(
            lambda s: int(
                s.scalar(
                    text("SELECT last_value FROM id_sequences WHERE brand_id = 1 AND name = :k"),
                    {"k": kind},
                )
            )
        )

    def take(db: Database, count: int) -> Awaitable[dict[str, int]]:
        return db.write(lambda s: next_ids_of(s, 1, {kind: count, "receipt_payments": 1}))

    async def work(db: Database) -> list[int]:
        start = await last_value(db)  # the demo café's initial stock took some
        first = await take(db, 3)
        assert first[kind] == start + 1
        assert await last_value(db) == start + 3 + BLOCK  # these three and a block
        second = await take(db, 2)
        assert second[kind] == start + 4
        assert await last_value(db) == start + 3 + BLOCK  # from memory: the row did not move

        other_path = tmp_path / "other"
        other_path.mkdir()
        other = Settings(data_dir=other_path, database_url=initialised_database_url)
        other_db = other.open_database()
        try:
            taken = await asyncio.gather(
                *(take(other_db if number % 2 else db, 1 + number % 4) for number in range(80))
            )
        finally:
            await other_db.dispose()
        given = [*range(start + 1, start + 6)]
        for number, firsts in enumerate(taken):
            given += range(firsts[kind], firsts[kind] + 1 + number % 4)
        return given

    given = with_database(initialised_database_url, tmp_path, work)
    assert len(given) == len(set(given))  # never one id twice, within a process or across
