"""SQLite writes are committed in groups: one commit for every unit of work waiting, each
unit in a savepoint of its own, and no unit answered before its group's commit."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from clopos.core.customers.table import Customer
from clopos.core.errors import Conflict
from clopos.server.bootstrap import initialise
from clopos.server.settings import Settings
from clopos.store.db import Database
from clopos.store.sequences import next_ids


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    settings = Settings(data_dir=tmp_path, seed_demo_catalogue=False)
    database = settings.open_database()
    asyncio.run(initialise(settings, database))
    yield database
    asyncio.run(database.dispose())


def _add(session: Session, name: str, refuse: bool = False) -> int:
    customer_id = next_ids(session, 1, "customers")
    session.add(Customer(brand_id=1, id=customer_id, cid=f"cid-{name}", name=name))
    session.flush()
    if refuse:
        raise Conflict(f"{name} refused after writing", error="refused")
    return customer_id


def _names(session: Session) -> set[str]:
    return set(session.scalars(select(Customer.name)))


def _groups(db: Database) -> list[int]:
    """A list that gains an entry at every transaction the writer begins."""
    begun: list[int] = []
    event.listen(db._write_engine, "begin", lambda connection: begun.append(1))
    return begun


def test_units_waiting_together_are_committed_together(db: Database) -> None:
    begun = _groups(db)

    async def burst() -> list[int]:
        return await asyncio.gather(*(db.write(_add, f"c{n}") for n in range(40)))

    ids = asyncio.run(burst())
    assert len(set(ids)) == 40
    assert len(begun) < 20, f"{len(begun)} transactions for 40 waiting units"
    assert {f"c{n}" for n in range(40)} <= asyncio.run(db.read(_names))


def test_a_failing_unit_is_rolled_back_alone(db: Database) -> None:
    async def burst() -> list[Any]:
        writes = (db.write(_add, f"d{n}", refuse=n == 5) for n in range(10))
        return await asyncio.gather(*writes, return_exceptions=True)

    outcomes = asyncio.run(burst())
    assert isinstance(outcomes[5], Conflict)
    assert all(isinstance(outcome, int) for n, outcome in enumerate(outcomes) if n != 5)
    names = asyncio.run(db.read(_names))
    assert "d5" not in names
    assert {f"d{n}" for n in range(10) if n != 5} <= names


def test_a_failed_commit_fails_every_unit_of_its_group(db: Database) -> None:
    failures = iter([True])

    def fail_once(connection: Any) -> None:
        if next(failures, False):
            raise OSError("the disk refused the commit")

    event.listen(db._write_engine, "commit", fail_once)

    async def burst() -> list[Any]:
        writes = (db.write(_add, f"e{n}") for n in range(10))
        return await asyncio.gather(*writes, return_exceptions=True)

    outcomes = asyncio.run(burst())
    failed = [n for n, outcome in enumerate(outcomes) if isinstance(outcome, OSError)]
    assert failed, "the refused commit failed no unit"
    names = asyncio.run(db.read(_names))
    assert not {f"e{n}" for n in failed} & names  # no failed unit's write is there
    assert {f"e{n}" for n in range(10) if n not in failed} <= names

    async def count() -> int:
        return await db.read(lambda session: int(session.scalar(select(func.count(Customer.id)))))

    assert asyncio.run(count()) == len(names)
