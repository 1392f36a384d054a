"""The render cache keeps each shape of a resource apart, and a change drops them all."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from clopos.store.changes import Change, Changes
from clopos.store.renders import RenderCache


class _Feed:
    """The change feed as the cache sees it: a position, and whether anything changed."""

    def __init__(self) -> None:
        self.seq = 0
        self.subscribers: list[Any] = []

    def changed_since(self, seq: int, brand_id: int, resources: Iterable[str]) -> bool:
        return False


def test_two_shapes_of_one_resource_are_kept_apart() -> None:
    cache = RenderCache(_Feed(), max_rows=100)  # type: ignore[arg-type]
    cache.store("products", 1, {7: {"id": 7, "name": "Tea", "type": "DISH"}}, 0, "Product")
    cache.store("products", 1, {7: {"id": 7, "name": "Tea"}}, 0, "PricedProduct")
    assert cache.get("products", 1, [7], "Product")[7]["type"] == "DISH"
    assert "type" not in cache.get("products", 1, [7], "PricedProduct")[7]
    assert cache.get("products", 2, [7], "Product") == {}  # another brand's
    assert cache.get("products", 1, [7]) == {}  # no shape named: neither


def test_a_change_drops_every_shape_of_its_resource_in_its_brand() -> None:
    cache = RenderCache(_Feed(), max_rows=100)  # type: ignore[arg-type]
    for shape in ("Product", "PricedProduct"):
        cache.store("products", 1, {7: {"id": 7}}, 0, shape)
        cache.store("products", 2, {7: {"id": 7}}, 0, shape)
    cache.store("venues", 1, {1: {"id": 1}}, 0, "Venue")
    asyncio.run(cache.on_changes(Changes((Change("products", 1, "7", "update"),))))
    assert cache.get("products", 1, [7], "Product") == {}
    assert cache.get("products", 1, [7], "PricedProduct") == {}
    assert cache.get("products", 2, [7], "Product") != {}
    assert cache.get("venues", 1, [1], "Venue") != {}


def test_a_change_to_what_a_shape_embeds_drops_that_shape() -> None:
    cache = RenderCache(_Feed(), max_rows=100)  # type: ignore[arg-type]
    cache.store("products", 1, {7: {"id": 7}}, 0, "Product")
    cache.store("products", 1, {7: {"id": 7, "venues": ["Main"]}}, 0, "Named", ("venues",))
    asyncio.run(cache.on_changes(Changes((Change("venues", 1, "1", "update"),))))
    assert cache.get("products", 1, [7], "Named") == {}
    assert cache.get("products", 1, [7], "Product") != {}
