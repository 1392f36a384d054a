"""PostgreSQL: one asyncpg connection kept apart from the pool, for a piece that runs its
statements on the driver itself (the change feed's reads, the commit batches): no check-out
a use, nor SQLAlchemy's per-statement work. Opened when first used, and again once lost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg


class KeptConnection:
    """`dsn`: asyncpg's (`Database.driver_dsn`, which holds the password: never logged);
    `settings`: the session's server settings; `opened`: what to do on each connection
    opened before its first use (prepare a statement)."""

    def __init__(
        self,
        dsn: str,
        settings: dict[str, str] | None = None,
        opened: Callable[[asyncpg.Connection], Awaitable[None]] | None = None,
    ) -> None:
        self._dsn = dsn
        self._settings = settings
        self._opened = opened
        self._connection: asyncpg.Connection | None = None

    async def connection(self) -> asyncpg.Connection:
        """The connection, opened first if there is none or it was closed."""
        if self._connection is None or self._connection.is_closed():
            connection = await asyncpg.connect(self._dsn, server_settings=self._settings)
            try:
                if self._opened is not None:
                    await self._opened(connection)
            except BaseException:
                connection.terminate()  # not kept half made: the next use starts again
                raise
            self._connection = connection
        return self._connection

    def drop(self) -> None:
        """The connection is broken or in doubt: ended at once, without a word to the
        server; the next use opens another."""
        broken, self._connection = self._connection, None
        if broken is not None:
            broken.terminate()

    async def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.close()
