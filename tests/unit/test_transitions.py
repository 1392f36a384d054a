"""Status transitions: a receipt's kitchen status (`order_status`) along the allowed table,
and an order's life (PENDING, then RECEIVED by accepting or IGNORE by declining)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.errors import Conflict, Invalid, NotFound
from clopos.core.orders.draft import LineDraft, OrderDraft
from clopos.core.orders.intake import create_order
from clopos.core.orders.life import accept_order, ignore_order, update_order
from clopos.core.orders.read import get_order
from clopos.core.products.table import Product
from clopos.core.receipts.kitchen import TRANSITIONS, check_transition
from clopos.core.sales.table import SaleType
from tests.unit.conftest import Units

BRAND = 1  # the sandbox brand, with the demo café
VENUE = 1
KITCHEN = ["NEW", "SCHEDULED", "IN_PROGRESS", "READY", "PICKED_UP", "COMPLETED", "CANCELLED"]
ALLOWED = {
    ("NEW", "SCHEDULED"),
    ("NEW", "IN_PROGRESS"),
    ("NEW", "READY"),
    ("NEW", "CANCELLED"),
    ("SCHEDULED", "NEW"),
    ("SCHEDULED", "IN_PROGRESS"),
    ("SCHEDULED", "CANCELLED"),
    ("IN_PROGRESS", "READY"),
    ("IN_PROGRESS", "CANCELLED"),
    ("READY", "IN_PROGRESS"),
    ("READY", "PICKED_UP"),
    ("READY", "COMPLETED"),
    ("READY", "CANCELLED"),
    ("PICKED_UP", "COMPLETED"),
}
MOVES = [(a, b) for a in KITCHEN for b in KITCHEN if a != b]


# --- a receipt's kitchen status ------------------------------------------------------------


def test_the_table_is_the_kitchen_statuses_and_the_allowed_moves() -> None:
    assert set(TRANSITIONS) == set(KITCHEN)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize("status", KITCHEN)
def test_staying_put_is_always_allowed(status: str) -> None:
    check_transition(status, status)


@pytest.mark.parametrize(("current", "wanted"), sorted(ALLOWED))
def test_an_allowed_move(current: str, wanted: str) -> None:
    check_transition(current, wanted)


@pytest.mark.parametrize(("current", "wanted"), sorted(set(MOVES) - ALLOWED))
def test_a_refused_move(current: str, wanted: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_transition(current, wanted)
    assert refused.value.message == f"order_status cannot change from {current} to {wanted}"
    assert refused.value.error == "validation_failed"


@pytest.mark.parametrize("final", ["COMPLETED", "CANCELLED"])
def test_a_finished_order_goes_nowhere(final: str) -> None:
    for wanted in KITCHEN:
        if wanted != final:
            with pytest.raises(Invalid):
                check_transition(final, wanted)


def test_an_unknown_status_goes_nowhere() -> None:
    with pytest.raises(Invalid):
        check_transition("LOST", "NEW")


# --- an order's life -----------------------------------------------------------------------


def _pending(session: Session) -> int:
    """A new order for one Latte, taking away, at the sandbox venue (mode manual: PENDING)."""
    product = session.scalar(
        select(Product.id).where(Product.brand_id == BRAND, Product.name == "Latte")
    )
    sale_type = session.scalar(
        select(SaleType.id).where(SaleType.brand_id == BRAND, SaleType.name == "Takeaway")
    )
    assert product is not None and sale_type is not None
    draft = OrderDraft(
        venue_id=VENUE, sale_type_id=sale_type, lines=[LineDraft(product_id=product, count=1)]
    )
    order, new = create_order(session, BRAND, VENUE, draft)
    assert new and order["status"] == "PENDING"
    return int(order["id"])


def _status(session: Session, order_id: int) -> tuple[str, Any]:
    order = get_order(session, BRAND, order_id)
    return order["status"], order.get("receipt_id")


@pytest.fixture
def pending(units: Units) -> int:
    return units.write(_pending)


def test_accepting_a_pending_order_receives_it_with_a_receipt(units: Units, pending: int) -> None:
    accepted = units.write(accept_order, BRAND, pending)
    assert accepted["status"] == "RECEIVED"
    assert accepted["receipt_id"] is not None
    assert units.write(_status, pending) == ("RECEIVED", accepted["receipt_id"])


def test_declining_a_pending_order_ignores_it(units: Units, pending: int) -> None:
    assert units.write(ignore_order, BRAND, pending)["status"] == "IGNORE"
    assert units.write(_status, pending) == ("IGNORE", None)


def test_declining_twice_answers_the_ignored_order(units: Units, pending: int) -> None:
    units.write(ignore_order, BRAND, pending)
    assert units.write(ignore_order, BRAND, pending)["status"] == "IGNORE"


def test_an_accepted_order_cannot_be_accepted_again(units: Units, pending: int) -> None:
    units.write(accept_order, BRAND, pending)
    with pytest.raises(Conflict) as refused:
        units.write(accept_order, BRAND, pending)
    assert refused.value.error == "invalid_transition"
    assert refused.value.message == f"Order {pending} is RECEIVED, not PENDING"


def test_an_accepted_order_cannot_be_declined(units: Units, pending: int) -> None:
    units.write(accept_order, BRAND, pending)
    with pytest.raises(Conflict) as refused:
        units.write(ignore_order, BRAND, pending)
    assert refused.value.error == "invalid_transition"
    assert units.write(_status, pending)[0] == "RECEIVED"


def test_a_declined_order_cannot_be_accepted(units: Units, pending: int) -> None:
    units.write(ignore_order, BRAND, pending)
    with pytest.raises(Conflict) as refused:
        units.write(accept_order, BRAND, pending)
    assert refused.value.message == f"Order {pending} is IGNORE, not PENDING"
    assert units.write(_status, pending) == ("IGNORE", None)


def test_the_integrator_may_set_ignore(units: Units, pending: int) -> None:
    assert units.write(update_order, BRAND, pending, "IGNORE")["status"] == "IGNORE"


@pytest.mark.parametrize("status", ["RECEIVED", "PENDING", "CANCELLED", "ignore"])
def test_the_integrator_may_set_nothing_else(units: Units, pending: int, status: str) -> None:
    with pytest.raises(Invalid) as refused:
        units.write(update_order, BRAND, pending, status)
    assert refused.value.message == "Status is not allowed"
    assert units.write(_status, pending)[0] == "PENDING"


@pytest.mark.parametrize("change", [accept_order, ignore_order])
def test_an_unknown_order_is_not_found(units: Units, change: Any) -> None:
    with pytest.raises(NotFound):
        units.write(change, BRAND, 999_999)
