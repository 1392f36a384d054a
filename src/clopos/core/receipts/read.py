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
from clopos.core.formats import is_uuid, plain
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
from clopos.core.rendered import rendered as cached_rows
from clopos.core.rendered import rendered_json

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


def serialise(receipt: Receipt) -> dict[str, Any]:
    return {
        "id": receipt.id,
        "venue_id": receipt.venue_id,
        "cid": receipt.cid,
        "user_id": receipt.user_id,
        "terminal_id": receipt.terminal_id,
        "service_notification_id": receipt.order_id,
        "customer_id": receipt.customer_id,
        "sale_type_id": receipt.sale_type_id,
        "source": receipt.source,
        "guests": receipt.guests,
        "status": receipt.status,
        "order_status": receipt.order_status,
        "order_number": receipt.order_number,
        "lock": receipt.lock,
        "total": receipt.total,
        "subtotal": receipt.subtotal,
        "original_subtotal": receipt.original_subtotal,
        "gift_total": receipt.gift_total,
        "discount_type": receipt.discount_type,
        "discount_value": receipt.discount_value,
        "discount_rate": receipt.discount_rate,
        "total_discount": receipt.total_discount,
        "service_charge": receipt.service_charge,
        "service_charge_value": receipt.service_charge_value,
        "delivery_fee": receipt.delivery_fee,
        "remaining": receipt.remaining,
        "by_cash": receipt.by_cash,
        "by_card": receipt.by_card,
        "i_tax": receipt.i_tax,
        "e_tax": receipt.e_tax,
        "total_tax": receipt.total_tax,
        "payment_methods": [],
        "fiscal_id": receipt.fiscal_id,
        "loyalty_type": receipt.loyalty_type,
        "loyalty_value": receipt.loyalty_value,
        "address": receipt.address,
        "description": receipt.description,
        "meta": receipt.meta,
        "created_at": plain(receipt.created_at),
        "updated_at": plain(receipt.updated_at),
        "closed_at": plain(receipt.closed_at),
        "shift_date": receipt.created_at.astimezone(UTC).date().isoformat(),
        "deleted_at": None,
    }


def _line(line: ReceiptProduct) -> dict[str, Any]:
    return {
        "id": line.id,
        "cid": line.cid,
        "receipt_id": line.receipt_id,
        "product_id": line.product_id,
        "count": line.count,
        "portion_size": line.portion_size,
        "price": line.price,
        "subtotal": line.subtotal,
        "total": line.total,
        "cost": line.cost,
        "is_gift": line.is_gift,
        "discount_type": line.discount_type,
        "discount_value": line.discount_value,
        "discount_rate": line.discount_rate,
        "total_discount": line.total_discount,
        "receipt_discount": line.receipt_discount,
        "loyalty_type": line.loyalty_type,
        "loyalty_value": line.loyalty_value,
        "product_hash": line.product_hash,
        "meta": line.meta,
        "created_at": plain(line.created_at),
        "updated_at": plain(line.updated_at),
    }


def _modificator(item: ReceiptProductModifier) -> dict[str, Any]:
    return {
        "id": item.id,
        "receipt_id": item.receipt_id,
        "receipt_product_id": item.receipt_product_id,
        "modificator_id": item.modifier_id,
        "name": item.name,
        "count": item.count,
        "portion_size": item.portion_size,
        "price": item.price,
        "total": item.total,
    }


def _with_payments(
    session: Session, brand_id: int, receipts: Sequence[Receipt]
) -> dict[int, dict[str, Any]]:
    """Receipts' own fields and payments (payments change only with their receipt)."""
    by_id = {receipt.id: serialise(receipt) for receipt in receipts}
    if by_id:
        for payment in session.scalars(
            select(ReceiptPayment)
            .where(ReceiptPayment.brand_id == brand_id, ReceiptPayment.receipt_id.in_(by_id))
            .order_by(ReceiptPayment.id)
        ):
            by_id[payment.receipt_id]["payment_methods"].append(
                {"id": payment.payment_method_id, "name": payment.name, "amount": payment.amount}
            )
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
    rendered = [_line(line) for line in lines]
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
            groups = {
                modifier_id: {
                    "id": group.id,
                    "name": group.name,
                    "type": group.type,
                    "min_select": group.min_select,
                    "max_select": group.max_select,
                }
                for modifier_id, group in rows
            }
        for item in items:
            entry = _modificator(item)
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


def list_receipts(
    session: Session, brand_id: int, query: ListQuery, *, as_json: bool = False
) -> Page[Any]:
    """A page of receipts; each receipt's own fields and payments rendered once per change to
    the brand's receipts. `as_json` (the API's answer): a page without relations as each
    receipt's JSON, made once with its render."""
    page = fetch_page(session, SPEC, query, _BRAND_RECEIPTS, {"brand_id": brand_id})
    render = _loader(session, brand_id)
    if as_json and not query.relations:
        return Page(rendered_json(session, RESOURCE, brand_id, page.rows, render), page.total)
    items = cached_rows(session, RESOURCE, brand_id, page.rows, render)
    return Page(_relate(session, brand_id, items, query.relations), page.total)


def _loader(session: Session, brand_id: int) -> Callable[[list[int]], dict[int, dict[str, Any]]]:
    def load_ids(ids: list[int]) -> dict[int, dict[str, Any]]:
        rows = session.scalars(
            select(Receipt).where(Receipt.brand_id == brand_id, Receipt.id.in_(ids))
        )
        return _with_payments(session, brand_id, list(rows))

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
