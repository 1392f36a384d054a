"""The books' invariants, read straight from the database: what every test of money and
stock checks after it played order lives."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.access.brands import brand_id_of
from clopos.core.customers.table import Customer
from clopos.core.finance import ledger
from clopos.core.finance.reports import taken
from clopos.core.finance.table import Balance, CashShift, FinanceTransaction, ReceiptTax
from clopos.core.receipts.table import CLOSED, Receipt, ReceiptPayment, Stock, StockOperation
from tests.orders.conftest import Cafe


def _check(session: Session, brand: str) -> dict[str, Any]:
    brand_id = brand_id_of(session, brand)
    problems: list[str] = []
    # Each balance's movements chain, numbered 1..n, ending at what it holds.
    moves: dict[int, list[FinanceTransaction]] = defaultdict(list)
    for t in session.scalars(
        select(FinanceTransaction).where(FinanceTransaction.brand_id == brand_id)
    ):
        moves[t.balance_id].append(t)
    accounts = {
        row.balance_id: row
        for row in session.execute(
            select(Customer.id, Customer.balance_id, Customer.balance_amount).where(
                Customer.brand_id == brand_id
            )
        )
    }
    customers: set[int] = set()
    for balance in session.scalars(select(Balance).where(Balance.brand_id == brand_id)):
        if balance.type == ledger.CUSTOMER:
            customers.add(balance.id)
            # A customer's account never goes below zero, and the customer shows what it holds.
            holder = accounts.get(balance.id)
            if balance.amount < 0:
                problems.append(f"customer account {balance.id}: holds {balance.amount}")
            if holder is not None and round(holder.balance_amount - balance.amount, 2) != 0:
                problems.append(
                    f"customer {holder.id}: shows {holder.balance_amount}, "
                    f"its account holds {balance.amount}"
                )
            if holder is None and moves.get(balance.id):
                problems.append(f"customer account {balance.id} moved without a customer")
            for t in moves.get(balance.id, []):
                if holder is not None and t.customer_id != holder.id:
                    problems.append(f"transaction {t.id}: on customer {holder.id}'s account")
        chain = sorted(moves.get(balance.id, []), key=lambda t: t.movement)
        if [t.movement for t in chain] != list(range(1, len(chain) + 1)):
            problems.append(f"balance {balance.id}: movements {[t.movement for t in chain]}")
        for earlier, later in pairwise(chain):
            if round(earlier.after_amount - later.before_amount, 2) != 0:
                problems.append(f"balance {balance.id}: {earlier.id} -> {later.id} breaks")
        for t in chain:
            if round(t.before_amount + t.amount - t.after_amount, 2) != 0:
                problems.append(f"transaction {t.id}: before + amount != after")
        if chain and round(chain[-1].after_amount - balance.amount, 2) != 0:
            problems.append(f"balance {balance.id}: holds {balance.amount}, chain ends elsewhere")
    # A shift's sales (less refunds) are its closed receipts' payments: what a payment from a
    # customer's account took off it counts as taken.
    closed = {
        r.id: r
        for r in session.scalars(
            select(Receipt).where(Receipt.brand_id == brand_id, Receipt.status == CLOSED)
        )
    }
    paid: dict[int | None, float] = defaultdict(float)
    for payment in session.scalars(
        select(ReceiptPayment).where(ReceiptPayment.brand_id == brand_id)
    ):
        if payment.receipt_id in closed:
            paid[closed[payment.receipt_id].cash_shift_id] += payment.amount
    sold: dict[int | None, float] = defaultdict(float)
    all_moves = [t for chain in moves.values() for t in chain]
    for t in all_moves:
        if t.category_id in (ledger.SALES, ledger.REFUNDS):
            sold[t.cash_shift_id] += taken(t, customers)
    for shift_id in set(paid) | set(sold):
        if round(paid[shift_id] - sold[shift_id], 2) != 0:
            problems.append(f"shift {shift_id}: paid {paid[shift_id]} but moved {sold[shift_id]}")
    # A stock level is what its operations moved.
    moved: dict[int, float] = defaultdict(float)
    for operation in session.scalars(
        select(StockOperation).where(StockOperation.brand_id == brand_id)
    ):
        moved[operation.stock_id] += operation.after_quantity - operation.before_quantity
    for stock in session.scalars(select(Stock).where(Stock.brand_id == brand_id)):
        if round(stock.quantity - moved[stock.id], 4) != 0:
            problems.append(f"stock {stock.id}: {stock.quantity} but moved {moved[stock.id]}")
    # Open receipts have no money, stock or taxes.
    open_ids = set(
        session.scalars(
            select(Receipt.id).where(Receipt.brand_id == brand_id, Receipt.status != CLOSED)
        )
    )
    for table in (FinanceTransaction, StockOperation, ReceiptTax):
        touched = set(
            session.scalars(
                select(table.receipt_id).where(
                    table.brand_id == brand_id, table.receipt_id.in_(open_ids or {0})
                )
            )
        )
        if touched:
            problems.append(f"{table.__tablename__} of open receipts {sorted(touched)}")
    shifts = session.scalar(select(CashShift.id).where(CashShift.brand_id == brand_id))
    return {
        "problems": problems,
        "transactions": len(all_moves),
        "shifts": shifts,
        "paid": dict(paid),
    }


def books(cafe: Cafe, brand: str = "openapitest") -> dict[str, Any]:
    """The invariants' findings on `cafe`'s database: `problems` is empty when they hold."""
    portal = cafe.server._portal
    assert portal is not None
    result: dict[str, Any] = portal.call(cafe.server.app.state.db.read, _check, brand)
    return result


def call(cafe: Cafe, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a core write `fn(session, brand_id, ...)` on the café's database."""

    def work(session: Session) -> Any:
        return fn(session, brand_id_of(session, "openapitest"), *args, **kwargs)

    portal = cafe.server._portal
    assert portal is not None
    return portal.call(cafe.server.app.state.db.write, work)
