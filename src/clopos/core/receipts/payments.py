"""Closing a receipt with payments: the payment methods must exist, be usable at the venue and
cover the total; closing takes the stock, puts the money on the payment methods' balances
(core/finance/closing.py) and delivers the order the receipt came from. A method that pays
from the customer's account needs the receipt's customer, pays at most the total (change is
never given from an account) and never more than the account holds (the close fails whole).

Every change of a receipt row goes through its `version` (the mapper's version column): two
concurrent closes or updates of one receipt cannot both win; the loser gets a 409.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clopos.core.errors import Invalid, conflict
from clopos.core.finance import closing, ledger
from clopos.core.orders.table import Order
from clopos.core.receipts import stock
from clopos.core.receipts.kitchen import CANCELLED
from clopos.core.receipts.pricing import money
from clopos.core.receipts.read import load, render
from clopos.core.receipts.table import (
    CLOSED,
    OPEN,
    Receipt,
    ReceiptPayment,
    ReceiptProduct,
    ReceiptProductModifier,
)
from clopos.core.sales.table import PaymentMethod
from clopos.core.sales.venues import active_at
from clopos.store.sequences import next_ids

_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Payment:
    """A payment method's share of a close: `id` the method's, `name` as printed on the
    receipt (default the method's)."""

    id: int
    amount: float
    name: str | None = None


def _invalid(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


def saved(session: Session) -> None:
    """Flush the receipt's change; another request having changed it first is a 409."""
    try:
        session.flush()
    except StaleDataError:
        raise conflict(
            "The receipt was changed by another request at the same time; read it again",
            "conflict",
        ) from None


def parse_time(raw: str | int, name: str) -> datetime:
    """`YYYY-MM-DD HH:MM:SS` (UTC), or Unix milliseconds as some terminals send."""
    if isinstance(raw, int) or (isinstance(raw, str) and raw.strip().isdigit()):
        try:
            return datetime.fromtimestamp(int(raw) / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            raise _invalid(f"{name} must be a date in YYYY-MM-DD HH:MM:SS format") from None
    try:
        return datetime.strptime(raw.strip(), _TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise _invalid(f"{name} must be a date in YYYY-MM-DD HH:MM:SS format") from None


def refuse_if_cancelled(receipt: Receipt) -> None:
    if receipt.order_status == CANCELLED:
        raise conflict(
            f"Receipt {receipt.id}'s order was cancelled: it closes as cancelled, never as paid",
            "receipt_cancelled",
        )


def offered_at(session: Session, brand_id: int, venue_id: int) -> list[PaymentMethod]:
    """The brand's payment methods usable at the venue, in the brand's order."""
    methods = session.scalars(
        select(PaymentMethod)
        .where(PaymentMethod.brand_id == brand_id, PaymentMethod.deleted_at.is_(None))
        .order_by(PaymentMethod.position, PaymentMethod.id)
    )
    return [method for method in methods if active_at(method.status, venue_id)]


def listed(methods: Sequence[PaymentMethod]) -> str:
    """Methods as a refusal names them, so that the caller can pick one: `Cash (id 1), ...`."""
    return ", ".join(f"{method.name} (id {method.id})" for method in methods)


def _payment_rows(
    session: Session, brand_id: int, venue_id: int, payments: Sequence[Payment]
) -> list[tuple[PaymentMethod, float]]:
    methods = {
        method.id: method
        for method in session.scalars(
            select(PaymentMethod).where(
                PaymentMethod.brand_id == brand_id,
                PaymentMethod.id.in_({payment.id for payment in payments}),
                PaymentMethod.deleted_at.is_(None),
            )
        )
    }
    rows = []
    for index, payment in enumerate(payments):
        method = methods.get(payment.id)
        if method is None:
            offered = listed(offered_at(session, brand_id, venue_id)) or "none"
            raise _invalid(
                f"The selected payment_methods.{index}.id is invalid. Payment methods at "
                f"venue {venue_id}: {offered}."
            )
        if not active_at(method.status, venue_id):
            raise _invalid(f"Payment method {method.name} is not available at this venue")
        rows.append((method, money(payment.amount)))
    return rows


def _check_customer_payments(receipt: Receipt, rows: list[tuple[PaymentMethod, float]]) -> None:
    """What the methods paying from the customer's account ask is possible before anything
    moves; whether the account holds enough is checked as it moves (ledger)."""
    from_account = [(m, amount) for m, amount in rows if ledger.pays_from_customer(m)]
    if not from_account:
        return
    if receipt.customer_id is None:
        raise _invalid(
            f"Payment method {from_account[0][0].name} pays from the customer's balance: "
            "the receipt has no customer"
        )
    taken = money(sum(amount for _, amount in from_account))
    if taken > receipt.total:
        raise _invalid(
            f"the customer's balance pays at most the total ({receipt.total:.2f}); got {taken:.2f}"
        )


def pay(
    session: Session,
    receipt: Receipt,
    payments: Sequence[Payment],
    closed_at: datetime,
) -> None:
    """Close `receipt` with `payments`: they must cover its total. A receipt whose order the
    kitchen cancelled is never paid: it closes as cancelled (`close_cancelled`)."""
    refuse_if_cancelled(receipt)
    rows = _payment_rows(session, receipt.brand_id, receipt.venue_id, payments)
    paid = money(sum(amount for _, amount in rows))
    if paid < receipt.total:
        raise _invalid(
            f"payment_methods must cover the total ({receipt.total:.2f}); got {paid:.2f}"
        )
    _check_customer_payments(receipt, rows)
    receipt.status = CLOSED
    receipt.closed_at = closed_at
    receipt.remaining = 0
    receipt.by_cash = money(
        sum(a for m, a in rows if (m.balance or {}).get("type", "CASH") == "CASH")
    )
    receipt.by_card = money(paid - receipt.by_cash)
    receipt.updated_at = datetime.now(UTC)
    saved(session)  # the version check first: a concurrent close stops here
    first = next_ids(session, receipt.brand_id, "receipt_payments", len(rows))
    for offset, (method, amount) in enumerate(rows):
        name = payments[offset].name or method.name
        session.add(
            ReceiptPayment(
                brand_id=receipt.brand_id,
                id=first + offset,
                receipt_id=receipt.id,
                payment_method_id=method.id,
                name=name,
                amount=amount,
            )
        )
    lines = list(
        session.scalars(
            select(ReceiptProduct).where(
                ReceiptProduct.brand_id == receipt.brand_id,
                ReceiptProduct.receipt_id == receipt.id,
            )
        )
    )
    modifiers = list(
        session.scalars(
            select(ReceiptProductModifier).where(
                ReceiptProductModifier.brand_id == receipt.brand_id,
                ReceiptProductModifier.receipt_id == receipt.id,
            )
        )
    )
    stock.deduct(
        session, receipt.brand_id, receipt.id, lines, modifiers, closed_at, receipt.venue_id
    )
    closing.settle(session, receipt, rows, lines, closed_at)
    if receipt.order_id is not None:
        order = session.get(Order, (receipt.brand_id, receipt.order_id))
        if order is not None and order.status == "RECEIVED":
            order.status = "DELIVERED"
    session.flush()


def close_receipt(
    session: Session,
    brand_id: int,
    receipt_id: int,
    payments: Sequence[Payment],
    closed_at_text: str | None = None,
) -> dict[str, Any]:
    """Close an open receipt with payment methods covering its total (`closed_at_text`:
    `YYYY-MM-DD HH:MM:SS`, default now)."""
    receipt = load(session, brand_id, receipt_id)
    if receipt.status != OPEN:
        raise conflict("Receipt is already closed", "receipt_closed")
    closed_at = datetime.now(UTC)
    if closed_at_text:
        closed_at = parse_time(closed_at_text, "closed_at")
        if closed_at <= receipt.created_at.replace(microsecond=0):
            raise _invalid("closed_at must be greater than created_at")
    pay(session, receipt, payments, closed_at)
    answer = render(session, brand_id, [receipt], ())[0]
    return {
        "id": receipt.id,
        "closed_at": answer["closed_at"],
        "payment_methods": answer["payment_methods"],
        "created_at": answer["created_at"],
        "updated_at": answer["updated_at"],
    }
