"""An order's life: PENDING -> RECEIVED (the venue accepts; an open receipt is created) or
IGNORE; RECEIVED -> DELIVERED when the receipt is closed (`core/receipts/payments.py`).

How the sandbox venue answers new orders is its order mode: `manual` (the operator accepts
or ignores: CLI or operator API), `accept`, `ignore`, or `accept-after` N seconds (the
server accepts due orders in the background, see `accept_due`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clopos.core.errors import Conflict, Invalid, conflict, not_found
from clopos.core.orders.read import get_order, load
from clopos.core.orders.statuses import ORDER_MODES
from clopos.core.orders.table import Order, OrderProduct, VenueOrderMode
from clopos.core.products.table import Product
from clopos.core.receipts.venue_side import open_for_order
from clopos.core.venues.table import Venue
from clopos.store.sequences import next_ids


def _saved(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise conflict(
            "The order was changed by another request at the same time; read it again",
            "conflict",
        ) from None


def accept(session: Session, order: Order) -> None:
    """`order` becomes RECEIVED with an open receipt of its lines."""
    # Sorted here: with ORDER BY id, SQLite walks all the brand's order lines by its primary
    # key instead of the order's few by (brand_id, order_id) (docs/performance.md, issue 20).
    lines = sorted(
        session.scalars(
            select(OrderProduct).where(
                OrderProduct.brand_id == order.brand_id, OrderProduct.order_id == order.id
            )
        ),
        key=lambda line: line.id,
    )
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(
                Product.brand_id == order.brand_id,
                Product.id.in_({line.product_id for line in lines}),
            )
        )
    }
    order.status = "RECEIVED"
    order.accept_at = None
    order.updated_at = datetime.now(UTC)
    order.receipt_id = next_ids(session, order.brand_id, "receipts")  # opened just below
    _saved(session)  # the version check first: a concurrent accept or ignore stops here
    open_for_order(session, order.brand_id, order, lines, products, order.receipt_id)


def accept_order(session: Session, brand_id: int, order_id: int) -> dict[str, Any]:
    """The venue accepts a PENDING order: it becomes RECEIVED and gets an open receipt."""
    order = load(session, brand_id, order_id)
    if order.status != "PENDING":
        raise conflict(f"Order {order_id} is {order.status}, not PENDING", "invalid_transition")
    accept(session, order)
    return get_order(session, brand_id, order_id, ("receipt",))


def ignore_order(session: Session, brand_id: int, order_id: int) -> dict[str, Any]:
    """The venue (or the integrator, `PUT /orders/{id}`) declines a PENDING order."""
    order = load(session, brand_id, order_id)
    if order.status == "IGNORE":
        return get_order(session, brand_id, order_id)
    if order.status != "PENDING":
        raise conflict(f"Order {order_id} is {order.status}, not PENDING", "invalid_transition")
    order.status = "IGNORE"
    order.accept_at = None
    order.updated_at = datetime.now(UTC)
    _saved(session)
    return get_order(session, brand_id, order_id)


def update_order(session: Session, brand_id: int, order_id: int, status: str) -> dict[str, Any]:
    """`PUT /orders/{id}`: only IGNORE is supported."""
    load(session, brand_id, order_id)
    if status != "IGNORE":
        raise Invalid("Status is not allowed", error="validation_failed")
    return ignore_order(session, brand_id, order_id)


def due_orders(session: Session, now: datetime) -> list[tuple[int, int]]:
    """`(brand_id, order_id)` of PENDING orders whose venue's delay has passed."""
    rows = session.execute(
        select(Order.brand_id, Order.id)
        .where(Order.accept_at.is_not(None), Order.accept_at <= now, Order.status == "PENDING")
        .order_by(Order.accept_at)
        .limit(100)
    )
    return [(brand_id, order_id) for brand_id, order_id in rows]


def accept_due(session: Session, due: list[tuple[int, int]]) -> int:
    """Accept the `due` orders still PENDING; answers how many were accepted."""
    accepted = 0
    for brand_id, order_id in due:
        order = session.get(Order, (brand_id, order_id))
        if order is None or order.status != "PENDING":
            continue
        try:
            with session.begin_nested():  # another server (or the operator) got there first
                accept(session, order)
        except Conflict:
            session.expire(order)
            continue
        accepted += 1
    return accepted


# --- the venue's order mode ---------------------------------------------------------------


def order_mode(session: Session, brand_id: int, venue_id: int) -> dict[str, Any]:
    row = session.get(VenueOrderMode, (brand_id, venue_id))
    if row is None:
        return {"venue_id": venue_id, "mode": "manual", "accept_after_seconds": None}
    return {
        "venue_id": venue_id,
        "mode": row.mode,
        "accept_after_seconds": row.accept_after_seconds,
    }


def set_order_mode(
    session: Session, brand_id: int, venue_id: int, mode: str, seconds: int | None = None
) -> dict[str, Any]:
    """How the sandbox venue answers new orders from now on."""
    if mode not in ORDER_MODES:
        raise Invalid(f"mode must be one of {', '.join(ORDER_MODES)}")
    if mode == "accept-after" and seconds is None:
        raise Invalid("accept-after needs a number of seconds")
    if session.get(Venue, (brand_id, venue_id)) is None:
        raise not_found(f"Venue {venue_id} not found")
    row = session.get(VenueOrderMode, (brand_id, venue_id))
    if row is None:
        row = VenueOrderMode(brand_id=brand_id, venue_id=venue_id)
        session.add(row)
    row.mode = mode
    row.accept_after_seconds = seconds if mode == "accept-after" else None
    session.flush()
    return order_mode(session, brand_id, venue_id)
