"""Moving money: every change of a balance's amount is a transaction holding the amounts
before and after it, written in the unit of work that caused it (a receipt's close, a cash in
or out, a supply, a customer's deposit).

A balance's amount changes in one statement that also numbers the movement (`movements`),
under the row's lock: concurrent writers queue on the balance, and its transactions chain
(each `after_amount` the next one's `before_amount`) in the order of that number. Writers
take the balances they move in id order, so two never wait for each other in a circle.

A customer's account (`customers.balance_id`) is a balance of type `CUSTOMER` too, made at its
first movement (`customer_account`). It never goes below zero: a movement that would take it
there is refused under the row's lock, and the unit that asked for it fails whole. What it
holds is also the customer's `balance_amount` (what `/customers` and
`/finance/balances/customer` answer), set by the same movement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Numeric, cast, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from clopos.core.customers.table import Customer
from clopos.core.errors import Invalid, conflict, not_found
from clopos.core.finance.table import Balance, FinanceCategory, FinanceTransaction
from clopos.core.receipts.pricing import money
from clopos.core.sales.table import PaymentMethod
from clopos.store.sequences import next_ids, reserve_id

INCOME, EXPENSE = 1, 2

# The brand's own categories, at fixed ids (made on first use): what the product writes.
SALES, REFUNDS, CASH_IN, CASH_OUT, SUPPLIES, SUPPLIER_PAYMENTS = 1, 2, 3, 4, 5, 6
CUSTOMER_DEPOSITS = 7
SYSTEM_CATEGORIES: dict[int, tuple[str, int]] = {
    SALES: ("Sales", INCOME),
    REFUNDS: ("Refunds", EXPENSE),
    CASH_IN: ("Cash in", INCOME),
    CASH_OUT: ("Cash out", EXPENSE),
    SUPPLIES: ("Supplies", EXPENSE),
    SUPPLIER_PAYMENTS: ("Supplier payments", EXPENSE),
    CUSTOMER_DEPOSITS: ("Customer deposits", INCOME),
}

# The type of a customer's account, and of the account a payment method names when it takes
# the money from the receipt's customer's account (the reference's customer `balance` object
# has `type: "CUSTOMER"`).
CUSTOMER = "CUSTOMER"


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
    """The brand's system categories, made once (concurrent first uses make one of each).
    The last one present means all are: a brand whose categories came before a newer one
    gets it at its next movement."""
    if session.get(FinanceCategory, (brand_id, max(SYSTEM_CATEGORIES))) is not None:
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


def pays_from_customer(method: PaymentMethod) -> bool:
    """Whether `method` takes the money from the receipt's customer's own account: the
    account it names is of type `CUSTOMER`."""
    account = method.balance or {}
    return CUSTOMER in (account.get("type"), account.get("system_type"))


def customer_account(session: Session, brand_id: int, customer_id: int) -> int:
    """The customer's account as a balance (its id is the customer's `balance_id`), made at
    its first movement holding what the customer held until then (an imported amount)."""
    customer = session.get(Customer, (brand_id, customer_id))
    if customer is None or customer.deleted_at is not None:
        raise not_found("Customer not found")
    if customer.balance_id is None:
        raise Invalid(f"Customer {customer_id} has no balance account")
    if session.get(Balance, (brand_id, customer.balance_id)) is None:
        session.execute(
            _insert(session)(Balance)
            .values(
                brand_id=brand_id,
                id=customer.balance_id,
                venue_id=customer.venue_id,
                # The v1 example's name for a customer's account.
                name=f"{CUSTOMER}:",
                type=CUSTOMER,
                system_type=CUSTOMER,
                amount=money(customer.balance_amount),
                movements=0,
            )
            # Concurrent first movements make one account; the row's lock then orders them.
            .on_conflict_do_nothing(index_elements=[Balance.brand_id, Balance.id]),
            execution_options={"synchronize_session": False},
        )
    return customer.balance_id


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
        after, number = _change(session, brand_id, move.balance_id, amount, move.customer_id)
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


def _change(
    session: Session, brand_id: int, balance_id: int, amount: float, customer_id: int | None
) -> tuple[float, int]:
    """Add `amount` to a balance and number the movement, in one statement (the row's lock
    orders concurrent ones); answers the new amount and the movement's number. A customer's
    account (`customer_id` its holder) taken below zero is refused (the caller's unit is
    undone); what it holds is written on the customer too."""
    row = session.execute(
        update(Balance)
        .where(Balance.brand_id == brand_id, Balance.id == balance_id)
        # Rounded to cents in the statement: a float sum would drift by fractions of a cent.
        .values(
            amount=func.round(cast(Balance.amount + amount, Numeric(18, 6)), 2),
            movements=Balance.movements + 1,
        )
        .returning(Balance.amount, Balance.movements, Balance.type),
        execution_options={"synchronize_session": False},
    ).one()
    after = money(float(row.amount))
    if row.type == CUSTOMER:
        if after < 0:
            raise conflict(
                f"The customer's balance holds {after - amount:.2f}; "
                f"{-amount:.2f} cannot be taken from it",
                "insufficient_balance",
            )
        held = session.execute(
            update(Customer)
            .where(
                Customer.brand_id == brand_id,
                Customer.id == customer_id,
                Customer.balance_id == balance_id,
            )
            .values(balance_amount=after),
            execution_options={"synchronize_session": False},
        )
        if held.rowcount != 1:  # type: ignore[attr-defined]
            raise RuntimeError(f"balance {balance_id} moved without its customer")
    return after, int(row.movements)


def reverse_receipt(session: Session, brand_id: int, receipt_id: int, at: datetime) -> int:
    """Give back what a receipt's payments brought in (a removed receipt): one refund per
    payment, on the same balance and shift (what a customer's account paid goes back onto
    it); answers how many."""
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
            customer_id=t.customer_id,
            payment_method_id=t.payment_method_id,
            description=f"Receipt {receipt_id} removed",
        )
        for t in paid
    ]
    return len(record(session, brand_id, refunds, at))
