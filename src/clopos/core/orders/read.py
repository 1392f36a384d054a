"""Orders read: the list spec, an order's answer, a page of them (rendered once per change to
the brand's orders) and one by id, with the `customer` and `receipt` relations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session

from clopos.core.customers.service import CUSTOMER
from clopos.core.errors import not_found
from clopos.core.formats import iso
from clopos.core.listing import (
    ListSpec,
    Page,
    check_relations,
    equals_text,
    fetch_page,
    integers,
    one_of,
    relation_names,
)
from clopos.core.orders.statuses import STATUSES
from clopos.core.orders.table import Order
from clopos.core.query import ListQuery, Paging
from clopos.core.readmodel import ReadModel
from clopos.core.receipts import read as receipts
from clopos.core.receipts.kitchen import COOKING
from clopos.core.receipts.table import OPEN, Receipt
from clopos.schemas import orders as wire

SPEC = ListSpec(
    paging=Paging(maximum=100),
    id_column=Order.id,
    sorts={
        "created_at": Order.created_at,
        "updated_at": Order.updated_at,
        "id": Order.id,
        "status": Order.status,
    },
    filters={
        "id": integers(Order.id),
        "status": one_of(Order.status, STATUSES),
        "venue_id": integers(Order.venue_id),
        "sale_type_id": integers(Order.sale_type_id),
        "customer_id": integers(Order.customer_id),
        "integration_uuid": equals_text(Order.integration_uuid),
        "integration_id": equals_text(Order.integration_id),
    },
    named=frozenset({"status"}),
    relations=frozenset({"customer", "receipt"}),
    date_column=Order.created_at,
    default_sort=((Order.created_at, True),),
)
# The ids a page of orders is chosen from (a template for `fetch_page`).
_BRAND_ORDERS = select(Order.id).where(Order.brand_id == bindparam("brand_id"))
RESOURCE = Order.__tablename__


# An order's answer; `receipt` and `customer` only when asked for.
ORDER = ReadModel(
    Order,
    wire.Order,
    relations=("receipt", "customer"),
    # Kept for checks, filters and pricing; the answer carries them inside `payload`.
    hidden=(
        "sale_type_id",
        "customer_id",
        "order_number",
        "comment",
        "subtotal",
        "total_discount",
        "service_charge_value",
        "delivery_fee",
        "total",
        "accept_at",  # when the sandbox venue accepts it (order mode accept-after)
        "version",
    ),
    dates=iso,
)


def _relate(
    session: Session, brand_id: int, items: list[dict[str, Any]], relations: Iterable[str]
) -> list[dict[str, Any]]:
    names = relation_names(relations)
    if "receipt" in names:
        ids = (item["receipt_id"] for item in items if item["receipt_id"])
        found = receipts.receipts_by_id(session, brand_id, ids)
        for item in items:
            item["receipt"] = found.get(item["receipt_id"]) if item["receipt_id"] else None
    if "customer" in names:
        wanted = sorted({item["payload"].get("customer_id") for item in items} - {None})
        people = CUSTOMER.renders(session, brand_id, wanted) if wanted else {}
        for item in items:
            item["customer"] = people.get(item["payload"].get("customer_id") or 0)
    return items


def list_orders(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """A page of orders; each order's own fields rendered once per change to the brand's
    orders and shared (copied only to add relations)."""
    page = fetch_page(session, SPEC, query, _BRAND_ORDERS, {"brand_id": brand_id})
    items = ORDER.rendered(session, brand_id, page.rows)
    if not query.relations:
        return Page(items, page.total)
    copies = [dict(item) for item in items]
    return Page(_relate(session, brand_id, copies, query.relations), page.total)


def kitchen_counts(session: Session, brand_id: int, venue_id: int) -> dict[str, int]:
    """How many of the venue's accepted orders with an open receipt are still being made
    (`cooking`) and how many are ready to hand over (`ready`), by the receipt's kitchen
    status: counted by the database, whatever part of them a page shows."""
    rows = session.execute(
        select(Receipt.order_status, func.count())
        .select_from(Order)
        .join(Receipt, and_(Receipt.brand_id == Order.brand_id, Receipt.id == Order.receipt_id))
        .where(
            Order.brand_id == brand_id,
            Order.venue_id == venue_id,
            Order.status == "RECEIVED",
            Receipt.status == OPEN,
        )
        .group_by(Receipt.order_status)
    )
    counts = {"cooking": 0, "ready": 0}
    for status, count in rows:
        counts["cooking" if (status or "NEW") in COOKING else "ready"] += int(count)
    return counts


def load(session: Session, brand_id: int, order_id: int) -> Order:
    order = session.get(Order, (brand_id, order_id))
    if order is None:
        raise not_found("Order not found")
    return order


def get_order(
    session: Session, brand_id: int, order_id: int, relations: Iterable[str] = ()
) -> dict[str, Any]:
    check_relations(relations, SPEC.relations)
    order = dict(ORDER.render(load(session, brand_id, order_id)))
    return _relate(session, brand_id, [order], relations)[0]
