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

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Float,
    Integer,
    Numeric,
    Select,
    Table,
    bindparam,
    case,
    cast,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from clopos.core.chains import chained, rests_by_row
from clopos.core.customers.table import Customer
from clopos.core.errors import Invalid, conflict, not_found
from clopos.core.finance.table import Balance, FinanceCategory, FinanceTransaction
from clopos.core.readmodel import in_parameters, in_size, in_values
from clopos.core.receipts.pricing import money
from clopos.core.sales.table import PaymentMethod
from clopos.store.base import dialect_insert, utcnow
from clopos.store.direct import Direct
from clopos.store.moves import ByFunction, Follows, rounded
from clopos.store.moves import Move as HeldMove
from clopos.store.sequences import next_ids, reserve_id
from clopos.store.uow import connection_of, hold_move, insert_rows, update_rows

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
    if _HAS_CATEGORIES.first(connection_of(session), {"brand_id": brand_id})[0]:
        return
    session.execute(
        dialect_insert(session)(FinanceCategory)
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


class Method(Protocol):
    """A payment method as moving money reads it (its row, or the ORM object)."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def position(self) -> int: ...

    @property
    def balance(self) -> dict[str, Any] | None: ...


def pays_from_customer(method: Method) -> bool:
    """Whether `method` takes the money from the receipt's customer's own account: the
    account it names is of type `CUSTOMER`."""
    account = method.balance or {}
    return CUSTOMER in (account.get("type"), account.get("system_type"))


# Closing a receipt is a named hot path (docs/performance.md, "Issue 20"): the balances it
# finds and moves, the customer's account and the categories' check are statements compiled
# once and run on the driver (store/direct.py), the transactions inserted by `insert_rows`.
_BALANCES: Table = Balance.__table__  # type: ignore[assignment]
_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_CATEGORIES: Table = FinanceCategory.__table__  # type: ignore[assignment]
_TRANSACTIONS: Table = FinanceTransaction.__table__  # type: ignore[assignment]


_METHODS: Table = PaymentMethod.__table__  # type: ignore[assignment]


def balances_of_methods(methods: int) -> Select[Any]:
    """The balances payment methods `m0...` (`methods` of them) name, and those of their
    own: a read that can go with the methods' own (`chosen_balances` picks each one's). The
    ids named are read from the methods' rows, so it needs nothing from them first."""
    named = select(_METHODS.c.balance["id"].as_integer()).where(
        _METHODS.c.brand_id == bindparam("brand_id"),
        in_parameters(_METHODS.c.id, "m", methods),
    )
    return select(_BALANCES.c.id, _BALANCES.c.payment_method_id).where(
        _BALANCES.c.brand_id == bindparam("brand_id"),
        _BALANCES.c.id.in_(named) | in_parameters(_BALANCES.c.payment_method_id, "m", methods),
    )


def chosen_balances(methods: Sequence[Method], found: Sequence[Any]) -> dict[int, int | None]:
    """Each method's balance among `found` (`balances_of_methods`' rows), by method id: the
    account it names, else one of its own; None where it has none yet
    (`make_method_balance` makes it at its first payment)."""
    ids = set()
    own = {}
    for row in found:
        ids.add(row.id)
        if row.payment_method_id is not None:
            own[row.payment_method_id] = row.id
    answer: dict[int, int | None] = {}
    for method in methods:
        named = (method.balance or {}).get("id")
        answer[method.id] = named if isinstance(named, int) and named in ids else own.get(method.id)
    return answer


@functools.cache
def _found_balances(methods: int) -> Direct:
    return Direct(balances_of_methods(methods))


def method_balances(
    session: Session, brand_id: int, methods: Sequence[Method]
) -> dict[int, int | None]:
    """Each method's balance, by method id (`chosen_balances`)."""
    ids = sorted({method.id for method in methods})
    size = in_size(len(ids))
    values = {"brand_id": brand_id, **in_values("m", ids, size)}
    return chosen_balances(methods, _found_balances(size).rows(connection_of(session), values))


def make_method_balance(session: Session, brand_id: int, method: Method) -> int:
    """A payment method's own balance, made at its first payment (named after it, type
    `OTHER`; concurrent first payments make one)."""
    session.execute(
        dialect_insert(session)(Balance)
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


def method_balance(session: Session, brand_id: int, method: Method) -> int:
    """The balance a payment method's money lands on: the account it names, else one of its
    own made at its first payment (named after it, type `OTHER`)."""
    found = method_balances(session, brand_id, [method])[method.id]
    return found if found is not None else make_method_balance(session, brand_id, method)


@dataclass(frozen=True)
class Account:
    """A customer's account: its balance's id, whether that balance exists yet, and what
    the customer held until its first movement (an imported amount)."""

    customer_id: int
    balance_id: int
    exists: bool
    venue_id: int | None
    held: float


_ACCOUNT = Direct(
    select(
        _CUSTOMERS.c.deleted_at,
        _CUSTOMERS.c.balance_id,
        _CUSTOMERS.c.venue_id,
        _CUSTOMERS.c.balance_amount,
        _BALANCES.c.id.label("account"),
    )
    .select_from(_CUSTOMERS)
    .outerjoin(
        _BALANCES,
        (_BALANCES.c.brand_id == _CUSTOMERS.c.brand_id)
        & (_BALANCES.c.id == _CUSTOMERS.c.balance_id),
    )
    .where(_CUSTOMERS.c.brand_id == bindparam("brand_id"), _CUSTOMERS.c.id == bindparam("id"))
)


def find_customer_account(session: Session, brand_id: int, customer_id: int) -> Account:
    """The customer's account (`open_customer_account` makes its balance if it has none)."""
    row = _ACCOUNT.first(connection_of(session), {"brand_id": brand_id, "id": customer_id})
    if row is None or row.deleted_at is not None:
        raise not_found("Customer not found")
    if row.balance_id is None:
        raise Invalid(f"Customer {customer_id} has no balance account")
    return Account(
        customer_id, row.balance_id, row.account is not None, row.venue_id, row.balance_amount
    )


def open_customer_account(session: Session, brand_id: int, account: Account) -> int:
    """The account's balance (its id is the customer's `balance_id`), made at its first
    movement holding what the customer held until then."""
    if not account.exists:
        session.execute(
            dialect_insert(session)(Balance)
            .values(
                brand_id=brand_id,
                id=account.balance_id,
                venue_id=account.venue_id,
                # The v1 example's name for a customer's account.
                name=f"{CUSTOMER}:",
                type=CUSTOMER,
                system_type=CUSTOMER,
                amount=money(account.held),
                movements=0,
            )
            # Concurrent first movements make one account; the row's lock then orders them.
            .on_conflict_do_nothing(index_elements=[Balance.brand_id, Balance.id]),
            execution_options={"synchronize_session": False},
        )
    return account.balance_id


def customer_account(session: Session, brand_id: int, customer_id: int) -> int:
    """The customer's account as a balance (its id is the customer's `balance_id`), made at
    its first movement holding what the customer held until then (an imported amount)."""
    account = find_customer_account(session, brand_id, customer_id)
    return open_customer_account(session, brand_id, account)


@functools.cache
def _moving(size: int) -> Direct:
    """Balances `b0...` moved by `a0...` over `k0...` movements each, in one statement;
    their rows locked in id order first (PostgreSQL: two writers never wait for each other
    in a circle). A move held to the commit's statement is made by `_MOVING_SHARED`."""
    ids = [bindparam(f"b{index}", type_=BigInteger) for index in range(size)]
    # Cast: PostgreSQL gives a CASE of untyped parameters the type text.
    amounts = [cast(bindparam(f"a{index}", type_=Float), Float) for index in range(size)]
    counts = [bindparam(f"k{index}", type_=Integer) for index in range(size)]
    held = _BALANCES.alias("held")
    locked = (
        select(held.c.id)
        .where(
            held.c.brand_id == bindparam("brand_id"),
            held.c.id.in_(ids),
        )
        .order_by(held.c.id)
        .with_for_update()
        .subquery("locked")
    )
    pairs = list(zip(ids, amounts, counts, strict=True))
    return Direct(
        update(_BALANCES)
        .where(_BALANCES.c.brand_id == bindparam("brand_id"), _BALANCES.c.id == locked.c.id)
        # Rounded to cents in the statement: a float sum would drift by fractions of a cent.
        .values(
            amount=func.round(
                cast(
                    _BALANCES.c.amount + case(*((_BALANCES.c.id == b, a) for b, a, _ in pairs)),
                    Numeric(18, 6),
                ),
                2,
            ),
            movements=_BALANCES.c.movements
            + case(*((_BALANCES.c.id == b, k) for b, _, k in pairs)),
            updated_at=bindparam("now"),
        )
        .returning(_BALANCES.c.id, _BALANCES.c.amount, _BALANCES.c.movements, _BALANCES.c.type)
    )


_HOLD = Direct(
    update(_CUSTOMERS)
    .where(
        _CUSTOMERS.c.brand_id == bindparam("brand_id"),
        _CUSTOMERS.c.id == bindparam("id"),
        _CUSTOMERS.c.balance_id == bindparam("balance_id"),
    )
    .values(balance_amount=bindparam("held"), updated_at=bindparam("now"))
    .returning(_CUSTOMERS.c.id)
)


def moving(moves: Sequence[Move]) -> list[Move]:
    """The moves that move money (`record` writes a transaction for each)."""
    return [move for move in moves if money(move.amount) != 0]


def has_categories(brand_id: Any) -> Any:
    """Whether the brand's system categories are there (an SQL expression): the last one
    present means all are (`system_categories`)."""
    return (
        select(_CATEGORIES.c.id)
        .where(_CATEGORIES.c.brand_id == brand_id, _CATEGORIES.c.id == max(SYSTEM_CATEGORIES))
        .exists()
    )


_HAS_CATEGORIES = Direct(select(has_categories(bindparam("brand_id"))))


def record(
    session: Session,
    brand_id: int,
    moves: Sequence[Move],
    at: datetime,
    *,
    first_id: int | None = None,
    categories: bool = False,
    held: bool = False,
) -> list[dict[str, Any]]:
    """Apply `moves` to their balances and write their transactions (answered as rows).
    `first_id`: the first of the ids taken for them (`moving` says how many), if the caller
    took them; `categories`: the caller made sure the brand's system categories are there.
    `held`: none of `moves` is a customer's account, and the unit can hold them
    (`can_hold_moves`): the balances move and the transactions are added by the commit's
    statement, and the rows answered lack their amounts before and after and their
    numbers."""
    moves = moving(moves)
    if not moves:
        return []
    if not categories:
        system_categories(session, brand_id)
    first = (
        first_id
        if first_id is not None
        else next_ids(session, brand_id, "finance_transactions", len(moves))
    )
    moves = sorted(moves, key=lambda m: m.balance_id)
    amounts = [money(move.amount) for move in moves]
    rows = []
    for offset, (move, amount) in enumerate(zip(moves, amounts, strict=True)):
        rows.append(
            {
                "brand_id": brand_id,
                "id": first + offset,
                "venue_id": move.venue_id,
                "balance_id": move.balance_id,
                "category_id": move.category_id,
                "cash_shift_id": move.cash_shift_id,
                "type": INCOME if amount > 0 else EXPENSE,
                "amount": amount,
                "receipt_id": move.receipt_id,
                "operation_id": move.operation_id,
                "customer_id": move.customer_id,
                "supplier_id": move.supplier_id,
                "payment_method_id": move.payment_method_id,
                "description": move.description,
                "operated_at": at,
            }
        )
    by_balance: dict[int, list[int]] = defaultdict(list)
    for index, move in enumerate(moves):
        by_balance[move.balance_id].append(index)
    if held:
        for index, chain in rests_by_row(by_balance.values(), amounts).items():
            rows[index].update(chain)
        values = _shared_move_of(brand_id, by_balance, amounts)
        held_move = HeldMove(_MOVING_SHARED, values, _TRANSACTIONS_FOLLOW, rows, len(by_balance))
        hold_move(session, held_move)
        return rows
    statement, values = _move_of(brand_id, by_balance, amounts)
    chained = _move(session, brand_id, moves, amounts, by_balance, statement, values)
    for row, (before, after, number) in zip(rows, chained, strict=True):
        row.update(before_amount=before, after_amount=after, movement=number)
    # Balances, their transactions and customers' amounts are followed by table and brand
    # (caches), never one by one (store/uow.py, insert_rows).
    return insert_rows(session, _TRANSACTIONS, rows, by_record=False)


# A move's transactions as the commit's statement adds them (store/moves.py): the
# balance's amounts before and after each, and its number, from the balance's new amount.
_TRANSACTIONS_FOLLOW = Follows(
    _TRANSACTIONS,
    on=("id", "balance_id"),
    computed={
        "before_amount": lambda moved, given: rounded(moved.c.amount - given.c.rest_before, 2),
        "after_amount": lambda moved, given: rounded(moved.c.amount - given.c.rest_after, 2),
        "movement": lambda moved, given: moved.c.movements - given.c.later,
    },
    extra={"rest_before": Float(), "rest_after": Float(), "later": Integer()},
)


def _move_of(
    brand_id: int,
    by_balance: Mapping[int, list[int]],
    amounts: Sequence[float],
) -> tuple[Direct, dict[str, Any]]:
    """The statement moving the balances of `by_balance` (the indices of `amounts` on
    each), and its values."""
    balances = sorted(by_balance)
    size = in_size(len(balances))
    # Padded with the last balance (in_values), moved by nothing more.
    values: dict[str, Any] = {
        "brand_id": brand_id,
        "now": utcnow(),
        **in_values("b", balances, size),
    }
    for index in range(size):
        real = index < len(balances)
        on = by_balance[balances[index]] if real else []
        values[f"a{index}"] = _sum(amounts, on)
        values[f"k{index}"] = len(on)
    return _moving(size), values


def _shared_move_of(
    brand_id: int, by_balance: Mapping[int, list[int]], amounts: Sequence[float]
) -> dict[str, Any]:
    """`_MOVING_SHARED`'s values moving the balances of `by_balance` (the indices of
    `amounts` on each)."""
    balances = sorted(by_balance)
    return {
        "brand_id": brand_id,
        "balance_ids": balances,
        "balance_amounts": [_sum(amounts, by_balance[b]) for b in balances],
        "balance_counts": [len(by_balance[b]) for b in balances],
        "balances_at": utcnow(),
    }


def _sum(amounts: Sequence[float], indices: Sequence[int]) -> float:
    """What a balance moves by: the sum of its moves' amounts."""
    return money(sum(amounts[i] for i in indices))


# Balances moved in the commit's statement (PostgreSQL), by their function; never a
# customer's account (a move held to the commit cannot check and write what it holds).
_MOVING_SHARED = ByFunction(
    "clopos_move_balances",
    _BALANCES,
    [
        ("brand_id", BigInteger()),
        ("balance_ids", ARRAY(BigInteger())),
        ("balance_amounts", ARRAY(Float())),
        ("balance_counts", ARRAY(BigInteger())),
        ("balances_at", _BALANCES.c.updated_at.type),
    ],
    ["id", "amount", "movements", "type"],
)


def _move(
    session: Session,
    brand_id: int,
    moves: Sequence[Move],
    amounts: Sequence[float],
    by_balance: Mapping[int, list[int]],
    statement: Direct,
    values: Mapping[str, Any],
) -> list[tuple[float, float, int]]:
    """Apply `moves` to their balances in one statement (`_move_of`'s) and number them
    (the rows' locks order concurrent writers); answers each move's amounts before and
    after and its number, chaining in their order. A customer's account taken below zero
    is refused (the caller's unit is undone); what it holds is written on the customer."""
    rows = update_rows(session, statement, values, by_record=False)
    if len(rows) != len(by_balance):
        missing = set(by_balance) - {row.id for row in rows}
        raise RuntimeError(f"balances {sorted(missing)} are not there to move")
    made: dict[int, tuple[float, float, int]] = {}
    for row in rows:
        # The last movement ends at the new amount and number; each earlier one before.
        indices = by_balance[row.id]
        steps = chained(money(float(row.amount)), [amounts[i] for i in indices], money)
        first_number = int(row.movements) - len(indices) + 1
        for offset, (index, (before, after)) in enumerate(zip(indices, steps, strict=True)):
            made[index] = (before, after, first_number + offset)
        if row.type == CUSTOMER:
            moved = [(moves[i], amounts[i], made[i][1]) for i in indices]
            _hold(session, brand_id, row.id, moved)
    return [made[index] for index in range(len(moves))]


def _hold(
    session: Session,
    brand_id: int,
    balance_id: int,
    moved: Sequence[tuple[Move, float, float]],
) -> None:
    """A customer's account moved: never below zero, and what it holds written on the
    customer (`moved`: its moves, their amounts, and what each left it holding)."""
    for _, amount, after in moved:
        if after < 0:
            raise conflict(
                f"The customer's balance holds {after - amount:.2f}; "
                f"{-amount:.2f} cannot be taken from it",
                "insufficient_balance",
            )
    customer_id = next((m.customer_id for m, _, _ in moved if m.customer_id is not None), None)
    values = {
        "brand_id": brand_id,
        "id": customer_id,
        "balance_id": balance_id,
        "held": moved[-1][2],
        "now": utcnow(),
    }
    if not update_rows(session, _HOLD, values, by_record=False):
        raise RuntimeError(f"balance {balance_id} moved without its customer")


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
