"""Live orders: the change log, followed for the console's open pages.

Each process follows the change log with its `ChangeFeed` (store/changes.py); API requests
poll it as they arrive. While a console page listens (server-sent events), a small task here
polls it too, twice a second (on SQLite a `PRAGMA data_version` read when nothing changed;
on PostgreSQL one indexed range read), so a change committed by anyone (an integrator's
order through the API, another worker, the CLI) reaches the page within about half a
second. Listeners wait per brand; a change to the brand's orders, receipts or stop list
wakes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator

from clopos.store.changes import ChangeFeed, Changes

log = logging.getLogger("clopos.console")

WATCHED = frozenset({"orders", "receipts", "receipt_payments", "stop_list", "venue_order_modes"})
POLL_SECONDS = 0.5
FIRST = asyncio.FIRST_COMPLETED


class LiveFeed:
    """Per-brand change counters, and a way to wait for the next change of a brand."""

    def __init__(self, feed: ChangeFeed) -> None:
        self.feed = feed
        self._counts: dict[int, int] = defaultdict(int)
        self._everything = 0
        self._changed = asyncio.Event()
        self.listeners = 0
        self._task: asyncio.Task[None] | None = None
        feed.subscribers.append(self.on_changes)

    def version(self, brand_id: int) -> int:
        return self._counts[brand_id] + self._everything

    async def on_changes(self, changes: Changes) -> None:
        if changes.everything:
            self._everything += 1
        else:
            touched = {c.brand_id for c in changes.items if c.resource in WATCHED}
            if not touched:
                return
            if None in touched:
                self._everything += 1
            for brand_id in touched - {None}:
                assert brand_id is not None
                self._counts[brand_id] += 1
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def wait(self, brand_id: int, seen: int, seconds: float, stopping: asyncio.Event) -> int:
        """The brand's version once it differs from `seen`, after `seconds`, or at once when
        the server is `stopping`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        stop = loop.create_task(stopping.wait())
        try:
            while self.version(brand_id) == seen and not stopping.is_set():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                changed = loop.create_task(self._changed.wait())
                await asyncio.wait((changed, stop), timeout=remaining, return_when=FIRST)
                changed.cancel()
        finally:
            stop.cancel()
        return self.version(brand_id)

    @contextlib.asynccontextmanager
    async def listening(self) -> AsyncIterator[None]:
        """While inside, the feed is polled for this listener."""
        self.listeners += 1
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._poll(), name="console-live")
        try:
            yield
        finally:
            self.listeners -= 1

    async def _poll(self) -> None:
        while self.listeners > 0:
            try:
                await self.feed.poll()
            except Exception:
                log.warning("following the change log failed; trying again", exc_info=True)
            await asyncio.sleep(POLL_SECONDS)
