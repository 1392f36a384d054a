"""The kitchen's moves are between its statuses. (Each vocabulary is one definition, a
`Literal` that the wire models take and a tuple derived from it: nothing to compare.)"""

from __future__ import annotations

from clopos.core.receipts.kitchen import KITCHEN_STATUSES, TRANSITIONS


def test_every_kitchen_move_is_between_kitchen_statuses() -> None:
    assert set(TRANSITIONS) == set(KITCHEN_STATUSES)
    assert all(targets <= set(KITCHEN_STATUSES) for targets in TRANSITIONS.values())
