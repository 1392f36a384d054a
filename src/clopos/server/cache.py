"""GET answers kept until a change to what they were made from.

Each answer is tagged with the tables its units of work read (see store/uow.py) and its
brand. A change-log entry (see changes.py) evicts exactly the answers that read the changed
table for that brand (or for every brand, when the change names none): a new customer leaves
the cached menu in place. Works alike on SQLite and PostgreSQL, since both follow the log.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.pipeline.context import request_context
from clopos.server.responses import send_json, stamp_suffix
from clopos.store.changes import ChangeFeed, Changes
from clopos.store.db import READS


@dataclass(frozen=True, slots=True)
class CachedBody:
    """An answer's body; a `stamped` one lacks its time fields and closing brace."""

    body: bytes
    stamped: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    value: CachedBody
    brand_id: int
    tables: frozenset[str]


class ResponseCache:
    """Answer bodies by request key, evicted by the changes they depend on, bounded in bytes."""

    def __init__(self, feed: ChangeFeed, max_entries: int, max_bytes: int = 64 << 20) -> None:
        self._feed = feed
        self.enabled = max_entries > 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._by_table: dict[str, set[Hashable]] = {}
        feed.subscribers.append(self.on_changes)

    def __len__(self) -> int:
        return len(self._entries)

    def feed_position(self) -> int:
        """The last change seen: an answer computed from here on is current as of it."""
        return self._feed.seq

    async def on_changes(self, changes: Changes) -> None:
        if changes.everything:
            self.clear()
            return
        for change in changes.items:
            for key in list(self._by_table.get(change.resource, ())):
                entry = self._entries.get(key)
                if entry is not None and change.brand_id in (None, entry.brand_id):
                    self._evict(key)

    def clear(self) -> None:
        self._entries.clear()
        self._by_table.clear()
        self._bytes = 0

    def get(self, key: Hashable) -> CachedBody | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry.value

    def put(
        self, key: Hashable, value: CachedBody, brand_id: int, tables: frozenset[str], seq: int
    ) -> None:
        """Keep `value`, computed from `tables` after change `seq`, unless it is already stale."""
        size = len(value.body)
        if size > self._max_bytes or self._feed.changed_since(seq, brand_id, tables):
            return
        if key in self._entries:
            self._evict(key)
        self._entries[key] = _Entry(value, brand_id, tables)
        for table in tables:
            self._by_table.setdefault(table, set()).add(key)
        self._bytes += size
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            self._evict(next(iter(self._entries)))

    def _evict(self, key: Hashable) -> None:
        entry = self._entries.pop(key)
        self._bytes -= len(entry.value.body)
        for table in entry.tables:
            keys = self._by_table.get(table)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_table[table]


async def serve_cached(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    cache: ResponseCache,
    key: Hashable,
    brand_id: int,
) -> None:
    """Answer from the cache, or run `app` and keep a copy of a cacheable 200."""
    entry = cache.get(key)
    if entry is not None:
        body = entry.body + stamp_suffix(scope) if entry.stamped else entry.body
        await send_json(send, 200, body)
        return

    seq = cache.feed_position()
    reads: set[str] = set()
    status = 0
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif status == 200:
            chunks.append(message.get("body", b""))
            # Set by responses.cacheable: only answers rendered by it are kept.
            context = request_context(scope)
            suffix = context.stamp_suffix if context is not None else None
            if not message.get("more_body", False) and suffix is not None:
                body = b"".join(chunks)
                if body.endswith(suffix):
                    cut = len(body) - len(suffix)
                    value = CachedBody(body[:cut], stamped=bool(suffix))
                    cache.put(key, value, brand_id, frozenset(reads), seq)
        await send(message)

    token = READS.set(reads)
    try:
        await app(scope, receive, keep)
    finally:
        READS.reset(token)
