"""Closing a receipt with payments: the payment methods must exist, be usable at the venue and
cover the total; closing takes the stock, puts the money on the payment methods' balances
(core/finance/closing.py) and delivers the order the receipt came from. A method that pays
from the customer's account needs the receipt's customer, pays at most the total (change is
never given from an account) and never more than the account holds (the close fails whole).

Every change of a receipt row goes through its `version` (the mapper's version column): two
concurrent closes or updates of one receipt cannot both win; the loser gets a 409.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    String,
    Table,
    bindparam,
    cast,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clopos.core.errors import Invalid, conflict, not_found
from clopos.core.finance import closing, ledger, taxes
from clopos.core.finance.table import CashShift
from clopos.core.formats import plain
from clopos.core.orders.table import Order
from clopos.core.products.table import Modifier
from clopos.core.readmodel import in_parameters, in_size, in_values
from clopos.core.receipts import stock
from clopos.core.receipts.kitchen import CANCELLED
from clopos.core.receipts.pricing import money
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
from clopos.store.base import utcnow
from clopos.store.direct import Direct
from clopos.store.models import ChangeLog
from clopos.store.moves import Follows, Move
from clopos.store.sequences import next_ids_of
from clopos.store.together import Together
from clopos.store.uow import (
    can_hold_moves,
    connection_of,
    hold_move,
    insert_rows,
    inserted_together,
    update_rows,
)

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


def _changed_meanwhile() -> Exception:
    return conflict(
        "The receipt was changed by another request at the same time; read it again",
        "conflict",
    )


def saved(session: Session) -> None:
    """Flush the receipt's change; another request having changed it first is a 409."""
    try:
        session.flush()
    except StaleDataError:
        raise _changed_meanwhile() from None


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


def refuse_if_cancelled(receipt: Receipt | Open) -> None:
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


# --- closing ---------------------------------------------------------------------------------
#
# Closing a receipt is a named hot path (docs/performance.md, "Issue 20": 15-24 ms of CPU a
# close in-process through the ORM, about fifty statements): what it needs is read in one
# statement compiled once and run on the driver (store/direct.py): the receipt with where
# it closes into, and what depends only on it and on the request (`_reads`:
# store/together.py); it is decided in Python, and written with one statement for the
# receipt, one for the order, one a kind of shared row it moves, and the rows it adds
# together at the end (one statement on PostgreSQL, one a table on SQLite:
# store.uow.inserted_together); on PostgreSQL the moves go with the added rows in the
# commit's one statement (store/moves.py). A close writes nothing before its receipt's row
# (changed under its version: of two concurrent closes one wins, and the loser has moved
# nothing); then the order; then it makes what may be missing (storage, categories,
# levels, balances); then the rows every close shares: stock levels locked in (storage,
# product) order, then balances in id order (a customer's row after its account); then the
# rows it adds (payments, taxes, stock operations, transactions). Concurrent closes,
# inventory documents and deposits queue on the shared rows and never wait for each other
# in a circle.

_RECEIPTS: Table = Receipt.__table__  # type: ignore[assignment]
_CHANGE_LOG: Table = ChangeLog.__table__  # type: ignore[assignment]
_ORDERS: Table = Order.__table__  # type: ignore[assignment]
_METHODS: Table = PaymentMethod.__table__  # type: ignore[assignment]
_LINES: Table = ReceiptProduct.__table__  # type: ignore[assignment]
_LINE_MODIFIERS: Table = ReceiptProductModifier.__table__  # type: ignore[assignment]
_MODIFIERS: Table = Modifier.__table__  # type: ignore[assignment]
_PAYMENTS: Table = ReceiptPayment.__table__  # type: ignore[assignment]
_SHIFTS: Table = CashShift.__table__  # type: ignore[assignment]

# What a close reads of its receipt, and the columns it sets.
_OPEN_FIELDS = (
    "brand_id",
    "id",
    "venue_id",
    "customer_id",
    "sale_type_id",
    "order_id",
    "status",
    "order_status",
    "subtotal",
    "total_discount",
    "total",
    "i_tax",
    "total_tax",
    "e_tax",
    "created_at",
    "version",
)
_CLOSING_FIELDS = (
    "status",
    "closed_at",
    "remaining",
    "by_cash",
    "by_card",
    "updated_at",
    "cash_shift_id",
    "i_tax",
    "total_tax",
)


def _places(brand_id: Any, venue_id: Any) -> list[Any]:
    """Where a venue's receipt closes into: its open shift, the storage its sales take stock
    from, and whether the brand's system finance categories are there."""
    return [
        select(_SHIFTS.c.id)
        .where(
            _SHIFTS.c.brand_id == brand_id,
            _SHIFTS.c.venue_id == venue_id,
            _SHIFTS.c.closed_at.is_(None),
        )
        .scalar_subquery()
        .label("shift_id"),
        stock.sale_storage_of(brand_id, venue_id).label("storage_id"),
        ledger.has_categories(brand_id).label("categories"),
    ]


# The receipt a close reads (`brand_id`, `receipt_id`) with where it closes into, and the
# storage its sale takes stock from (`_reads`).
_RECEIPT = (_RECEIPTS.c.brand_id == bindparam("brand_id")) & (
    _RECEIPTS.c.id == bindparam("receipt_id")
)
_OPEN = select(
    *(_RECEIPTS.c[name] for name in _OPEN_FIELDS),
    *_places(_RECEIPTS.c.brand_id, _RECEIPTS.c.venue_id),
).where(_RECEIPT)
_SALE_STORAGE = stock.sale_storage_of(
    bindparam("brand_id"), select(_RECEIPTS.c.venue_id).where(_RECEIPT).scalar_subquery()
)
_CLOSE = Direct(
    update(_RECEIPTS)
    .where(
        _RECEIPTS.c.brand_id == bindparam("brand_id"),
        _RECEIPTS.c.id == bindparam("id"),
        _RECEIPTS.c.version == bindparam("version"),
    )
    .values(
        version=_RECEIPTS.c.version + 1,
        **{name: bindparam(f"to_{name}") for name in _CLOSING_FIELDS},
    )
    .returning(_RECEIPTS.c.id)
)
# Its parameters are named apart from the other moves' (store/moves.py: a close's moves
# held to its commit run as one statement).
_DELIVER = Direct(
    update(_ORDERS)
    .where(
        _ORDERS.c.brand_id == bindparam("brand_id"),
        _ORDERS.c.id == bindparam("order_id"),
        _ORDERS.c.status == "RECEIVED",
    )
    .values(status="DELIVERED", updated_at=bindparam("delivered_at"), version=_ORDERS.c.version + 1)
    .returning(_ORDERS.c.id)
)
# Held to the commit, an order's delivery logs the order only if it was delivered (an
# order already past RECEIVED is not moved): its change-log row follows from its moved row.
_DELIVERY_LOGGED = Follows(
    _CHANGE_LOG,
    on=("id", "order_id"),
    computed={"record_id": lambda moved, _given: cast(moved.c.id, String)},
    extra={"order_id": BigInteger()},
)
# A receipt's lines (`ingredient_id` NULL) and their modificators that take an ingredient
# from stock (`id` the line's). Unordered: with ORDER BY id, SQLite walks the brand's lines
# by its primary key rather than sort a receipt's few (`_decide` sorts them).
_NO_INTEGER = cast(null(), Integer)
_NO_NUMBER = cast(null(), Float)
_SALE = union_all(
    select(
        _LINES.c.id,
        _LINES.c.product_id,
        _LINES.c.count,
        _LINES.c.portion_size,
        _LINES.c.total,
        _NO_INTEGER.label("ingredient_id"),
        _NO_NUMBER.label("brutto"),
    ).where(
        _LINES.c.brand_id == bindparam("brand_id"),
        _LINES.c.receipt_id == bindparam("receipt_id"),
    ),
    stock.modificators_taking_stock(
        _LINE_MODIFIERS.c.receipt_product_id,
        _NO_INTEGER,
        _LINE_MODIFIERS.c.count,
        _NO_NUMBER,
        _NO_NUMBER,
        _MODIFIERS.c.ingredient_id,
        _MODIFIERS.c.brutto,
    ),
)


@dataclass(frozen=True, slots=True)
class _Modifier:
    """A line's modificator taking an ingredient from stock (stock.SoldModifier)."""

    receipt_product_id: int
    count: float
    ingredient_id: int
    brutto: float


@functools.cache
def _reads(methods: int) -> Together:
    """What a close reads, all of it known from the request: its receipt with where it
    closes into (`_OPEN`), the payment methods named (`m0...`, `methods` of them), the
    receipt's lines and the modificators taking stock (`_SALE`), what they reach through
    recipes, their products' taxes, and the balances the methods name. One statement: six
    were six round trips on PostgreSQL."""
    return Together(
        receipt=_OPEN,
        methods=select(
            _METHODS.c.id,
            _METHODS.c.name,
            _METHODS.c.status,
            _METHODS.c.balance,
            _METHODS.c.position,
        ).where(
            _METHODS.c.brand_id == bindparam("brand_id"),
            in_parameters(_METHODS.c.id, "m", methods),
            _METHODS.c.deleted_at.is_(None),
        ),
        sale=_SALE,
        recipes=stock.recipe_tree_read(_SALE_STORAGE),
        taxes=taxes.OF_RECEIPT,
        balances=ledger.balances_of_methods(methods),
    )


@dataclass(frozen=True)
class Open:
    """What closing reads of an open receipt (its row, or the ORM object a terminal's
    write holds)."""

    brand_id: int
    id: int
    venue_id: int
    customer_id: int | None
    sale_type_id: int | None
    order_id: int | None
    order_status: str
    subtotal: float
    total_discount: float
    total: float
    i_tax: float
    total_tax: float
    e_tax: float

    @classmethod
    def of(cls, receipt: Any) -> Open:
        return cls(*(getattr(receipt, name) for name in cls.__dataclass_fields__))


@dataclass
class Closing:
    """A close decided: the receipt's new columns (`changes`), and what it moves."""

    receipt: Open
    closed_at: datetime
    paid: list[closing.Paid]
    changes: dict[str, Any]
    accounts: closing.Accounts
    storage_id: int | None
    categories: bool  # the brand's system finance categories are there
    wanted: dict[tuple[int, int], float]
    tree: stock.RecipeTree
    charges: list[taxes.Charge]


def _paid(
    session: Session,
    brand_id: int,
    venue_id: int,
    payments: Sequence[Payment],
    found: Sequence[Any],
) -> list[closing.Paid]:
    """The payments with their methods (`found`: the methods named, as `_reads` reads
    them), each method checked."""
    methods = {row.id: row for row in found}
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
        rows.append(closing.Paid(method, money(payment.amount), payment.name or method.name))
    return rows


def _check_customer_payments(receipt: Open, paid: list[closing.Paid]) -> None:
    """What the methods paying from the customer's account ask is possible before anything
    moves; whether the account holds enough is checked as it moves (ledger)."""
    from_account = [p for p in paid if ledger.pays_from_customer(p.method)]
    if not from_account:
        return
    if receipt.customer_id is None:
        raise _invalid(
            f"Payment method {from_account[0].method.name} pays from the customer's balance: "
            "the receipt has no customer"
        )
    taken = money(sum(p.amount for p in from_account))
    if taken > receipt.total:
        raise _invalid(
            f"the customer's balance pays at most the total ({receipt.total:.2f}); got {taken:.2f}"
        )


def _read(
    session: Session, brand_id: int, receipt_id: int, payments: Sequence[Payment]
) -> dict[str, list[Any]]:
    """What closing receipt `receipt_id` with `payments` reads (`_reads`; its `receipt`
    part is empty where there is no such receipt)."""
    ids = sorted({payment.id for payment in payments})
    size = in_size(len(ids))
    values = {"brand_id": brand_id, "receipt_id": receipt_id, **in_values("m", ids, size)}
    return _reads(size).rows(connection_of(session), values)


def _decide(
    session: Session,
    receipt: Open,
    read: Mapping[str, Sequence[Any]],
    payments: Sequence[Payment],
    closed_at: datetime,
) -> Closing:
    """Check `payments` against `receipt` and decide what closing it moves, from what
    `_read` read (its receipt's row holds where it closes into: `_places`); writes
    nothing."""
    refuse_if_cancelled(receipt)
    brand_id = receipt.brand_id
    places = read["receipt"][0]
    paid = _paid(session, brand_id, receipt.venue_id, payments, read["methods"])
    total = money(sum(p.amount for p in paid))
    if total < receipt.total:
        raise _invalid(
            f"payment_methods must cover the total ({receipt.total:.2f}); got {total:.2f}"
        )
    _check_customer_payments(receipt, paid)
    sale = read["sale"]
    lines = sorted((row for row in sale if row.ingredient_id is None), key=lambda row: row.id)
    modifiers = [
        _Modifier(row.id, row.count, row.ingredient_id, row.brutto)
        for row in sale
        if row.ingredient_id is not None
    ]
    tree = stock.recipe_tree(read["recipes"])
    wanted = stock.deductions(lines, modifiers, tree)
    charges = taxes.charges(
        receipt.subtotal,
        receipt.total_discount,
        lines,
        taxes.taxes_of(read["taxes"], receipt.sale_type_id),
    )
    by_cash = money(
        sum(p.amount for p in paid if (p.method.balance or {}).get("type", "CASH") == "CASH")
    )
    i_tax, total_tax = receipt.i_tax, receipt.total_tax
    charged = taxes.charged(charges)
    if charged and not receipt.total_tax:
        # A terminal that sent its own tax figures keeps them.
        i_tax, total_tax = charged, round(charged + receipt.e_tax, 2)
    changes = {
        "status": CLOSED,
        "closed_at": closed_at,
        "remaining": 0,
        "by_cash": by_cash,
        "by_card": money(total - by_cash),
        "updated_at": datetime.now(UTC),
        "cash_shift_id": places.shift_id,
        "i_tax": i_tax,
        "total_tax": total_tax,
    }
    return Closing(
        receipt,
        closed_at,
        paid,
        changes,
        closing.find(session, brand_id, receipt.customer_id, paid, read["balances"]),
        places.storage_id,
        bool(places.categories),
        wanted,
        tree,
        charges,
    )


def _write(
    session: Session,
    decided: Closing,
    *,
    ends_unit: bool,
    close_values: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """What closing moves and adds, the receipt's row changed first (`close_values`: `_CLOSE`'s
    values, where the caller has not changed it); answers the payments as the API shows
    them (`ends_unit`: nothing in the unit follows the close, and the rows it adds are
    written with the commit's change log; on PostgreSQL the receipt's, order's, levels'
    and balances' moves too, when no payment takes from a customer's account:
    store/moves.py).

    The rows every close moves (stock levels, the cash and bank balances) come last, each
    kind in its fixed order: a close holds their locks (PostgreSQL) from its first move to
    its commit, so everything else is done before, ids taken first. The rows it adds
    (payments, taxes, stock operations, finance transactions), which nothing here reads,
    are written together at the end (`inserted_together`)."""
    with inserted_together(session, to_commit=ends_unit):
        # Held, the shared rows' locks are held for the commit's statement and the commit
        # only. A customer's account is moved as it is checked, in the unit, and then every
        # move is (receipt, order, levels, balances: the one order of every writer's locks).
        held = can_hold_moves(session) and decided.accounts.customer is None
        if close_values is not None:
            receipt_id = decided.receipt.id
            if held:
                move = Move(_CLOSE, close_values, expected=1, refused=_changed_meanwhile)
                hold_move(session, move, records=[receipt_id])
            elif not update_rows(session, _CLOSE, close_values):
                raise _changed_meanwhile()
        return _moved_and_added(session, decided, held)


def _moved_and_added(session: Session, decided: Closing, held: bool) -> list[dict[str, Any]]:
    receipt, at = decided.receipt, decided.closed_at
    brand_id = receipt.brand_id
    first = next_ids_of(
        session,
        brand_id,
        {
            "receipt_payments": len(decided.paid),
            "receipt_taxes": len(decided.charges),
            "stock_operations": len(decided.wanted),
            "finance_transactions": closing.transactions(decided.paid),
        },
    )
    payments = [
        {
            "brand_id": brand_id,
            "id": first["receipt_payments"] + offset,
            "receipt_id": receipt.id,
            "payment_method_id": p.method.id,
            "name": p.name,
            "amount": p.amount,
        }
        for offset, p in enumerate(decided.paid)
    ]
    # Followed with their receipt, whose own change names it (webhooks).
    insert_rows(session, _PAYMENTS, payments, by_record=False)
    if decided.charges:
        taxes.write(
            session,
            brand_id,
            receipt.id,
            receipt.venue_id,
            decided.charges,
            at,
            first["receipt_taxes"],
        )
    if receipt.order_id is not None:
        now = utcnow()
        values = {"brand_id": brand_id, "order_id": receipt.order_id, "delivered_at": now}
        if held:
            logged = {"resource": "orders", "brand_id": brand_id, "kind": "update", "at": now}
            logged["order_id"] = receipt.order_id
            hold_move(session, Move(_DELIVER, values, _DELIVERY_LOGGED, [logged]), records=[])
        else:
            update_rows(session, _DELIVER, values)
    # What may be missing is made before the shared rows move.
    if not decided.categories:
        ledger.system_categories(session, brand_id)
    storage_id = None
    if decided.wanted:
        storage_id = stock.sale_storage(session, brand_id, decided.storage_id)
    onto = closing.balances(session, brand_id, decided.paid, decided.accounts)
    if storage_id is not None:
        stock.deduct(
            session,
            brand_id,
            receipt.id,
            storage_id,
            decided.wanted,
            decided.tree,
            at,
            first["stock_operations"],
            held=held,
        )
    closing.settle(
        session,
        brand_id,
        receipt.id,
        receipt.venue_id,
        receipt.customer_id,
        decided.changes["cash_shift_id"],
        decided.paid,
        onto,
        at,
        first_id=first.get("finance_transactions"),
        categories=True,
        held=held,
    )
    return [
        {"id": p["payment_method_id"], "name": p["name"], "amount": p["amount"]} for p in payments
    ]


def pay(
    session: Session,
    receipt: Receipt,
    payments: Sequence[Payment],
    closed_at: datetime,
) -> None:
    """Close `receipt` (a terminal's write holds it as an ORM object, maybe changed) with
    `payments`: they must cover its total. A receipt whose order the kitchen cancelled is
    never paid: it closes as cancelled (`close_cancelled`)."""
    saved(session)  # the terminal's own changes, under the version check
    read = _read(session, receipt.brand_id, receipt.id, payments)
    decided = _decide(session, Open.of(receipt), read, payments, closed_at)
    for name, value in decided.changes.items():
        setattr(receipt, name, value)
    saved(session)  # the version check first: a concurrent close stops here
    _write(session, decided, ends_unit=False)


def close_receipt(
    session: Session,
    brand_id: int,
    receipt_id: int,
    payments: Sequence[Payment],
    closed_at_text: str | None = None,
    *,
    ends_unit: bool = False,
) -> dict[str, Any]:
    """Close an open receipt with payment methods covering its total (`closed_at_text`:
    `YYYY-MM-DD HH:MM:SS`, default now; `ends_unit`: the unit does nothing after, as the
    API's close, and the rows the close adds go with its commit: `inserted_together`)."""
    read = _read(session, brand_id, receipt_id, payments)
    if not read["receipt"]:
        raise not_found("Receipt not found", "not_found")
    row = read["receipt"][0]
    if row.status != OPEN:
        raise conflict("Receipt is already closed", "receipt_closed")
    closed_at = datetime.now(UTC)
    if closed_at_text:
        closed_at = parse_time(closed_at_text, "closed_at")
        if closed_at <= row.created_at.replace(microsecond=0):
            raise _invalid("closed_at must be greater than created_at")
    decided = _decide(session, Open.of(row), read, payments, closed_at)
    values = {"brand_id": brand_id, "id": receipt_id, "version": row.version}
    values.update({f"to_{name}": value for name, value in decided.changes.items()})
    paid = _write(session, decided, ends_unit=ends_unit, close_values=values)
    return {
        "id": receipt_id,
        "closed_at": plain(closed_at),
        "payment_methods": paid,
        "created_at": plain(row.created_at),
        "updated_at": plain(decided.changes["updated_at"]),
    }
