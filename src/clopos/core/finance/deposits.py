"""Customers' deposits: money a customer leaves with the venue to spend later. It is paid
with one of the venue's payment methods, lands on that method's balance and on the
customer's account in one unit of work (in the venue's open cash shift, if any), and is
spent by closing a receipt with a method that pays from the customer's account
(closing.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from clopos.core.customers.table import Customer
from clopos.core.errors import Invalid, not_found
from clopos.core.finance import ledger, shifts
from clopos.core.finance.read import CUSTOMER_BALANCES
from clopos.core.receipts.pricing import money
from clopos.core.sales.table import PaymentMethod
from clopos.core.sales.venues import active_at
from clopos.core.venues.service import main_venue_id


def _invalid(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


def deposit(
    session: Session,
    brand_id: int,
    customer_id: int,
    amount: float,
    payment_method_id: int,
    *,
    venue_id: int | None = None,
    description: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Put `amount` on the customer's account, paid with `payment_method_id` at `venue_id`
    (default the customer's venue); answers the customer's accounts as
    `/finance/balances/customer` shows them, with the deposit's transaction on the account."""
    if money(amount) <= 0:
        raise _invalid("the amount must be greater than zero")
    customer = session.get(Customer, (brand_id, customer_id))
    if customer is None or customer.deleted_at is not None:
        raise not_found("Customer not found")
    venue = venue_id if venue_id is not None else customer.venue_id
    if venue is None:
        venue = main_venue_id(session, brand_id)
    if venue is None:
        raise _invalid("the brand has no venue")
    method = session.get(PaymentMethod, (brand_id, payment_method_id))
    if method is None or method.deleted_at is not None:
        raise not_found("Payment method not found")
    if not active_at(method.status, venue):
        raise _invalid(f"Payment method {method.name} is not available at venue {venue}")
    if ledger.pays_from_customer(method):
        raise _invalid(
            f"Payment method {method.name} pays from the customer's balance: a deposit is "
            "paid with money (cash, a card, ...)"
        )
    common: dict[str, Any] = {
        "category_id": ledger.CUSTOMER_DEPOSITS,
        "venue_id": venue,
        "cash_shift_id": shifts.open_shift_id(session, brand_id, venue),
        "customer_id": customer_id,
        "payment_method_id": method.id,
        "description": description,
    }
    account = ledger.customer_account(session, brand_id, customer_id)
    paid_onto = ledger.method_balance(session, brand_id, method)
    moves = [
        ledger.Move(balance_id=paid_onto, amount=amount, **common),
        ledger.Move(balance_id=account, amount=amount, **common),
    ]
    written = ledger.record(session, brand_id, moves, at or datetime.now(UTC))
    session.flush()
    held = dict(CUSTOMER_BALANCES.one(session, brand_id, customer_id))
    held["transaction_id"] = next(t["id"] for t in written if t["balance_id"] == account)
    return held
