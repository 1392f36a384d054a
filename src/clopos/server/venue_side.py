"""The sandbox venue's own moves: orders of a venue in `accept-after N` mode are accepted by
the server about a second after their N seconds have passed (a running server checks once
a second; with several servers, the first to get there accepts, the others find it done)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from clopos.core.orders import life as orders
from clopos.store.base import utcnow
from clopos.store.db import Database

log = logging.getLogger("clopos.server")


class OrderAcceptor:
    """Accepts due `accept-after` orders in the background."""

    def __init__(self, db: Database, interval: float = 1.0) -> None:
        self.db = db
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="order-acceptor")

    async def tick(self) -> int:
        """Accept what is due now; answers how many orders were accepted."""
        due = await self.db.read(orders.due_orders, utcnow())
        return await self.db.write(orders.accept_due, due) if due else 0

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("accepting due orders failed; trying again")
            await asyncio.sleep(self.interval)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
