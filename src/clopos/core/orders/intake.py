"""Taking an order: a draft (from either body) checked against the brand's catalogue, the
venue, the sale type and the venue's stop list, priced by the server and stored; the
venue's order mode (or `auto_order_accept`) may accept or ignore it at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clopos.core.errors import Invalid
from clopos.core.orders.draft import OrderDraft
from clopos.core.orders.facts import (
    CUSTOMER,
    VENUE_SALE_TYPE_MODE,
    Checked,
    Row,
    at_venue,
    fill,
    modifiers_and_offers,
    products_and_stops,
    size_of,
    variants_of,
)
from clopos.core.orders.pricing import payload, priced, product_hash
from clopos.core.orders.read import ORDER, get_order
from clopos.core.orders.table import Order, OrderProduct
from clopos.core.receipts.venue_side import open_for_order
from clopos.core.sales.venues import active_at
from clopos.store.sequences import next_ids
from clopos.store.uow import connection_of, insert_rows, savepoint

SOLD = frozenset({"GOODS", "DISH", "TIMER", "MODIFICATION"})
_ORDERS: Table = Order.__table__  # type: ignore[assignment]
_LINES: Table = OrderProduct.__table__  # type: ignore[assignment]


def _invalid(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


def _existing(session: Session, brand_id: int, integration_uuid: str | None) -> Order | None:
    if integration_uuid is None:
        return None
    return session.scalar(
        select(Order).where(Order.brand_id == brand_id, Order.integration_uuid == integration_uuid)
    )


def check(session: Session, brand_id: int, request_venue: int, draft: OrderDraft) -> Checked:
    """Everything the order names exists in the brand and may be sold at the venue now."""
    connection = connection_of(session)
    venue = VENUE_SALE_TYPE_MODE.first(
        connection,
        {"brand_id": brand_id, "venue_id": draft.venue_id, "sale_type_id": draft.sale_type_id},
    )
    if venue is None:
        raise _invalid("The selected venue_id is invalid.")
    if draft.venue_id != request_venue:
        raise _invalid(
            f"venue_id {draft.venue_id} is not the venue of this request ({request_venue}); "
            "send x-venue to order for another venue"
        )
    if venue.sale_type_id is None or venue.sale_type_deleted_at is not None:
        raise _invalid("The selected sale_type_id is invalid.")
    if not active_at(venue.sale_type_status, draft.venue_id):
        raise _invalid(f"Sale type {venue.sale_type_name} is not available at this venue")
    if draft.customer_id is not None:
        customer = CUSTOMER.first(connection, {"brand_id": brand_id, "id": draft.customer_id})
        if customer is None or customer.deleted_at is not None:
            raise _invalid("The selected customer_id is invalid.")
    wanted = sorted({line.product_id for line in draft.lines})
    size = size_of(len(wanted))
    products = {
        row.id: row
        for row in products_and_stops(size).rows(
            connection,
            {"brand_id": brand_id, "venue_id": draft.venue_id, **fill("p", wanted, size)},
        )
    }
    for line in draft.lines:
        product = products.get(line.product_id)
        if product is None or product.deleted_at is not None:
            raise _invalid(f"The selected products.{line.where}.product_id is invalid.")
        if product.type not in SOLD:
            raise _invalid(f"Product {product.name} ({product.type}) is not sold")
        if product.has_variants:
            raise _invalid(_order_a_variant(connection, brand_id, line.where, product))
        if at_venue(product, draft.venue_id)[1] != 1:
            raise _invalid(f"Product {product.name} is not available")
    _check_stop_list(draft, products)
    modifier_ids = sorted({m.modifier_id for line in draft.lines for m in line.modifiers})
    modifiers: dict[int, Row] = {}
    offered: set[tuple[int, int]] = set()
    if modifier_ids:
        modifiers_size = size_of(len(modifier_ids))
        for row in modifiers_and_offers(modifiers_size, size).rows(
            connection,
            {
                "brand_id": brand_id,
                **fill("m", modifier_ids, modifiers_size),
                **fill("p", wanted, size),
            },
        ):
            modifiers[row.id] = row
            if row.offered_for is not None:
                offered.add((row.offered_for, row.group_id))
    for line in draft.lines:
        for item in line.modifiers:
            modifier = modifiers.get(item.modifier_id)
            if modifier is None or modifier.deleted_at is not None:
                raise _invalid(f"The selected products.{item.where}.modifier_id is invalid.")
            if (line.product_id, modifier.group_id) not in offered:
                raise _invalid(
                    f"Modifier {modifier.name} is not offered for {products[line.product_id].name}"
                )
    return Checked(
        venue.name, venue, products, modifiers, venue.mode or "manual", venue.accept_after_seconds
    )


def _order_a_variant(connection: Any, brand_id: int, where: str, product: Row) -> str:
    """The refusal of a product that has variants, naming them: only a variant is sold (the
    parent's own price, often 0, is not a price)."""
    named = ", ".join(
        f"{variant.name} (id {variant.id}, {variant.price:.2f})"
        for variant in variants_of(connection, brand_id, product.id)
    )
    return (
        f"products.{where}: product {product.name} (id {product.id}) has variants and is not "
        f"sold itself; order one of its variants by its id: {named}"
    )


def _check_stop_list(draft: OrderDraft, products: dict[int, Row]) -> None:
    asked: dict[int, int] = {}
    for line in draft.lines:
        asked[line.product_id] = asked.get(line.product_id, 0) + line.count
    for product_id, count in asked.items():
        product = products[product_id]
        limit = product.stop_limit
        if limit is None:
            continue
        if limit == 0:
            raise _invalid(f"Product {product.name} is on the stop list (out of stock)")
        if count > limit:
            raise _invalid(
                f"Only {limit} of product {product.name} left (stop list); {count} ordered"
            )


def create_order(
    session: Session, brand_id: int, request_venue: int, draft: OrderDraft
) -> tuple[dict[str, Any], bool]:
    """Check, price and store an order (answering it, and whether it is new). A repeated
    `integration_uuid` answers the brand's existing order instead. The venue's order mode
    (or `auto_order_accept`) may accept or ignore it at once.

    The order and its lines are inserted with Core statements (`insert_rows`), not the ORM:
    this is the API's busiest write, and the ORM's flush cost more than the rest of it."""
    existing = _existing(session, brand_id, draft.integration_uuid)
    if existing is not None:
        return get_order(session, brand_id, existing.id), False
    checked = check(session, brand_id, request_venue, draft)
    lines, figures = priced(draft, checked)
    accept = draft.auto_order_accept or checked.mode == "accept"
    row: dict[str, Any] = {
        "brand_id": brand_id,
        "id": next_ids(session, brand_id, "orders"),
        "venue_id": draft.venue_id,
        "sale_type_id": draft.sale_type_id,
        "customer_id": draft.customer_id,
        "integration_uuid": draft.integration_uuid,
        "integration_id": draft.integration_id,
        "customer_ref_id": draft.customer_ref_id,
        "order_number": draft.order_number,
        "comment": draft.comment,
        "subtotal": figures.subtotal,
        "total_discount": figures.total_discount,
        "service_charge_value": figures.service_charge_value,
        "delivery_fee": figures.delivery_fee,
        "total": figures.total,
        "payload": payload(draft, checked, lines, figures),
    }
    if accept:  # inserted received, with the id of the receipt opened for it below
        row["status"] = "RECEIVED"
        row["receipt_id"] = next_ids(session, brand_id, "receipts")
    elif checked.mode == "ignore":
        row["status"] = "IGNORE"
    elif checked.mode == "accept-after":
        delay = timedelta(seconds=checked.accept_after_seconds or 0)
        row["accept_at"] = datetime.now(UTC) + delay
    if draft.integration_uuid is None:
        (order,) = insert_rows(session, _ORDERS, [row])
    else:
        try:
            with savepoint(session):  # a concurrent repeat of the uuid loses here
                (order,) = insert_rows(session, _ORDERS, [row])
        except IntegrityError:
            existing = _existing(session, brand_id, draft.integration_uuid)
            if existing is None:
                raise
            return get_order(session, brand_id, existing.id), False
    first = next_ids(session, brand_id, "order_products", len(lines))
    inserted = insert_rows(
        session,
        _LINES,
        [
            {
                "brand_id": brand_id,
                "id": first + offset,
                "order_id": order["id"],
                "product_id": line.product_id,
                "name": checked.products[line.product_id].name,
                "count": line.count,
                "portion_size": line.portion_size,
                "price": price,
                "total": total,
                "status": line.status,
                "product_hash": line.product_hash or product_hash(line),
                "note": line.note,
                "modifiers": mods,
            }
            for offset, (line, price, total, mods) in enumerate(lines)
        ],
    )
    stored = SimpleNamespace(**order)
    if accept:  # as the venue accepts it later (life.accept), from what is in hand
        lines_in_hand = [SimpleNamespace(**line) for line in inserted]
        open_for_order(
            session, brand_id, stored, lines_in_hand, checked.products, order["receipt_id"]
        )
    return ORDER.render(stored), True
