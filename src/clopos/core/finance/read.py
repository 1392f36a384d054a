"""Finance reads: balances (and their condensed, per-customer, per-day and per-account
views), transactions, finance categories, taxes and their report, cash shifts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select, true
from sqlalchemy.orm import Session

from clopos.core.customers.table import Customer
from clopos.core.errors import bad_request, not_found
from clopos.core.finance import ledger, reports
from clopos.core.finance.table import (
    Balance,
    CashShift,
    FinanceCategory,
    FinanceTransaction,
    ReceiptTax,
)
from clopos.core.listing import (
    FilterField,
    ListSpec,
    Page,
    contains,
    int_choice,
    integers,
    one_of,
)
from clopos.core.products.table import Tax
from clopos.core.query import FilterValue, ListQuery, Paging
from clopos.core.readmodel import ReadModel, Rendered
from clopos.core.receipts.pricing import money
from clopos.core.records import Records, page_of
from clopos.schemas import finance as wire

BALANCE_TYPES = ("CASH", "BANK", "SUPPLIER", "OTHER")

# --- balances ---------------------------------------------------------------------------

BALANCE_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Balance.id,
    sorts={
        "id": Balance.id,
        "name": Balance.name,
        "amount": Balance.amount,
        "position": Balance.position,
        "created_at": Balance.created_at,
    },
    filters={
        "id": integers(Balance.id),
        "type": one_of(Balance.type, BALANCE_TYPES),
        "name": contains(Balance.name),
        "venue_id": integers(Balance.venue_id),
    },
    named=frozenset({"type"}),
    default_sort=((Balance.position, False),),
)
BALANCE = ReadModel(Balance, wire.Balance, hidden=("movements",), inputs=("deleted_at",))
BALANCE_OPTION = ReadModel(
    Balance,
    wire.BalanceOption,
    hidden=(
        "movements",
        "amount",
        "position",
        "system_type",
        "venue_id",
        "supplier_id",
        "payment_method_id",
        "created_at",
        "updated_at",
    ),
    inputs=("deleted_at",),
)
# The venue's own accounts: what customers hold is at /finance/balances/customer (their
# accounts answer by id, as every account a transaction names does).
_BRAND_BALANCES = select(Balance.id).where(
    Balance.brand_id == bindparam("brand_id"),
    Balance.deleted_at.is_(None),
    Balance.type != ledger.CUSTOMER,
)
BALANCES = Records(BALANCE, BALANCE_SPEC, _BRAND_BALANCES, "Balance not found")
BALANCE_OPTIONS = Records(BALANCE_OPTION, BALANCE_SPEC, _BRAND_BALANCES, "Balance not found")

CUSTOMER_BALANCE_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Customer.id,
    sorts={
        "id": Customer.id,
        "name": Customer.name,
        "balance": Customer.balance_amount,
        "bonus": Customer.bonus_amount,
        "cashback": Customer.cashback_amount,
    },
    filters={
        "customer_id": integers(Customer.id),
        "name": contains(Customer.name),
        "phone": contains(Customer.phone),
    },
)
CUSTOMER_BALANCE = ReadModel(
    Customer,
    wire.CustomerBalance,
    sources={
        "customer_id": Customer.id.expression,
        "balance": Customer.balance_amount.expression,
        "bonus": Customer.bonus_amount.expression,
        "cashback": Customer.cashback_amount.expression,
    },
    # The customer's other fields answer at /customers.
    hidden=tuple(
        name
        for name in Customer.__table__.c.keys()  # noqa: SIM118 (a column collection)
        if name
        not in {
            "id",
            "name",
            "phone",
            "balance_id",
            "bonus_balance_id",
            "cashback_balance_id",
            "deleted_at",
        }
    ),
    inputs=("deleted_at",),
)
CUSTOMER_BALANCES = Records(
    CUSTOMER_BALANCE,
    CUSTOMER_BALANCE_SPEC,
    select(Customer.id).where(
        Customer.brand_id == bindparam("brand_id"), Customer.deleted_at.is_(None)
    ),
    "Customer not found",
)


# The per-period views (date states, movements by balance): sums made in Python.
PERIOD_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=FinanceTransaction.balance_id,
    sorts={
        "balance_id": FinanceTransaction.balance_id,
        "income": FinanceTransaction.amount,
        "expense": FinanceTransaction.amount,
    },
    filters={"balance_id": integers(FinanceTransaction.balance_id)},
    date_column=FinanceTransaction.operated_at,
)


def _day_bounds(query: ListQuery) -> tuple[date, date]:
    """The period of a per-day view: `date[0..1]`, at most 92 days; default the last 7, or
    92 from `date[0]` (up to today), or 7 up to `date[1]`."""
    today = datetime.now().date()
    start, end = query.date_from, query.date_to
    if end is None:
        end = min(max(today, start), start + timedelta(days=91)) if start else today
    if start is None:
        start = end - timedelta(days=6)
    if start > end:
        raise bad_request("date[0] must not be after date[1]")
    if (end - start).days > 91:
        raise bad_request("the period is at most 92 days")
    return start, end


def _moves(
    session: Session, brand_id: int, start: date, end: date, balance_ids: list[int] | None
) -> list[FinanceTransaction]:
    statement = select(FinanceTransaction).where(
        FinanceTransaction.brand_id == brand_id,
        FinanceTransaction.deleted_at.is_(None),
        FinanceTransaction.operated_at >= datetime.combine(start, time.min),
        FinanceTransaction.operated_at < datetime.combine(end + timedelta(days=1), time.min),
    )
    if balance_ids is not None:
        statement = statement.where(FinanceTransaction.balance_id.in_(balance_ids))
    return list(
        session.scalars(
            statement.order_by(FinanceTransaction.balance_id, FinanceTransaction.movement)
        )
    )


def _balance_filter(query: ListQuery) -> list[int] | None:
    for item in query.filters:
        if item.field == "balance_id":
            values = (item.value,) if isinstance(item.value, str) else item.value
            if not all(v.strip().isdigit() for v in values):
                raise bad_request("balance_id must be an integer or a list of integers")
            return [int(v) for v in values]
        raise bad_request(f"{item.where}[0] must be balance_id")
    return None


def date_states(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """Each balance with movements, each day of the period: what it held at the day's
    start and end, and what came in and went out."""
    start, end = _day_bounds(query)
    wanted = _balance_filter(query)
    names = {
        b.id: b.name for b in session.scalars(select(Balance).where(Balance.brand_id == brand_id))
    }
    days: dict[tuple[int, str], list[FinanceTransaction]] = defaultdict(list)
    for t in _moves(session, brand_id, start, end, wanted):
        days[(t.balance_id, t.operated_at.date().isoformat())].append(t)
    rows = [
        {
            "date": day,
            "balance_id": balance_id,
            "name": names.get(balance_id, ""),
            "opening_amount": moves[0].before_amount,
            "income": money(sum(t.amount for t in moves if t.amount > 0)),
            "expense": money(-sum(t.amount for t in moves if t.amount < 0)),
            "closing_amount": moves[-1].after_amount,
            "transactions_count": len(moves),
        }
        for (balance_id, day), moves in sorted(days.items(), key=lambda i: (i[0][1], i[0][0]))
    ]
    return page_of(rows, query)


def balance_movements(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """Each balance's movements over the period, summed: the venue's accounts, and the
    customers' accounts that moved in it."""
    start, end = _day_bounds(query)
    wanted = _balance_filter(query)
    moves: dict[int, list[FinanceTransaction]] = defaultdict(list)
    for t in _moves(session, brand_id, start, end, wanted):
        moves[t.balance_id].append(t)
    balances = list(
        session.scalars(
            select(Balance)
            .where(
                Balance.brand_id == brand_id,
                Balance.deleted_at.is_(None),
                or_(Balance.type != ledger.CUSTOMER, Balance.id.in_(list(moves))),
            )
            .order_by(Balance.position, Balance.id)
        )
    )
    if wanted is not None:
        balances = [b for b in balances if b.id in wanted]
    rows = [
        {
            "balance_id": b.id,
            "name": b.name,
            "type": b.type,
            "amount": b.amount,
            "income": money(sum(t.amount for t in moves[b.id] if t.amount > 0)),
            "expense": money(-sum(t.amount for t in moves[b.id] if t.amount < 0)),
            "transactions_count": len(moves[b.id]),
        }
        for b in balances
    ]
    return page_of(rows, query)


# --- transactions -----------------------------------------------------------------------

_SHIFT_CID = (
    select(CashShift.cid)
    .where(
        CashShift.brand_id == FinanceTransaction.brand_id,
        CashShift.id == FinanceTransaction.cash_shift_id,
    )
    .scalar_subquery()
)
TRANSACTION_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=FinanceTransaction.id,
    sorts={
        "id": FinanceTransaction.id,
        "operated_at": FinanceTransaction.operated_at,
        "amount": FinanceTransaction.amount,
        "created_at": FinanceTransaction.created_at,
    },
    filters={
        "id": integers(FinanceTransaction.id),
        "balance_id": integers(FinanceTransaction.balance_id),
        "category_id": integers(FinanceTransaction.category_id),
        "venue_id": integers(FinanceTransaction.venue_id),
        "type": int_choice(FinanceTransaction.type, (1, 2)),
        "receipt_id": integers(FinanceTransaction.receipt_id),
        "operation_id": integers(FinanceTransaction.operation_id),
        "customer_id": integers(FinanceTransaction.customer_id),
        "supplier_id": integers(FinanceTransaction.supplier_id),
        "payment_method_id": integers(FinanceTransaction.payment_method_id),
    },
    named=frozenset({"balance_id", "receipt_id"}),
    date_column=FinanceTransaction.operated_at,
    default_sort=((FinanceTransaction.operated_at, True),),
)
TRANSACTION = ReadModel(
    FinanceTransaction,
    wire.Transaction,
    # The shift's public id (its UUID), selected beside the column it answers in place of.
    sources={"cash_shift_cid": _SHIFT_CID},
    computed={"cash_shift_id": lambda row: row.cash_shift_cid},
    hidden=("movement",),
    inputs=("deleted_at",),
)
TRANSACTIONS = Records(
    TRANSACTION,
    TRANSACTION_SPEC,
    select(FinanceTransaction.id).where(
        FinanceTransaction.brand_id == bindparam("brand_id"),
        FinanceTransaction.deleted_at.is_(None),
    ),
    "Transaction not found",
)

# --- categories -------------------------------------------------------------------------

CATEGORY_SPEC = ListSpec(
    paging=Paging(maximum=999),
    id_column=FinanceCategory.id,
    sorts={
        "id": FinanceCategory.id,
        "name": FinanceCategory.name,
        "position": FinanceCategory.position,
        "created_at": FinanceCategory.created_at,
    },
    filters={
        "id": integers(FinanceCategory.id),
        "parent_id": integers(FinanceCategory.parent_id),
        "type": int_choice(FinanceCategory.type, (1, 2, 3)),
        "name": contains(FinanceCategory.name),
    },
    named=frozenset({"type", "parent_id"}),
    default_sort=((FinanceCategory.position, False),),
)
CATEGORY = ReadModel(FinanceCategory, wire.FinanceCategory, inputs=("deleted_at",))
CATEGORIES = Records(
    CATEGORY,
    CATEGORY_SPEC,
    select(FinanceCategory.id).where(
        FinanceCategory.brand_id == bindparam("brand_id"), FinanceCategory.deleted_at.is_(None)
    ),
    "Finance category not found",
)


# --- taxes ------------------------------------------------------------------------------

TAX_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Tax.id,
    sorts={"id": Tax.id, "name": Tax.name, "rate": Tax.rate, "priority": Tax.priority},
    filters={
        "id": integers(Tax.id),
        "name": contains(Tax.name),
        "status": int_choice(Tax.status, (1, 0)),
        "type_id": integers(Tax.type_id),
    },
    named=frozenset({"status"}),
    default_sort=((Tax.priority, False),),
)
TAX = ReadModel(
    Tax,
    wire.FinanceTax,
    computed={
        "type": lambda row: (
            {"id": row.type_id, "name": row.type_name} if row.type_id is not None else None
        )
    },
    hidden=("meta",),
    inputs=("type_name", "deleted_at"),
)
TAXES = Records(
    TAX,
    TAX_SPEC,
    select(Tax.id).where(Tax.brand_id == bindparam("brand_id"), Tax.deleted_at.is_(None)),
    "Tax not found",
)


TAX_TYPE_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Tax.type_id,
    sorts={"id": Tax.type_id, "name": Tax.type_name},
    filters={"id": integers(Tax.type_id)},
)


def tax_types(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """The tax types the brand's taxes use (`type {id, name}`), by id."""
    rows = session.execute(
        select(Tax.type_id, func.max(Tax.type_name))
        .where(
            Tax.brand_id == brand_id,
            Tax.type_id.is_not(None),
            Tax.deleted_at.is_(None),
            *TAX_TYPE_SPEC.conditions(query),
        )
        .group_by(Tax.type_id)
        .order_by(Tax.type_id)
    )
    return page_of([{"id": type_id, "name": name} for type_id, name in rows], query)


TAX_REPORT_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=ReceiptTax.tax_id,
    sorts={
        "tax_id": ReceiptTax.tax_id,
        "amount": ReceiptTax.amount,
        "taxable_amount": ReceiptTax.taxable,
        "receipts_count": ReceiptTax.receipt_id,
    },
    filters={"venue_id": integers(ReceiptTax.venue_id)},
    date_column=ReceiptTax.operated_at,
)


def _venue_filter(query: ListQuery) -> list[int] | None:
    for item in query.filters:
        if item.field != "venue_id":
            raise bad_request(f"{item.where}[0] must be venue_id")
        values = (item.value,) if isinstance(item.value, str) else item.value
        if not all(v.strip().isdigit() for v in values):
            raise bad_request("venue_id must be an integer or a list of integers")
        return [int(v) for v in values]
    return None


def tax_report(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    rows = reports.tax_report(
        session, brand_id, query.date_from, query.date_to, _venue_filter(query)
    )
    return page_of(rows, query)


def tax_total(session: Session, brand_id: int, query: ListQuery) -> dict[str, Any]:
    rows = reports.tax_report(
        session, brand_id, query.date_from, query.date_to, _venue_filter(query)
    )
    receipts = session.scalar(
        select(func.count(func.distinct(ReceiptTax.receipt_id))).where(
            ReceiptTax.brand_id == brand_id, *reports.period(query.date_from, query.date_to)
        )
    )
    return {
        "receipts_count": int(receipts or 0),
        "taxable_amount": money(sum(r["taxable_amount"] for r in rows)),
        "amount": money(sum(r["amount"] for r in rows)),
    }


# --- cash shifts ------------------------------------------------------------------------


def _shift_status(name: str, value: FilterValue) -> Any:
    """`status` 1 open (no `closed_at`), 2 closed."""
    items = {item.strip() for item in ((value,) if isinstance(value, str) else value)}
    if not items or not items <= {"1", "2"}:
        raise bad_request(f"{name} must be one of 1, 2")
    if items == {"1"}:
        return CashShift.closed_at.is_(None)
    return CashShift.closed_at.is_not(None) if items == {"2"} else true()


SHIFT_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=CashShift.id,
    sorts={
        "opened_at": CashShift.opened_at,
        "closed_at": CashShift.closed_at,
        "created_at": CashShift.created_at,
    },
    filters={
        "venue_id": integers(CashShift.venue_id),
        "status": FilterField(_shift_status),
    },
    named=frozenset({"venue_id"}),
    date_column=CashShift.opened_at,
    default_sort=((CashShift.opened_at, True),),
)
SHIFT = ReadModel(
    CashShift,
    wire.CashShift,
    computed={
        "id": lambda row: row.cid,
        "status": lambda row: 1 if row.closed_at is None else 2,
    },
    inputs=("cid",),
)
SHIFTS = Records(
    SHIFT,
    SHIFT_SPEC,
    select(CashShift.id).where(CashShift.brand_id == bindparam("brand_id")),
    "Cash shift not found",
)


def shift_id_of(session: Session, brand_id: int, raw: str) -> int:
    """A shift's id from its UUID; anything else is a 400."""
    try:
        cid = str(uuid.UUID(raw))
    except ValueError:
        raise bad_request("The cash shift id must be a UUID") from None
    found = session.scalar(
        select(CashShift.id).where(CashShift.brand_id == brand_id, CashShift.cid == cid)
    )
    if found is None:
        raise not_found("Cash shift not found")
    return int(found)


def get_shift(session: Session, brand_id: int, raw: str) -> Rendered:
    return SHIFTS.one(session, brand_id, shift_id_of(session, brand_id, raw))


def shift_report(session: Session, brand_id: int, raw: str) -> dict[str, Any]:
    shift = session.get(CashShift, (brand_id, shift_id_of(session, brand_id, raw)))
    assert shift is not None
    return {"cash_shift": get_shift(session, brand_id, raw), **reports.shift_report(session, shift)}


# Every read model of finance (the agreement test checks each).
MODELS = (BALANCE, BALANCE_OPTION, CUSTOMER_BALANCE, TRANSACTION, CATEGORY, TAX, SHIFT)
