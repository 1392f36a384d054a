"""Changes of one row applied together: balances and stock levels move by the sum of their
changes in one statement (ledger.py, receipts/stock.py), and each change's own movement is
then worked out backwards from the row's new value: what is still to come after it (its
`after` is the new value less that) and that with itself (its `before`).

The rests are worked out here for both ways a movement is written: in Python from the
row's new value (`chained`), and on PostgreSQL by the statement that moves the row
(store/moves.py), from the same rests. Each change's rest after is the same number as
the next one's rest before, so each `after` is the next `before` exactly, either way."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence


def rests(changes: Sequence[float]) -> list[tuple[float, float]]:
    """Each of `changes`' (rest before, rest after): the sum of the changes from it on, and
    of those after it, applied in their order."""
    steps = []
    rest = 0.0
    for change in reversed(changes):
        before = rest + change
        steps.append((before, rest))
        rest = before
    steps.reverse()
    return steps


def rests_by_row(
    groups: Iterable[Sequence[int]], changes: Sequence[float]
) -> dict[int, dict[str, float | int]]:
    """For each of `changes` (by index), its row's chain in the statement's terms: its
    `rest_before` and `rest_after`, and how many changes of its row come `later`;
    `groups`: the indices of each row's changes, in their order."""
    found: dict[int, dict[str, float | int]] = {}
    for indices in groups:
        steps = rests([changes[index] for index in indices])
        for place, (index, (before, after)) in enumerate(zip(indices, steps, strict=True)):
            found[index] = {
                "rest_before": before,
                "rest_after": after,
                "later": len(indices) - place - 1,
            }
    return found


def chained(
    end: float, changes: Sequence[float], rounded: Callable[[float], float]
) -> list[tuple[float, float]]:
    """Each of `changes`' (before, after), applied in their order, the last ending at `end`:
    each one's `after` is the next one's `before`. `rounded`: the values' precision."""
    return [(rounded(end - before), rounded(end - after)) for before, after in rests(changes)]
