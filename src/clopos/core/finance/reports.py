"""Sums over the books: a cash shift's report, the cash its drawer should hold, the taxes
charged over a period."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clopos.core.finance import ledger
from clopos.core.finance.table import Balance, CashShift, FinanceTransaction, ReceiptTax
from clopos.core.receipts.pricing import money
from clopos.core.receipts.table import CLOSED, Receipt
from clopos.core.sales.table import PaymentMethod


def _balances_of(session: Session, brand_id: int, kind: str) -> set[int]:
    found = select(Balance.id).where(Balance.brand_id == brand_id, Balance.type == kind)
    return set(session.scalars(found))


def taken(transaction: FinanceTransaction, customers: set[int]) -> float:
    """What a movement brought the venue: its amount on the venue's own accounts; on a
    customer's account (`customers`: their ids) the opposite, since paying from it takes
    from what the venue holds for the customer."""
    return -transaction.amount if transaction.balance_id in customers else transaction.amount


def _shift_moves(session: Session, brand_id: int, shift_id: int) -> list[FinanceTransaction]:
    return list(
        session.scalars(
            select(FinanceTransaction).where(
                FinanceTransaction.brand_id == brand_id,
                FinanceTransaction.cash_shift_id == shift_id,
                FinanceTransaction.deleted_at.is_(None),
            )
        )
    )


def expected_cash(session: Session, brand_id: int, shift: CashShift) -> float:
    """What the drawer should hold: the opening count plus the shift's cash movements."""
    cash = _balances_of(session, brand_id, "CASH")
    moved = sum(t.amount for t in _shift_moves(session, brand_id, shift.id) if t.balance_id in cash)
    return money(shift.opening_amount + moved)


def shift_report(session: Session, shift: CashShift) -> dict[str, Any]:
    """Sales, refunds, cash in and out, customers' deposits, and totals by payment method of
    one shift. Sales count what customers paid from their accounts; `total` is what the
    venue's own accounts moved."""
    brand_id = shift.brand_id
    moves = _shift_moves(session, brand_id, shift.id)
    customers = _balances_of(session, brand_id, ledger.CUSTOMER)
    own = [t for t in moves if t.balance_id not in customers]

    def total(category: int, among: list[FinanceTransaction] = moves) -> float:
        return money(sum(taken(t, customers) for t in among if t.category_id == category))

    by_method: dict[int | None, float] = {}
    for t in moves:
        if t.category_id in (ledger.SALES, ledger.REFUNDS):
            by_method[t.payment_method_id] = by_method.get(t.payment_method_id, 0) + taken(
                t, customers
            )
    receipts = session.execute(
        select(func.count(), func.coalesce(func.sum(Receipt.total), 0)).where(
            Receipt.brand_id == brand_id,
            Receipt.cash_shift_id == shift.id,
            Receipt.status == CLOSED,
        )
    ).one()
    names = {
        m.id: m.name
        for m in session.scalars(select(PaymentMethod).where(PaymentMethod.brand_id == brand_id))
    }
    expected = expected_cash(session, brand_id, shift)
    return {
        "receipts_count": int(receipts[0]),
        "receipts_total": money(receipts[1]),
        "sales": total(ledger.SALES),
        "refunds": money(0.0 - total(ledger.REFUNDS)) + 0.0,
        "cash_in": total(ledger.CASH_IN),
        "cash_out": money(0.0 - total(ledger.CASH_OUT)) + 0.0,
        "deposits": total(ledger.CUSTOMER_DEPOSITS, own),
        "opening_amount": shift.opening_amount,
        "expected_amount": expected,
        "closing_amount": shift.closing_amount,
        "difference": None
        if shift.closing_amount is None
        else money(shift.closing_amount - expected),
        "payment_methods": [
            {"id": method_id, "name": names.get(method_id or 0, ""), "amount": money(amount)}
            for method_id, amount in sorted(by_method.items(), key=lambda i: i[0] or 0)
        ],
        "total": money(sum(t.amount for t in own)),
    }


def period(start: date | None, end: date | None) -> list[Any]:
    clauses: list[Any] = []
    if start is not None:
        clauses.append(ReceiptTax.operated_at >= datetime.combine(start, time.min))
    if end is not None:
        clauses.append(ReceiptTax.operated_at < datetime.combine(end + timedelta(days=1), time.min))
    return clauses


def tax_report(
    session: Session,
    brand_id: int,
    start: date | None,
    end: date | None,
    venue_ids: Iterable[int] | None = None,
) -> list[dict[str, Any]]:
    """Per tax: how many receipts, the amount taxed and the tax charged, over the period
    (inclusive dates, on closing time)."""
    statement = (
        select(
            ReceiptTax.tax_id,
            func.max(ReceiptTax.name).label("name"),
            func.max(ReceiptTax.rate).label("rate"),
            func.count(func.distinct(ReceiptTax.receipt_id)).label("receipts"),
            func.sum(ReceiptTax.taxable).label("taxable"),
            func.sum(ReceiptTax.amount).label("amount"),
        )
        .where(ReceiptTax.brand_id == brand_id, *period(start, end))
        .group_by(ReceiptTax.tax_id)
        .order_by(ReceiptTax.tax_id)
    )
    if venue_ids is not None:
        statement = statement.where(ReceiptTax.venue_id.in_(list(venue_ids)))
    return [
        {
            "tax_id": row.tax_id,
            "name": row.name,
            "rate": row.rate,
            "receipts_count": int(row.receipts),
            "taxable_amount": money(row.taxable or 0),
            "amount": money(row.amount or 0),
        }
        for row in session.execute(statement)
    ]
