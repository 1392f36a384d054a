"""The venue's side of a receipt: the open receipt it starts when it accepts an order, the
kitchen moving it along (`PATCH`), and closing it at the counter with one payment method."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Table
from sqlalchemy.orm import Session

from clopos.core.errors import Invalid, conflict
from clopos.core.orders.table import Order
from clopos.core.receipts.kitchen import CANCELLED, KITCHEN_STATUSES, check_transition
from clopos.core.receipts.payments import (
    Payment,
    close_receipt,
    listed,
    offered_at,
    refuse_if_cancelled,
    saved,
)
from clopos.core.receipts.pricing import money
from clopos.core.receipts.read import get_receipt, load
from clopos.core.receipts.table import CLOSED, OPEN, Receipt, ReceiptProduct, ReceiptProductModifier
from clopos.store.sequences import next_ids
from clopos.store.uow import insert_rows, inserted_together

_RECEIPTS: Table = Receipt.__table__  # type: ignore[assignment]
_LINES: Table = ReceiptProduct.__table__  # type: ignore[assignment]
_LINE_MODIFIERS: Table = ReceiptProductModifier.__table__  # type: ignore[assignment]


def _invalid(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


class LineProduct(Protocol):
    """What a receipt line copies of its product (a Product, or a row read with these)."""

    @property
    def name(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def price(self) -> float: ...

    @property
    def barcode(self) -> str | None: ...

    @property
    def cost_price(self) -> float: ...


def product_meta(product: LineProduct) -> dict[str, Any]:
    return {
        "product": {
            "name": product.name,
            "type": product.type,
            "price": product.price,
            "barcode": product.barcode,
        }
    }


def open_for_order(
    session: Session,
    brand_id: int,
    order: Any,
    lines: Sequence[Any],
    products: Mapping[int, LineProduct],
    receipt_id: int | None = None,
) -> int:
    """Open the receipt a venue starts when it accepts `order` (an Order, or its row as
    inserted; `lines`: its lines, by id; `receipt_id`: the id taken for the receipt, else
    one is taken now); answers its id.

    Its rows are written with Core statements (`insert_rows`), together: on accepting an
    order the ORM's flush of them cost about as much as the rest of the accept."""
    payload = order.payload
    meta = payload.get("meta", {})
    discount = meta.get("discount", {})
    if receipt_id is None:
        receipt_id = next_ids(session, brand_id, "receipts")
    receipt = {
        "brand_id": brand_id,
        "id": receipt_id,
        "venue_id": order.venue_id,
        "cid": str(uuid.uuid4()),
        "order_id": order.id,
        "customer_id": order.customer_id,
        "sale_type_id": order.sale_type_id,
        "source": "web",
        "status": OPEN,
        "order_status": "NEW",
        "order_number": order.order_number,
        "subtotal": order.subtotal,
        "original_subtotal": order.subtotal,
        "discount_type": int(discount.get("discount_type", 0)),
        "discount_value": float(discount.get("discount_value", 0)),
        "discount_rate": money(order.total_discount * 100 / order.subtotal)
        if order.subtotal
        else 0,
        "total_discount": order.total_discount,
        "service_charge": float(meta.get("service_charge_value", 0))
        if meta.get("apply_service_charge")
        else 0,
        "service_charge_value": order.service_charge_value,
        "delivery_fee": order.delivery_fee,
        "total": order.total,
        "remaining": order.total,
        "address": payload.get("customer", {}).get("address"),
        "description": order.comment,
        "meta": {
            "sale_type": {"name": payload.get("service", {}).get("sale_type_name")},
            "customer": payload.get("customer", {}),
        },
    }
    first = next_ids(session, brand_id, "receipt_products", len(lines))
    modifier_count = sum(len(line.modifiers) for line in lines)
    next_modifier = next_ids(session, brand_id, "receipt_product_modifiers", modifier_count)
    receipt_lines, modifiers = [], []
    for offset, line in enumerate(lines):
        product = products[line.product_id]
        receipt_lines.append(
            {
                "brand_id": brand_id,
                "id": first + offset,
                "receipt_id": receipt_id,
                "cid": str(uuid.uuid4()),
                "product_id": line.product_id,
                "count": line.count,
                "portion_size": line.portion_size,
                "price": line.price,
                "subtotal": line.total,
                "total": line.total,
                "cost": money(product.cost_price * line.count * line.portion_size),
                "product_hash": line.product_hash,
                "meta": product_meta(product),
            }
        )
        for modifier in line.modifiers:
            modifiers.append(
                {
                    "brand_id": brand_id,
                    "id": next_modifier,
                    "receipt_id": receipt_id,
                    "receipt_product_id": first + offset,
                    "modifier_id": modifier["modifier_id"],
                    "name": modifier["name"],
                    "count": modifier["count"],
                    "portion_size": modifier["portion_size"],
                    "price": modifier["price"],
                    "total": money(modifier["price"] * modifier["count"] * line.count),
                }
            )
            next_modifier += 1
    with inserted_together(session):
        insert_rows(session, _RECEIPTS, [receipt])
        insert_rows(session, _LINES, receipt_lines)
        insert_rows(session, _LINE_MODIFIERS, modifiers)
    return receipt_id


def patch_receipt(
    session: Session, brand_id: int, receipt_id: int, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Change `order_status` (as a kitchen would), `order_number`, `fiscal_id`, `lock`:
    `fields` are those the change names (a `None` there clears or refuses)."""
    receipt = load(session, brand_id, receipt_id)
    if not fields:
        raise _invalid("Invalid field values provided")
    if "order_status" in fields:
        if fields["order_status"] is None:
            raise _invalid("Invalid field values provided")
        check_transition(receipt.order_status, fields["order_status"])
        receipt.order_status = fields["order_status"]
    if "order_number" in fields:
        receipt.order_number = fields["order_number"]
    if "fiscal_id" in fields:
        receipt.fiscal_id = fields["fiscal_id"]
    if "lock" in fields:
        if fields["lock"] is None:
            raise _invalid("Invalid field values provided")
        receipt.lock = fields["lock"]
    receipt.updated_at = datetime.now(UTC)
    saved(session)
    return get_receipt(session, brand_id, receipt_id)


def close_at_venue(
    session: Session,
    brand_id: int,
    receipt_id: int,
    method: str | None = None,
    tendered: float | None = None,
) -> dict[str, Any]:
    """The venue's side: close a receipt paying its whole total with one payment method
    (`method`: its id or name; default the venue's first active method). `tendered`: what
    the guest handed over, at least the total; the answer's `change` is the difference."""
    receipt = load(session, brand_id, receipt_id)
    if receipt.status != OPEN:
        raise conflict("Receipt is already closed", "receipt_closed")
    refuse_if_cancelled(receipt)
    if tendered is not None and money(tendered) < receipt.total:
        raise Invalid(
            f"The amount tendered ({tendered:.2f}) is less than the total ({receipt.total:.2f})"
        )
    at_venue = offered_at(session, brand_id, receipt.venue_id)
    usable = at_venue
    if method is not None:
        wanted = method.strip().lower()
        usable = [m for m in at_venue if str(m.id) == wanted or m.name.lower() == wanted]
    if not usable:
        if not at_venue:
            raise Invalid(f"Venue {receipt.venue_id} has no payment method")
        raise Invalid(
            f"No payment method {method!r} at venue {receipt.venue_id}; its payment methods "
            f"are {listed(at_venue)} (by id or name)"
        )
    chosen = usable[0]
    payment = Payment(id=chosen.id, name=chosen.name, amount=receipt.total)
    closed = close_receipt(session, brand_id, receipt_id, [payment])
    if tendered is not None:
        closed["tendered"] = money(tendered)
        closed["change"] = money(tendered - receipt.total)
    return closed


def close_cancelled(session: Session, brand_id: int, receipt_id: int) -> dict[str, Any]:
    """Close an open receipt whose order the kitchen cancelled: no payment, no stock taken,
    nothing left to pay; its `order_status` stays CANCELLED, so it reads as cancelled, not
    paid, wherever it is shown. The order it came from, never to be delivered, becomes
    IGNORE (the order statuses' word for an order the venue does not fulfil)."""
    receipt = load(session, brand_id, receipt_id)
    if receipt.status != OPEN:
        raise conflict("Receipt is already closed", "receipt_closed")
    if receipt.order_status != CANCELLED:
        raise conflict(
            f"Receipt {receipt_id}'s order is not cancelled: close it with a payment",
            "receipt_not_cancelled",
        )
    now = datetime.now(UTC)
    receipt.status = CLOSED
    receipt.closed_at = now
    receipt.remaining = 0
    receipt.updated_at = now
    saved(session)
    if receipt.order_id is not None:
        order = session.get(Order, (brand_id, receipt.order_id))
        if order is not None and order.status == "RECEIVED":
            order.status = "IGNORE"
            order.updated_at = now
            session.flush()
    answer = get_receipt(session, brand_id, receipt_id)
    return {
        "id": receipt.id,
        "closed_at": answer["closed_at"],
        "payment_methods": answer["payment_methods"],
        "order_status": answer["order_status"],
    }


def set_order_status(
    session: Session, brand_id: int, receipt_id: int, status: str
) -> dict[str, Any]:
    """The venue's side: move the kitchen status (the transitions `PATCH` allows)."""
    if status not in KITCHEN_STATUSES:
        raise Invalid(f"status must be one of {', '.join(KITCHEN_STATUSES)}")
    return patch_receipt(session, brand_id, receipt_id, {"order_status": status})
