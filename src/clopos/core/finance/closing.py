"""What closing a receipt does to the books, in the unit of work that closes it: each
payment's money onto its method's balance (in the venue's open cash shift, if any), or taken
from the customer's account when the method pays from it. (Its taxes: taxes.py.)

A close first finds the balances it will move (`find`, reads only), then, once the
receipt's own row is changed, makes any missing ones (`balances`) and moves them
(`settle`): a close writes nothing before its receipt, whose version lets one of two
concurrent closes win."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from clopos.core.finance import ledger
from clopos.core.finance.table import ReceiptTax
from clopos.core.receipts.pricing import money


@dataclass(frozen=True)
class Paid:
    """A payment of a close: its method, the amount, the name printed on the receipt."""

    method: ledger.Method
    amount: float
    name: str


@dataclass(frozen=True)
class Accounts:
    """Where a close's payments land: methods' balances by method id (None: made at its
    first payment), and the customer's account if a payment takes from it."""

    methods: dict[int, int | None]
    customer: ledger.Account | None


def find(
    session: Session,
    brand_id: int,
    customer_id: int | None,
    paid: Sequence[Paid],
    found: Sequence[Any],
) -> Accounts:
    """The balances `paid` moves, among `found` (`ledger.balances_of_methods`' rows for its
    methods, read with them); a payment from the customer's account needs the receipt's
    customer (the caller made sure), whose account is read here."""
    customer = None
    if any(ledger.pays_from_customer(p.method) for p in paid):
        assert customer_id is not None
        customer = ledger.find_customer_account(session, brand_id, customer_id)
    methods = [p.method for p in paid if not ledger.pays_from_customer(p.method)]
    return Accounts(ledger.chosen_balances(methods, found), customer)


def balances(
    session: Session, brand_id: int, paid: Sequence[Paid], accounts: Accounts
) -> list[int]:
    """The balance each payment lands on (`find`'s), any missing one made now: before any
    balance moves, so that a close waits for no insert while it holds balances' locks."""
    found = []
    for payment in paid:
        if ledger.pays_from_customer(payment.method):
            assert accounts.customer is not None
            found.append(ledger.open_customer_account(session, brand_id, accounts.customer))
        else:
            known = accounts.methods[payment.method.id]
            found.append(
                known
                if known is not None
                else ledger.make_method_balance(session, brand_id, payment.method)
            )
    return found


def settle(
    session: Session,
    brand_id: int,
    receipt_id: int,
    venue_id: int,
    customer_id: int | None,
    shift_id: int | None,
    paid: Sequence[Paid],
    onto: Sequence[int],
    at: datetime,
    *,
    first_id: int | None = None,
    categories: bool = False,
    held: bool = False,
) -> None:
    """Move the money of `paid` onto the balances `onto` (`balances`'; taken from a
    customer's account); `first_id`, `categories`, `held`: as `ledger.record` takes them."""
    moves = [
        ledger.Move(
            balance_id=balance_id,
            amount=-payment.amount if ledger.pays_from_customer(payment.method) else payment.amount,
            category_id=ledger.SALES,
            venue_id=venue_id,
            cash_shift_id=shift_id,
            receipt_id=receipt_id,
            customer_id=customer_id,
            payment_method_id=payment.method.id,
        )
        for payment, balance_id in zip(paid, onto, strict=True)
    ]
    ledger.record(session, brand_id, moves, at, first_id=first_id, categories=categories, held=held)


def transactions(paid: Sequence[Paid]) -> int:
    """How many transactions settling `paid` writes."""
    return sum(1 for payment in paid if money(payment.amount) != 0)


def unsettle(session: Session, brand_id: int, receipt_id: int, at: datetime) -> None:
    """A removed receipt: its payments refunded, its taxes no longer charged."""
    ledger.reverse_receipt(session, brand_id, receipt_id, at)
    session.execute(
        delete(ReceiptTax).where(
            ReceiptTax.brand_id == brand_id, ReceiptTax.receipt_id == receipt_id
        )
    )
