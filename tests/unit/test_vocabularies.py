"""Each vocabulary has one definition; where a wire type must spell it out as a `Literal`
(for the type checker and the OpenAPI document), it must say the same."""

from __future__ import annotations

from typing import get_args

from clopos.core.orders.statuses import STATUSES
from clopos.core.receipts.kitchen import KITCHEN_STATUSES, TRANSITIONS
from clopos.schemas import orders, receipts


def test_order_statuses_on_the_wire_are_the_cores() -> None:
    assert get_args(orders.OrderStatus) == STATUSES


def test_kitchen_statuses_on_the_wire_are_the_cores() -> None:
    assert get_args(receipts.OrderStatus) == KITCHEN_STATUSES


def test_every_kitchen_move_is_between_kitchen_statuses() -> None:
    assert set(TRANSITIONS) == set(KITCHEN_STATUSES)
    assert all(targets <= set(KITCHEN_STATUSES) for targets in TRANSITIONS.values())
