"""Creating the schema: every model module is imported here so its tables are known."""

from __future__ import annotations

from clopos.server.store import catalogue, models  # noqa: F401  (registers tables)
from clopos.server.store.base import Base
from clopos.server.store.db import Database


async def create_schema(db: Database) -> None:
    """Create every missing table; existing tables and rows are left as they are."""
    async with db.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
