"""PostgreSQL: a worker keeps a fixed set of connections (units beyond it wait for one), and
reads run without a transaction around them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from clopos.server.settings import Settings
from clopos.store.uow import commit_without_waiting_for_disk
from tests.support import Postgres


def test_units_beyond_the_pool_wait_instead_of_opening_connections(
    postgres: Postgres, tmp_path: Path
) -> None:
    """With overflow, each unit past the pool opened a connection (a new PostgreSQL backend)
    and closed it again on return: under load, one per request."""
    settings = Settings(
        data_dir=tmp_path, database_url=postgres.new_database(), database_pool_size=2
    )

    async def run() -> tuple[int, list[int]]:
        db = settings.open_database()
        assert db.async_engine is not None
        opened = 0

        def connected(*_: Any) -> None:
            nonlocal opened
            opened += 1

        event.listen(db.async_engine.sync_engine, "connect", connected)

        def slow(session: Session) -> int:
            return int(session.execute(text("SELECT 1 FROM pg_sleep(0.05)")).scalar_one())

        try:
            answers = await asyncio.gather(*(db.read(slow) for _ in range(8)))
        finally:
            await db.dispose()
        return opened, answers

    opened, answers = asyncio.run(run())
    assert answers == [1] * 8
    assert opened == 2


def test_a_read_runs_each_statement_on_its_own_and_a_write_in_one_transaction(
    postgres: Postgres, tmp_path: Path
) -> None:
    """`now()` is the start of the transaction: in a read it moves between statements (no
    BEGIN or COMMIT round trips), in a write it does not."""
    settings = Settings(data_dir=tmp_path, database_url=postgres.new_database())

    def two_clocks(session: Session) -> bool:
        first = session.execute(text("SELECT now()")).scalar_one()
        session.execute(text("SELECT pg_sleep(0.02)"))
        return bool(first != session.execute(text("SELECT now()")).scalar_one())

    async def run() -> tuple[bool, bool]:
        db = settings.open_database()
        try:
            return await db.read(two_clocks), await db.write(two_clocks)
        finally:
            await db.dispose()

    assert asyncio.run(run()) == (True, False)


def test_a_unit_may_commit_without_waiting_for_the_disk_and_only_that_unit(
    postgres: Postgres, tmp_path: Path
) -> None:
    """`commit_without_waiting_for_disk` (the webhook sender's writes) sets PostgreSQL's
    `synchronous_commit` for its own transaction; the next unit on the same connection is
    durable again, and what the relaxed unit wrote is committed."""
    settings = Settings(
        data_dir=tmp_path, database_url=postgres.new_database(), database_pool_size=1
    )

    def relaxed(session: Session) -> str:
        commit_without_waiting_for_disk(session)
        session.execute(text("CREATE TABLE IF NOT EXISTS relaxed (n int)"))
        session.execute(text("INSERT INTO relaxed VALUES (1)"))
        return str(session.execute(text("SHOW synchronous_commit")).scalar_one())

    def durable(session: Session) -> tuple[str, int]:
        setting = str(session.execute(text("SHOW synchronous_commit")).scalar_one())
        return setting, int(session.execute(text("SELECT count(*) FROM relaxed")).scalar_one())

    def durable_by_default(session: Session) -> None:
        # The test cluster runs with synchronous_commit off: this database's sessions on.
        name = session.execute(text("SELECT current_database()")).scalar_one()
        session.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit TO on'))

    async def run() -> tuple[str, tuple[str, int]]:
        setup = settings.open_database()
        try:
            await setup.write(durable_by_default)
        finally:
            await setup.dispose()
        db = settings.open_database()
        try:
            return await db.write(relaxed), await db.write(durable)
        finally:
            await db.dispose()

    inside, after = asyncio.run(run())
    assert inside == "off"
    assert after == ("on", 1)
