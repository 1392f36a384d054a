"""Nested-set numbering (`_lft`, `_rgt`, `depth`) computed from parent links.

Clopos (a Laravel nested-set backend) answers these numbers; we derive them from the
parent links when serving, so writes never have to renumber a tree.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Position:
    lft: int
    rgt: int
    depth: int


def nested_set(nodes: Iterable[tuple[int, int | None, Hashable]]) -> dict[int, Position]:
    """Number a forest of `(id, parent_id, sort_key)`; orphans and cycles count as roots."""
    items = list(nodes)
    known = {node_id for node_id, _, _ in items}
    children: dict[int | None, list[tuple[Any, int]]] = {}
    for node_id, parent_id, key in items:
        parent = parent_id if parent_id in known and parent_id != node_id else None
        children.setdefault(parent, []).append((key, node_id))
    for siblings in children.values():
        siblings.sort()
    positions: dict[int, Position] = {}
    counter = 1
    # Iterative depth-first walk: deep trees must not hit the recursion limit.
    stack: list[tuple[int, int, bool]] = [
        (node_id, 0, False) for _, node_id in reversed(children.get(None, []))
    ]
    lefts: dict[int, int] = {}
    while stack:
        node_id, depth, done = stack.pop()
        if done:
            positions[node_id] = Position(lefts[node_id], counter, depth)
            counter += 1
            continue
        if node_id in lefts:  # a cycle: already being walked
            continue
        lefts[node_id] = counter
        counter += 1
        stack.append((node_id, depth, True))
        for _, child in reversed(children.get(node_id, [])):
            stack.append((child, depth + 1, False))
    for node_id, _, _ in items:  # nodes only reachable through a cycle
        if node_id not in positions:
            positions[node_id] = Position(counter, counter + 1, 0)
            counter += 2
    return positions
