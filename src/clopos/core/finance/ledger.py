"""Moving money: every change of a balance's amount is a transaction holding the amounts
before and after it, written in the unit of work that caused it (a receipt's close, a cash in
or out, a supply).

A balance's amount changes in one statement that also numbers the movement (`movements`),
under the row's lock: concurrent writers queue on the balance, and its transactions chain
(each `after_amount` the next one's `before_amount`) in the order of that number. Writers
take the balances they move in id order, so two never wait for each other in a circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Numeric, cast, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from clopos.core.finance.table import Balance, FinanceCategory, FinanceTransaction
from clopos.core.receipts.pricing import money
from clopos.core.sales.table import PaymentMethod
from clopos.store.sequences import next_ids, reserve_id

INCOME, EXPENSE = 1, 2

# The brand's own categories, at fixed ids (made on first use): what the product writes.
SALES, REFUNDS, CASH_IN, CASH_OUT, SUPPLIES, SUPPLIER_PAYMENTS = 1, 2, 3, 4, 5, 6
SYSTEM_CATEGORIES: dict[int, tuple[str, int]] = {
    SALES: ("Sales", INCOME),
    REFUNDS: ("Refunds", EXPENSE),
    CASH_IN: ("Cash in", INCOME),
    CASH_OUT: ("Cash out", EXPENSE),
    SUPPLIES: ("Supplies", EXPENSE),
    SUPPLIER_PAYMENTS: ("Supplier payments", EXPENSE),
}


@dataclass(frozen=True)
class Move:
    """One change of a balance: `amount` signed (money in is positive), and what caused it."""

    balance_id: int
    amount: float
    category_id: int
    venue_id: int | None = None
    cash_shift_id: int | None = None
    receipt_id: int | None = None
    operation_id: int | None = None
    customer_id: int | None = None
    supplier_id: int | None = None
    payment_method_id: int | None = None
    description: str | None = None


def _insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def new_balance_id(session: Session, brand_id: int) -> int:
    """An id for a new balance from the brand's `balances` sequence, past every balance
    already there (the accounts a migration carried over took theirs without it)."""
    highest = session.scalar(select(func.max(Balance.id)).where(Balance.brand_id == brand_id))
    if highest:
        reserve_id(session, brand_id, "balances", int(highest))
    return next_ids(session, brand_id, "balances")


def system_categories(session: Session, brand_id: int) -> None:
    """The brand's system categories, made once (concurrent first uses make one of each)."""
    if session.get(FinanceCategory, (brand_id, SALES)) is not None:
        return
    session.execute(
        _insert(session)(FinanceCategory)
        .values(
            [
                {
                    "brand_id": brand_id,
                    "id": category_id,
                    "name": name,
                    "type": kind,
                    "system": True,
                    "position": category_id,
                }
                for category_id, (name, kind) in SYSTEM_CATEGORIES.items()
            ]
        )
        .on_conflict_do_nothing(index_elements=[FinanceCategory.brand_id, FinanceCategory.id]),
        execution_options={"synchronize_session": False},
    )
    reserve_id(session, brand_id, "finance_categories", max(SYSTEM_CATEGORIES))


def method_balance(session: Session, brand_id: int, method: PaymentMethod) -> int:
    """The balance a payment method's money lands on: the account it names, else one of its
    own made at its first payment (named after it, type `OTHER`)."""
    named = (method.balance or {}).get("id")
    if isinstance(named, int) and session.get(Balance, (brand_id, named)) is not None:
        return named
    found = session.scalar(
        select(Balance.id).where(
            Balance.brand_id == brand_id, Balance.payment_method_id == method.id
        )
    )
    if found is not None:
        return int(found)
    session.execute(
        _insert(session)(Balance)
        .values(
            brand_id=brand_id,
            id=new_balance_id(session, brand_id),
            name=method.name,
            type="OTHER",
            amount=0,
            position=100 + method.position,
            payment_method_id=method.id,
            movements=0,
        )
        .on_conflict_do_nothing(index_elements=[Balance.brand_id, Balance.payment_method_id]),
        execution_options={"synchronize_session": False},
    )
    made = session.scalar(
        select(Balance.id).where(
            Balance.brand_id == brand_id, Balance.payment_method_id == method.id
        )
    )
    assert made is not None
    return int(made)


def record(
    session: Session, brand_id: int, moves: Sequence[Move], at: datetime
) -> list[FinanceTransaction]:
    """Apply `moves` to their balances and write their transactions."""
    moves = [move for move in moves if money(move.amount) != 0]
    if not moves:
        return []
    system_categories(session, brand_id)
    first = next_ids(session, brand_id, "finance_transactions", len(moves))
    written = []
    for offset, move in enumerate(sorted(moves, key=lambda m: m.balance_id)):
        amount = money(move.amount)
        after, number = _change(session, brand_id, move.balance_id, amount)
        transaction = FinanceTransaction(
            brand_id=brand_id,
            id=first + offset,
            venue_id=move.venue_id,
            balance_id=move.balance_id,
            category_id=move.category_id,
            cash_shift_id=move.cash_shift_id,
            type=INCOME if amount > 0 else EXPENSE,
            amount=amount,
            before_amount=money(after - amount),
            after_amount=after,
            movement=number,
            receipt_id=move.receipt_id,
            operation_id=move.operation_id,
            customer_id=move.customer_id,
            supplier_id=move.supplier_id,
            payment_method_id=move.payment_method_id,
            description=move.description,
            operated_at=at,
        )
        session.add(transaction)
        written.append(transaction)
    return written


def _change(session: Session, brand_id: int, balance_id: int, amount: float) -> tuple[float, int]:
    """Add `amount` to a balance and number the movement, in one statement (the row's lock
    orders concurrent ones); answers the new amount and the movement's number."""
    row = session.execute(
        update(Balance)
        .where(Balance.brand_id == brand_id, Balance.id == balance_id)
        # Rounded to cents in the statement: a float sum would drift by fractions of a cent.
        .values(
            amount=func.round(cast(Balance.amount + amount, Numeric(18, 6)), 2),
            movements=Balance.movements + 1,
        )
        .returning(Balance.amount, Balance.movements),
        execution_options={"synchronize_session": False},
    ).one()
    return money(float(row.amount)), int(row.movements)


def reverse_receipt(session: Session, brand_id: int, receipt_id: int, at: datetime) -> int:
    """Give back what a receipt's payments brought in (a removed receipt): one refund per
    payment, on the same balance and shift; answers how many."""
    paid = list(
        session.scalars(
            select(FinanceTransaction).where(
                FinanceTransaction.brand_id == brand_id,
                FinanceTransaction.receipt_id == receipt_id,
                FinanceTransaction.category_id == SALES,
            )
        )
    )
    refunds = [
        Move(
            balance_id=t.balance_id,
            amount=-t.amount,
            category_id=REFUNDS,
            venue_id=t.venue_id,
            cash_shift_id=t.cash_shift_id,
            receipt_id=receipt_id,
            payment_method_id=t.payment_method_id,
            description=f"Receipt {receipt_id} removed",
        )
        for t in paid
    ]
    return len(record(session, brand_id, refunds, at))
