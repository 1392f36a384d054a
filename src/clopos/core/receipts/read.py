"""Receipts read: the list spec, a receipt's answer with its payments, its lines with their
modificators and products (the relations asked for, one query each), a page of them
(rendered once per change to the brand's receipts), one by id or by `cid`, and the stock
operations closing it made."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from clopos.core.errors import bad_request, not_found
from clopos.core.formats import is_uuid
from clopos.core.listing import (
    ListSpec,
    Page,
    check_relations,
    equals_text,
    fetch_page,
    int_choice,
    integers,
    one_of,
)
from clopos.core.products.table import Modifier, ModifierGroup
from clopos.core.query import ListQuery, Paging
from clopos.core.readmodel import ReadModel
from clopos.core.receipts import stock
from clopos.core.receipts.kitchen import KITCHEN_STATUSES
from clopos.core.receipts.table import (
    CLOSED,
    OPEN,
    Receipt,
    ReceiptPayment,
    ReceiptProduct,
    ReceiptProductModifier,
)
from clopos.schemas import receipts as wire

RELATIONS = frozenset(
    {
        "receipt_products",
        "receipt_products.modificators",
        "receipt_products.modificators.modificator_group",
        "receipt_products.product",
        "receipt_products.product.unit",
        "receipt_products.product.station",
    }
)

SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Receipt.id,
    sorts={
        "created_at": Receipt.created_at,
        "updated_at": Receipt.updated_at,
        "closed_at": Receipt.closed_at,
        "total": Receipt.total,
        "id": Receipt.id,
    },
    filters={
        "id": integers(Receipt.id),
        "status": int_choice(Receipt.status, (OPEN, CLOSED)),
        "sale_type_id": integers(Receipt.sale_type_id),
        "terminal_id": integers(Receipt.terminal_id),
        "venue_id": integers(Receipt.venue_id),
        "customer_id": integers(Receipt.customer_id),
        "service_notification_id": integers(Receipt.order_id),
        "order_status": one_of(Receipt.order_status, KITCHEN_STATUSES),
        "cid": equals_text(Receipt.cid),
    },
    relations=RELATIONS,
    date_column=Receipt.created_at,
    default_sort=((Receipt.created_at, True),),
)

# The ids a page of receipts is chosen from (a template for `fetch_page`).
_BRAND_RECEIPTS = select(Receipt.id).where(Receipt.brand_id == bindparam("brand_id"))
RESOURCE = Receipt.__tablename__


def _receipt_not_found() -> Exception:
    return not_found("Receipt not found", "not_found")


# A receipt's answer: `service_notification_id` is the order it came from; `shift_date` the
# UTC day it opened on (one shift a day in the sandbox); `deleted_at` always null (a
# removed receipt is gone). `payment_methods` are its payments, `receipt_products` its
# lines when asked for.
RECEIPT = ReadModel(
    Receipt,
    wire.Receipt,
    computed={
        "service_notification_id": lambda row: row.order_id,
        "shift_date": lambda row: row.created_at.astimezone(UTC).date().isoformat(),
        "deleted_at": lambda _row: None,
    },
    filled=("payment_methods",),
    relations=("receipt_products",),
    inputs=("order_id", "created_at"),
    # The shift a receipt closed into answers through the finance paths (its transactions).
    hidden=("version", "cash_shift_id"),
)
LINE = ReadModel(ReceiptProduct, wire.ReceiptProduct, relations=("modificators", "product"))
MODIFICATOR = ReadModel(
    ReceiptProductModifier,
    wire.ReceiptModificator,
    computed={"modificator_id": lambda row: row.modifier_id},
    relations=("modificator_group",),
    inputs=("modifier_id",),
)
MODIFICATOR_GROUP = ReadModel(ModifierGroup, wire.ModificatorGroup)
PAYMENT = ReadModel(
    ReceiptPayment,
    wire.PaymentLine,
    computed={"id": lambda row: row.payment_method_id},  # the payment method's, as documented
    inputs=("payment_method_id", "receipt_id"),
)


def _with_payments(
    session: Session, brand_id: int, receipts: Sequence[Any]
) -> dict[int, dict[str, Any]]:
    """Receipts' own fields and payments (payments change only with their receipt)."""
    by_id = {receipt.id: {**RECEIPT.render(receipt), "payment_methods": []} for receipt in receipts}
    if by_id:
        for payment in session.execute(
            PAYMENT.statement()
            .where(ReceiptPayment.brand_id == brand_id, ReceiptPayment.receipt_id.in_(by_id))
            .order_by(ReceiptPayment.id)
        ):
            by_id[payment.receipt_id]["payment_methods"].append(PAYMENT.render(payment))
    return by_id


def _relate(
    session: Session, brand_id: int, items: list[dict[str, Any]], relations: Iterable[str]
) -> list[dict[str, Any]]:
    names = {relation.split(":", 1)[0] for relation in relations}
    if items and any(name.startswith("receipt_products") for name in names):
        by_id = {item["id"]: item for item in items}
        _lines(session, brand_id, list(by_id), by_id, names)
    return items


def render(
    session: Session, brand_id: int, receipts: Sequence[Receipt], relations: Iterable[str]
) -> list[dict[str, Any]]:
    """Receipts with their payments and the relations asked for, one query per relation."""
    by_id = _with_payments(session, brand_id, receipts)
    return _relate(session, brand_id, [by_id[receipt.id] for receipt in receipts], relations)


def _lines(
    session: Session,
    brand_id: int,
    ids: list[int],
    by_id: dict[int, dict[str, Any]],
    names: set[str],
) -> None:
    from clopos.core.products.read import render_products

    lines = list(
        session.scalars(
            select(ReceiptProduct)
            .where(ReceiptProduct.brand_id == brand_id, ReceiptProduct.receipt_id.in_(ids))
            .order_by(ReceiptProduct.id)
        )
    )
    rendered: list[dict[str, Any]] = [dict(LINE.render(line)) for line in lines]
    if any(name.startswith("receipt_products.modificators") for name in names):
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        items = list(
            session.scalars(
                select(ReceiptProductModifier)
                .where(
                    ReceiptProductModifier.brand_id == brand_id,
                    ReceiptProductModifier.receipt_id.in_(ids),
                )
                .order_by(ReceiptProductModifier.id)
            )
        )
        groups: dict[int, dict[str, Any]] = {}
        if "receipt_products.modificators.modificator_group" in names and items:
            rows = session.execute(
                select(Modifier.id, ModifierGroup)
                .join(
                    ModifierGroup,
                    (ModifierGroup.brand_id == Modifier.brand_id)
                    & (ModifierGroup.id == Modifier.group_id),
                )
                .where(
                    Modifier.brand_id == brand_id,
                    Modifier.id.in_({item.modifier_id for item in items}),
                )
            )
            groups = {modifier_id: MODIFICATOR_GROUP.render(group) for modifier_id, group in rows}
        for item in items:
            entry: dict[str, Any] = dict(MODIFICATOR.render(item))
            if "receipt_products.modificators.modificator_group" in names:
                entry["modificator_group"] = groups.get(item.modifier_id)
            found[item.receipt_product_id].append(entry)
        for line in rendered:
            line["modificators"] = found.get(line["id"], [])
    if any(name.startswith("receipt_products.product") for name in names):
        nested = [n.removeprefix("receipt_products.product.") for n in names if n.count(".") == 2]
        nested = [n for n in nested if n in ("unit", "station")]
        products = {
            product["id"]: product
            for product in render_products(
                session, brand_id, sorted({line.product_id for line in lines}), nested
            )
        }
        for line in rendered:
            line["product"] = products.get(line["product_id"])
    for receipt in by_id.values():
        receipt["receipt_products"] = []
    for line in rendered:
        by_id[line["receipt_id"]]["receipt_products"].append(line)


def list_receipts(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """A page of receipts; each receipt's own fields and payments rendered once per change to
    the brand's receipts and shared (copied only to add relations)."""
    page = fetch_page(session, SPEC, query, _BRAND_RECEIPTS, {"brand_id": brand_id})
    items = RECEIPT.rendered(session, brand_id, page.rows, _loader(session, brand_id))
    if not query.relations:
        return Page(items, page.total)
    copies = [dict(item) for item in items]
    return Page(_relate(session, brand_id, copies, query.relations), page.total)


def _loader(session: Session, brand_id: int) -> Callable[[list[int]], dict[int, dict[str, Any]]]:
    def load_ids(ids: list[int]) -> dict[int, dict[str, Any]]:
        rows = RECEIPT.rows(session, brand_id, ids)
        return _with_payments(session, brand_id, rows)

    return load_ids


def load(session: Session, brand_id: int, receipt_id: int) -> Receipt:
    receipt = session.get(Receipt, (brand_id, receipt_id))
    if receipt is None:
        raise _receipt_not_found()
    return receipt


def get_receipt(
    session: Session, brand_id: int, receipt_id: int, relations: Iterable[str] = ()
) -> dict[str, Any]:
    check_relations(relations, RELATIONS)
    return render(session, brand_id, [load(session, brand_id, receipt_id)], relations)[0]


def get_by_cid(
    session: Session, brand_id: int, cid: str, relations: Iterable[str] = ()
) -> dict[str, Any]:
    if not is_uuid(cid):
        raise bad_request("cid must be a UUID")
    check_relations(relations, RELATIONS)
    receipt = session.scalar(
        select(Receipt).where(Receipt.brand_id == brand_id, Receipt.cid == cid.lower())
    )
    if receipt is None:
        raise _receipt_not_found()
    return render(session, brand_id, [receipt], relations)[0]


def receipts_by_id(
    session: Session, brand_id: int, ids: Iterable[int], relations: Iterable[str] = ()
) -> dict[int, dict[str, Any]]:
    wanted = {receipt_id for receipt_id in ids if receipt_id is not None}
    if not wanted:
        return {}
    rows = list(
        session.scalars(select(Receipt).where(Receipt.brand_id == brand_id, Receipt.id.in_(wanted)))
    )
    return {item["id"]: item for item in render(session, brand_id, rows, relations)}


def stock_operations(session: Session, brand_id: int, receipt_id: int) -> list[dict[str, Any]]:
    load(session, brand_id, receipt_id)
    return stock.operations_of(session, brand_id, receipt_id)
