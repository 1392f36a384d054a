"""Changes of one row applied together: balances and stock levels move by the sum of their
changes in one statement (ledger.py, receipts/stock.py), and each change's own movement is
then worked out backwards from the row's new value."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def chained(
    end: float, changes: Sequence[float], rounded: Callable[[float], float]
) -> list[tuple[float, float]]:
    """Each of `changes`' (before, after), applied in their order, the last ending at `end`:
    each one's `after` is the next one's `before`. `rounded`: the values' precision."""
    steps = []
    after = end
    for change in reversed(changes):
        before = rounded(after - change)
        steps.append((before, after))
        after = before
    steps.reverse()
    return steps
