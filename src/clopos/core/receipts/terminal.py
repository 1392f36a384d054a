"""v1's terminal-style writes: a receipt a terminal closed (stored with its lines, payments
and stock), a change to one (closing it when it brings payments), and its removal with its
stock put back. The wire bodies become these plain types at the edge
(`server/api/receipt_bodies.py`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clopos.core.customers.table import Customer
from clopos.core.errors import Conflict, Invalid, conflict
from clopos.core.finance import closing
from clopos.core.products.table import Product
from clopos.core.receipts import stock
from clopos.core.receipts.kitchen import check_transition
from clopos.core.receipts.payments import Payment, parse_time, pay, saved
from clopos.core.receipts.pricing import money, totals
from clopos.core.receipts.read import get_receipt, load
from clopos.core.receipts.table import (
    CLOSED,
    OPEN,
    Receipt,
    ReceiptPayment,
    ReceiptProduct,
    ReceiptProductModifier,
)
from clopos.core.receipts.venue_side import product_meta
from clopos.core.sales.table import SaleType
from clopos.store.sequences import next_ids


@dataclass
class TerminalLine:
    product_id: int
    count: float = 1
    portion_size: float = 1
    price: float | None = None  # default the catalogue's
    is_gift: int = 0
    cid: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class TerminalReceipt:
    """A receipt a terminal closed (v1 `POST /receipts`)."""

    cid: str
    payments: list[Payment]
    sale_type_id: int | None = None
    customer_id: int | None = None
    user_id: int | None = None
    terminal_id: int | None = None
    guests: int = 1
    subtotal: float | None = None
    total: float | None = None
    delivery_fee: float = 0
    discount_type: int = 0
    discount_value: float = 0
    service_charge: float = 0
    address: str | None = None
    description: str | None = None
    order_number: str | None = None
    created_at: str | int | None = None
    closed_at: str | int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    lines: list[TerminalLine] = field(default_factory=list)


@dataclass
class TerminalChange:
    """A terminal's change to a receipt (v1 `PUT /receipts/{id}`); `given` names the fields
    the change sets, since a `None` there differs from leaving a field alone."""

    id: int
    cid: str
    given: frozenset[str] = frozenset()
    delivery_fee: float | None = None
    description: str | None = None
    order_number: str | None = None
    order_status: str | None = None
    guests: int | None = None
    discount_rate: float | None = None
    discount_type: int | None = None
    discount_value: float | None = None
    customer_id: int | None = None
    closed_at: str | None = None
    payments: list[Payment] | None = None
    meta: dict[str, Any] | None = None


def _invalid(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


def _check_refs(
    session: Session,
    brand_id: int,
    venue_id: int,
    sale_type_id: int | None,
    customer_id: int | None,
) -> SaleType | None:
    sale_type = None
    if sale_type_id is not None:
        sale_type = session.get(SaleType, (brand_id, sale_type_id))
        if sale_type is None or sale_type.deleted_at is not None:
            raise _invalid("The selected sale_type_id is invalid.")
    if customer_id is not None:
        customer = session.get(Customer, (brand_id, customer_id))
        if customer is None or customer.deleted_at is not None:
            raise _invalid("The selected customer_id is invalid.")
    return sale_type


def create_receipt(
    session: Session, brand_id: int, venue_id: int, body: TerminalReceipt
) -> dict[str, Any]:
    """v1: store a receipt a terminal closed (409 if its `cid` exists), with its stock."""
    cid = body.cid
    if session.scalar(select(Receipt.id).where(Receipt.brand_id == brand_id, Receipt.cid == cid)):
        raise conflict("Receipt with this cid already exists", "duplicate_cid")
    _check_refs(session, brand_id, venue_id, body.sale_type_id, body.customer_id)
    wanted = {line.product_id for line in body.lines}
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.brand_id == brand_id, Product.id.in_(wanted))
        )
    }
    for index, line in enumerate(body.lines):
        if line.product_id not in products:
            raise _invalid(f"The selected receipt_products.{index}.product_id is invalid.")
    now = datetime.now(UTC)
    closed_at = parse_time(body.closed_at, "closed_at") if body.closed_at else now
    created_at = parse_time(body.created_at, "created_at") if body.created_at else closed_at
    if closed_at < created_at:
        raise _invalid("closed_at must be greater than created_at")
    if closed_at > now + timedelta(days=1):
        raise _invalid("closed_at must not be in the future")
    priced = []
    for line in body.lines:
        price = line.price if line.price is not None else products[line.product_id].price
        amount = 0.0 if line.is_gift else money(price * line.count * line.portion_size)
        priced.append((line, price, amount))
    if body.lines:
        subtotal = money(sum(amount for _, _, amount in priced))
    else:
        subtotal = money(body.subtotal if body.subtotal is not None else body.total or 0)
    figures = totals(
        subtotal,
        discount_type=body.discount_type,
        discount_value=body.discount_value,
        service_rate=body.service_charge,
        delivery_fee=body.delivery_fee,
    )
    total = figures.total if body.lines or body.total is None else money(body.total)
    receipt = Receipt(
        brand_id=brand_id,
        id=next_ids(session, brand_id, "receipts"),
        venue_id=venue_id,
        cid=cid,
        customer_id=body.customer_id,
        sale_type_id=body.sale_type_id,
        user_id=body.user_id,
        terminal_id=body.terminal_id,
        source="pos",
        guests=body.guests,
        status=OPEN,
        order_status="COMPLETED",
        order_number=body.order_number,
        subtotal=figures.subtotal,
        original_subtotal=figures.subtotal,
        gift_total=money(
            sum((p * line.count * line.portion_size) for line, p, _ in priced if line.is_gift)
        ),
        discount_type=body.discount_type,
        discount_value=body.discount_value,
        discount_rate=figures.discount_rate,
        total_discount=figures.total_discount,
        service_charge=figures.service_charge,
        service_charge_value=figures.service_charge_value,
        delivery_fee=figures.delivery_fee,
        total=total,
        remaining=total,
        address=body.address,
        description=body.description,
        meta=body.meta,
        created_at=created_at,
    )
    try:
        with session.begin_nested():  # a concurrent create of the same cid loses here
            session.add(receipt)
    except IntegrityError:
        raise conflict("Receipt with this cid already exists", "duplicate_cid") from None
    first = next_ids(session, brand_id, "receipt_products", len(priced))
    for offset, (line, price, amount) in enumerate(priced):
        product = products[line.product_id]
        session.add(
            ReceiptProduct(
                brand_id=brand_id,
                id=first + offset,
                receipt_id=receipt.id,
                cid=line.cid or str(uuid.uuid4()),
                product_id=line.product_id,
                count=line.count,
                portion_size=line.portion_size,
                price=price,
                subtotal=amount,
                total=amount,
                cost=money(product.cost_price * line.count * line.portion_size),
                is_gift=line.is_gift,
                meta={**line.meta, **product_meta(product)},
                created_at=created_at,
            )
        )
    session.flush()
    pay(session, receipt, body.payments, closed_at)
    return get_receipt(session, brand_id, receipt.id, ("receipt_products",))


def update_receipt(
    session: Session, brand_id: int, receipt_id: int, body: TerminalChange
) -> dict[str, Any]:
    """v1 `PUT`: `id` and `cid` must be the receipt's. Money fields change only while the
    receipt is open; `closed_at` with `payment_methods` closes it."""
    receipt = load(session, brand_id, receipt_id)
    if body.id != receipt_id:
        raise _invalid("id must be the id of the receipt in the path")
    if body.cid != receipt.cid:
        raise _invalid("cid must be the cid of the receipt; a different cid is another receipt")
    fields = body.given
    money_fields = {"delivery_fee", "discount_rate", "discount_type", "discount_value"}
    if receipt.status == CLOSED and money_fields & fields:
        raise conflict(
            "Closed receipts store the final totals; amounts cannot be edited", "receipt_closed"
        )
    if body.customer_id is not None:
        _check_refs(session, brand_id, receipt.venue_id, None, body.customer_id)
        receipt.customer_id = body.customer_id
    if body.order_status is not None:
        check_transition(receipt.order_status, body.order_status)
        receipt.order_status = body.order_status
    for name in ("description", "order_number"):
        if name in fields:
            setattr(receipt, name, getattr(body, name))
    if body.guests is not None:
        receipt.guests = body.guests
    if body.meta is not None and body.meta.get("customer") is not None:
        receipt.meta = {**receipt.meta, "customer": body.meta["customer"]}
    if money_fields & fields:
        if body.discount_type is not None:
            receipt.discount_type = body.discount_type
        if body.discount_value is not None:
            receipt.discount_value = body.discount_value
        if body.discount_type is None and body.discount_rate is not None:
            receipt.discount_type, receipt.discount_value = 1, body.discount_rate
        if body.delivery_fee is not None:
            receipt.delivery_fee = body.delivery_fee
        figures = totals(
            receipt.subtotal,
            discount_type=receipt.discount_type,
            discount_value=receipt.discount_value,
            service_rate=receipt.service_charge,
            delivery_fee=receipt.delivery_fee,
        )
        receipt.total_discount = figures.total_discount
        receipt.discount_rate = figures.discount_rate
        receipt.service_charge_value = figures.service_charge_value
        receipt.total = receipt.remaining = figures.total
    receipt.updated_at = datetime.now(UTC)
    closing = bool(body.closed_at)
    if closing and receipt.status == CLOSED:
        raise conflict("Receipt is already closed", "receipt_closed")
    if closing:
        if not body.payments:
            raise _invalid("payment_methods are required to close the receipt")
        assert body.closed_at is not None
        closed_at = parse_time(body.closed_at, "closed_at")
        if closed_at <= receipt.created_at.replace(microsecond=0):
            raise _invalid("closed_at must be greater than created_at")
        pay(session, receipt, body.payments, closed_at)
    else:
        saved(session)
    return get_receipt(session, brand_id, receipt_id, ("receipt_products",))


def delete_receipt(session: Session, brand_id: int, receipt_id: int) -> dict[str, Any]:
    """v1: remove a receipt for good, putting back the stock it took and refunding its
    payments."""
    receipt = load(session, brand_id, receipt_id)
    receipt.updated_at = datetime.now(UTC)
    saved(session)  # a concurrent change or delete of the same receipt stops here
    stock.roll_back(session, brand_id, receipt_id)
    closing.unsettle(session, brand_id, receipt_id, datetime.now(UTC))
    for table in (ReceiptPayment, ReceiptProductModifier, ReceiptProduct):
        session.execute(
            delete(table).where(table.brand_id == brand_id, table.receipt_id == receipt_id)
        )
    session.delete(receipt)
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("The receipt was changed by another request; read it again") from None
    return {"id": receipt_id}
