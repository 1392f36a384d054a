"""Rendered rows, kept until their resource changes: each row's JSON shape is built once per
change, not once per request.

On a menu page, turning rows into answer objects costs more than the queries (profile in
docs/performance.md). A service asks this cache for the rows it needs by id and renders only
the ones missing; a list still runs its own count and id queries, so filters, sorting and
paging are always the database's, and only the per-row work is saved.

A rendered row may embed facts from other rows of the same resource (a product's parent name,
whether it has variants), so a change to a resource in a brand drops all that brand's
renders of it. Workers read from threads; all writes happen on the event loop (`store`,
`on_changes`): a group dict is only ever replaced or added to, never emptied in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clopos.store.changes import ChangeFeed, Changes

Render = Mapping[str, Any]


class RenderCache:
    """Renders by (resource, brand, shape) and id, bounded in rows. A resource may be
    rendered in more than one shape (a product, and a product as a price list's item): each
    shape is kept apart, and a change to the resource drops them all. A shape may embed
    facts of other resources (a product's venues by name): a change to those drops it too."""

    def __init__(self, feed: ChangeFeed, max_rows: int) -> None:
        self._feed = feed
        self._max_rows = max_rows
        self._groups: dict[tuple[str, int, str], dict[int, Render]] = {}
        # The other resources a (resource, shape)'s renders are made from.
        self._also: dict[tuple[str, str], frozenset[str]] = {}
        self._rows = 0
        feed.subscribers.append(self.on_changes)

    def position(self) -> int:
        """The last change seen; renders made from here on are current as of it."""
        return self._feed.seq

    def get(
        self, resource: str, brand_id: int, ids: Iterable[int], shape: str = ""
    ) -> dict[int, Render]:
        """The renders held for `ids` (safe from any thread)."""
        group = self._groups.get((resource, brand_id, shape))
        if not group:
            return {}
        found = {}
        for record_id in ids:
            render = group.get(record_id)
            if render is not None:
                found[record_id] = render
        return found

    def store(
        self,
        resource: str,
        brand_id: int,
        renders: Mapping[int, Render],
        seq: int,
        shape: str = "",
        also: Iterable[str] = (),
    ) -> None:
        """Keep renders made after change `seq`, unless what they were made from (their
        resource, and `also`) changed since."""
        also = frozenset(also)
        if self._feed.changed_since(seq, brand_id, (resource, *also)):
            return
        if also:
            self._also[(resource, shape)] = also
        if self._rows + len(renders) > self._max_rows:
            self.clear()
        group = self._groups.setdefault((resource, brand_id, shape), {})
        before = len(group)
        group.update(renders)
        self._rows += len(group) - before

    def clear(self) -> None:
        self._groups = {}
        self._rows = 0

    async def on_changes(self, changes: Changes) -> None:
        if changes.everything:
            self.clear()
            return
        also = self._also
        for change in changes.items:
            for key in [
                key
                for key in self._groups
                if key[0] == change.resource or change.resource in also.get((key[0], key[2]), ())
            ]:
                if change.brand_id in (None, key[1]):
                    self._rows -= len(self._groups.pop(key))
