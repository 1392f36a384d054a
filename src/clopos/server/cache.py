"""Noticing database changes cheaply, and caching API answers until the next change.

SQLite's `PRAGMA data_version` changes whenever another connection commits; read through a
connection that never writes, it tells in about a microsecond whether anything at all changed
since the last look: a write from this server, another worker, or the CLI. That makes a
response cache safe without any bookkeeping on the write paths: every commit anywhere clears
it. On other backends there is no such signal, and the cache stays off.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.responses import send_json, stamp_suffix
from clopos.server.store.db import Database


class ChangeProbe:
    """Whether the database changed since the last look (SQLite only)."""

    def __init__(self, db: Database) -> None:
        self.connection: sqlite3.Connection | None = db.sync_sqlite_connection()

    @property
    def available(self) -> bool:
        return self.connection is not None

    def version(self) -> int | None:
        """A number that differs after any commit by another connection; None off SQLite."""
        if self.connection is None:
            return None
        return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


@dataclass(frozen=True, slots=True)
class CachedBody:
    """An answer's body; a `stamped` one lacks its time fields and closing brace."""

    body: bytes
    stamped: bool


class ResponseCache:
    """Answer bodies by request key, valid for one database version, bounded in bytes."""

    def __init__(self, probe: ChangeProbe, max_entries: int, max_bytes: int = 64 << 20) -> None:
        self._probe = probe
        self.enabled = probe.available and max_entries > 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
        self._version: int | None = None
        self._entries: OrderedDict[Hashable, CachedBody] = OrderedDict()

    def observe(self, version: int | None) -> None:
        """Take note of the database version read for this request; empty the cache if it moved."""
        if version != self._version:
            self._entries.clear()
            self._bytes = 0
            self._version = version

    def get(self, key: Hashable) -> CachedBody | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: CachedBody, version: int | None) -> None:
        """Keep `entry` unless the database changed while it was being computed."""
        size = len(entry.body)
        now = self._probe.version()
        self.observe(now)
        if version is None or now != version or size > self._max_bytes:
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._bytes -= len(previous.body)
        self._entries[key] = entry
        self._bytes += size
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.body)


async def serve_cached(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    cache: ResponseCache,
    key: Hashable,
    data_version: int | None,
) -> None:
    """Answer from the cache, or run `app` and keep a copy of a cacheable 200."""
    cache.observe(data_version)
    entry = cache.get(key)
    if entry is not None:
        body = entry.body + stamp_suffix(scope) if entry.stamped else entry.body
        await send_json(send, 200, body)
        return

    status = 0
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif status == 200:
            chunks.append(message.get("body", b""))
            # Set by responses.cacheable: only answers rendered by it are kept.
            suffix = scope["state"].get("stamp_suffix")
            if not message.get("more_body", False) and suffix is not None:
                body = b"".join(chunks)
                if body.endswith(suffix):
                    cut = len(body) - len(suffix)
                    cache.put(key, CachedBody(body[:cut], stamped=bool(suffix)), data_version)
        await send(message)

    await app(scope, receive, keep)
