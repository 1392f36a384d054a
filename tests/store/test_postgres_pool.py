"""PostgreSQL: a worker keeps a fixed set of connections; units beyond it wait for one."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from clopos.server.settings import Settings
from clopos.store.db import Database
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
        db = Database.from_settings(settings)
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
