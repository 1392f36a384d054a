"""Orders: creation from either body (checked against the brand's catalogue, venue, sale
type and stop list, and priced by the server), listing, lookup, and their life:
PENDING -> RECEIVED (the venue accepts; an open receipt is created) or IGNORE; RECEIVED ->
DELIVERED when the receipt is closed.

How the sandbox venue answers new orders is its order mode: `manual` (the operator accepts
or ignores: CLI or operator API), `accept`, `ignore`, or `accept-after` N seconds (the
server accepts due orders in the background, see `accept_due`).
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clopos.core.customers import service as customers
from clopos.core.customers.table import Customer
from clopos.core.errors import Conflict, Invalid, conflict, not_found
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
from clopos.core.orders.table import (
    ORDER_MODES,
    STATUSES,
    Order,
    OrderProduct,
    VenueOrderMode,
)
from clopos.core.products import venues
from clopos.core.products.table import Modifier, Product, ProductModifierGroup
from clopos.core.query import ListQuery, Paging
from clopos.core.receipts import service as receipts
from clopos.core.receipts.pricing import money, totals
from clopos.core.rendered import rendered, rendered_json
from clopos.core.sales.table import SaleType
from clopos.core.stop_list.table import StopListEntry
from clopos.core.venues.table import Venue
from clopos.schemas.orders import CustomerIn, OrderCreateV1, OrderCreateV2
from clopos.store.direct import Direct
from clopos.store.sequences import next_ids
from clopos.store.uow import connection_of, insert_rows, savepoint

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
SOLD = frozenset({"GOODS", "DISH", "TIMER", "MODIFICATION"})
RESOURCE = Order.__tablename__


def _invalid(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


# --- the two bodies, as one draft ---------------------------------------------------------


@dataclass
class ModifierDraft:
    modifier_id: int
    count: int
    portion_size: float = 1
    where: str = ""


@dataclass
class LineDraft:
    product_id: int
    count: int
    portion_size: float = 1
    status: str = "new"
    product_hash: str | None = None
    note: str | None = None
    modifiers: list[ModifierDraft] = field(default_factory=list)
    where: str = ""


@dataclass
class OrderDraft:
    """What either body of `POST /orders` asks for."""

    venue_id: int
    sale_type_id: int
    lines: list[LineDraft]
    customer_id: int | None = None
    customer: dict[str, Any] = field(default_factory=dict)
    sale_type_name: str | None = None
    venue_name: str | None = None
    comment: str | None = None
    discount_type: int = 0
    discount_value: float = 0
    service_charge: bool = False
    service_charge_value: float = 0
    customer_discount_type: int | None = None
    delivery_fee: float = 0
    order_number: str | None = None
    auto_order_accept: bool = False
    auto_order_sent_to_station: bool = False
    auto_accept_terminal: int | None = None
    integration_uuid: str | None = None
    integration_id: str | None = None
    customer_ref_id: str | None = None


def _customer(customer: CustomerIn | None) -> dict[str, Any]:
    if customer is None:
        return {}
    return customer.model_dump(include={"id", "phone", "address", "customer_discount_type", "name"})


def draft_v2(body: OrderCreateV2) -> OrderDraft:
    discount = body.discount
    charge = body.service_charge
    return OrderDraft(
        venue_id=body.venue_id,
        sale_type_id=body.sale_type_id,
        lines=[
            LineDraft(
                product_id=p.product_id,
                count=p.count,
                portion_size=p.portion_size,
                status=p.status,
                product_hash=p.product_hash,
                note=p.note,
                modifiers=[
                    ModifierDraft(m.modifier_id, m.count, m.portion_size, f"{i}.modifiers.{j}")
                    for j, m in enumerate(p.modifiers)
                ],
                where=str(i),
            )
            for i, p in enumerate(body.products)
        ],
        customer_id=body.customer.id,
        customer=_customer(body.customer),
        comment=body.comment,
        discount_type=discount.discount_type if discount else 0,
        discount_value=discount.discount_value if discount else 0,
        service_charge=charge.enabled if charge else False,
        service_charge_value=charge.value if charge else 0,
        customer_discount_type=body.customer.customer_discount_type,
        delivery_fee=body.delivery_fee,
        order_number=body.order_number,
        auto_order_accept=body.auto_order_accept,
        auto_order_sent_to_station=body.auto_order_sent_to_station,
        auto_accept_terminal=body.auto_accept_terminal,
        integration_uuid=body.integration_uuid,
        integration_id=body.integration_id,
        customer_ref_id=body.customer_ref_id,
    )


def draft_v1(body: OrderCreateV1) -> OrderDraft:
    payload = body.payload
    meta = payload.meta or body.meta
    discount = meta.discount if meta else None
    customer = _customer(payload.customer)
    customer.setdefault("id", body.customer_id)
    if customer.get("id") is None:
        customer["id"] = body.customer_id
    return OrderDraft(
        venue_id=payload.service.venue_id,
        sale_type_id=payload.service.sale_type_id,
        sale_type_name=payload.service.sale_type_name,
        venue_name=payload.service.venue_name,
        lines=[
            LineDraft(
                product_id=p.product_id,
                count=p.count,
                portion_size=p.portion_size,
                status=str(((p.meta or {}).get("order_product") or {}).get("status") or "new"),
                product_hash=((p.meta or {}).get("order_product") or {}).get("product_hash"),
                note=p.note,
                modifiers=[
                    ModifierDraft(m.modificator_id, m.count, 1, f"{i}.product_modificators.{j}")
                    for j, m in enumerate(p.product_modificators)
                ],
                where=str(i),
            )
            for i, p in enumerate(payload.products)
        ],
        customer_id=body.customer_id,
        customer=customer,
        comment=meta.comment if meta else None,
        discount_type=discount.discount_type if discount else 0,
        discount_value=discount.discount_value if discount else 0,
        service_charge=meta.apply_service_charge if meta else False,
        service_charge_value=meta.service_charge_value if meta else 0,
        customer_discount_type=meta.customer_discount_type if meta else None,
        delivery_fee=payload.delivery_fee,
        order_number=payload.order_number,
        auto_order_accept=payload.auto_order_accept,
        auto_order_sent_to_station=payload.auto_order_sent_to_station,
        auto_accept_terminal=payload.auto_accept_terminal,
        integration_uuid=body.integration_uuid,
        integration_id=body.integration_id,
        customer_ref_id=body.customer_ref_id,
    )


# --- reading ------------------------------------------------------------------------------


def serialise(order: Order | SimpleNamespace) -> dict[str, Any]:
    """An order's answer, from its ORM object or its inserted row (as attributes)."""
    return {
        "id": order.id,
        "venue_id": order.venue_id,
        "type": order.type,
        "integration": order.integration,
        "integration_uuid": order.integration_uuid,
        "integration_id": order.integration_id,
        "customer_ref_id": order.customer_ref_id,
        "integration_status": order.integration_status,
        "status": order.status,
        "payload": order.payload,
        "receipt_id": order.receipt_id,
        "created_at": iso(order.created_at),
        "updated_at": iso(order.updated_at),
        "integration_response": order.integration_response,
    }


def _rendered(session: Session, brand_id: int, ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = session.scalars(select(Order).where(Order.brand_id == brand_id, Order.id.in_(ids)))
    return {order.id: serialise(order) for order in rows}


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
        wanted = {item["payload"].get("customer_id") for item in items} - {None}
        rows: Iterable[Customer] = (
            session.scalars(
                select(Customer).where(Customer.brand_id == brand_id, Customer.id.in_(wanted))
            )
            if wanted
            else []
        )
        people = {c.id: customers.serialise(c) for c in rows}
        for item in items:
            item["customer"] = people.get(item["payload"].get("customer_id") or 0)
    return items


def _render(
    session: Session, brand_id: int, orders: Sequence[Order], relations: Iterable[str]
) -> list[dict[str, Any]]:
    return _relate(session, brand_id, [serialise(order) for order in orders], relations)


def list_orders(
    session: Session, brand_id: int, query: ListQuery, *, as_json: bool = False
) -> Page[Any]:
    """A page of orders; each order's own fields rendered once per change to the brand's
    orders. `as_json` (the API's answer): a page without relations as each order's JSON,
    made once with its render."""
    page = fetch_page(session, SPEC, query, _BRAND_ORDERS, {"brand_id": brand_id})

    def render(ids: list[int]) -> dict[int, dict[str, Any]]:
        return _rendered(session, brand_id, ids)

    if as_json and not query.relations:
        return Page(rendered_json(session, RESOURCE, brand_id, page.rows, render), page.total)
    items = rendered(session, RESOURCE, brand_id, page.rows, render)
    return Page(_relate(session, brand_id, items, query.relations), page.total)


def _load(session: Session, brand_id: int, order_id: int) -> Order:
    order = session.get(Order, (brand_id, order_id))
    if order is None:
        raise not_found("Order not found")
    return order


def get_order(
    session: Session, brand_id: int, order_id: int, relations: Iterable[str] = ()
) -> dict[str, Any]:
    check_relations(relations, SPEC.relations)
    return _render(session, brand_id, [_load(session, brand_id, order_id)], relations)[0]


# --- creating -----------------------------------------------------------------------------


def _existing(session: Session, brand_id: int, integration_uuid: str | None) -> Order | None:
    if integration_uuid is None:
        return None
    return session.scalar(
        select(Order).where(Order.brand_id == brand_id, Order.integration_uuid == integration_uuid)
    )


def _product_hash(line: LineDraft) -> str:
    """The reference's example hash decodes to `11187,11201` for product 1 with modificators
    187 and 201: product id, count, modificator id per modificator (inferred)."""
    parts = [f"{line.product_id}{m.count}{m.modifier_id}" for m in line.modifiers]
    text = ",".join(parts) or str(line.product_id)
    return base64.b64encode(text.encode()).decode()


# The catalogue facts an order is checked and priced against, read with statements compiled
# once and run on the driver (store/direct.py): the ORM's loading, and then SQLAlchemy's
# execution, cost several times the statements themselves on this, the busiest write
# (docs/performance.md). One statement each for the venue (with its sale type
# and order mode), the products (with the venue's stop list) and the modifiers (with the
# ordered products offering their groups).
_VENUES: Table = Venue.__table__  # type: ignore[assignment]
_SALE_TYPES: Table = SaleType.__table__  # type: ignore[assignment]
_MODES: Table = VenueOrderMode.__table__  # type: ignore[assignment]
_PRODUCTS: Table = Product.__table__  # type: ignore[assignment]
_STOPS: Table = StopListEntry.__table__  # type: ignore[assignment]
_MODIFIERS: Table = Modifier.__table__  # type: ignore[assignment]
_OFFERS: Table = ProductModifierGroup.__table__  # type: ignore[assignment]
_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_ORDERS: Table = Order.__table__  # type: ignore[assignment]
_LINES: Table = OrderProduct.__table__  # type: ignore[assignment]

_VENUE_SALE_TYPE_MODE = Direct(
    select(
        _VENUES.c.name,
        _SALE_TYPES.c.id.label("sale_type_id"),
        _SALE_TYPES.c.name.label("sale_type_name"),
        _SALE_TYPES.c.status.label("sale_type_status"),
        _SALE_TYPES.c.deleted_at.label("sale_type_deleted_at"),
        _SALE_TYPES.c.service_charge_rate,
        _MODES.c.mode,
        _MODES.c.accept_after_seconds,
    )
    .select_from(_VENUES)
    .outerjoin(
        _SALE_TYPES,
        (_SALE_TYPES.c.brand_id == _VENUES.c.brand_id)
        & (_SALE_TYPES.c.id == bindparam("sale_type_id")),
    )
    .outerjoin(
        _MODES, (_MODES.c.brand_id == _VENUES.c.brand_id) & (_MODES.c.venue_id == _VENUES.c.id)
    )
    .where(_VENUES.c.brand_id == bindparam("brand_id"), _VENUES.c.id == bindparam("venue_id"))
)


def _size(count: int) -> int:
    """A list's size rounded up to a power of two: an `IN` list of that many parameters is
    built and compiled once, where SQLAlchemy's expanding parameters render the statement
    again at every execution (a tenth of the writer's time on order creation)."""
    return 1 << max(count - 1, 0).bit_length()


def _in(column: Any, name: str, size: int) -> Any:
    return column.in_([bindparam(f"{name}{index}") for index in range(size)])


def _fill(name: str, ids: Sequence[int], size: int) -> dict[str, int]:
    """The parameters of `_in(..., name, size)`: `ids`, the last repeated up to `size` (no
    ids: 0, which no row has)."""
    padded = [*ids, *[ids[-1] if ids else 0] * (size - len(ids))]
    return {f"{name}{index}": value for index, value in enumerate(padded)}


@functools.cache
def _products_and_stops(size: int) -> Direct:
    return Direct(
        select(
            _PRODUCTS.c.id,
            _PRODUCTS.c.name,
            _PRODUCTS.c.price,
            _PRODUCTS.c.type,
            _PRODUCTS.c.status,
            _PRODUCTS.c.deleted_at,
            _PRODUCTS.c.category_id,
            _PRODUCTS.c.station_id,
            _PRODUCTS.c.venues,
            _STOPS.c.limit.label("stop_limit"),
        )
        .select_from(_PRODUCTS)
        .outerjoin(
            _STOPS,
            (_STOPS.c.brand_id == _PRODUCTS.c.brand_id)
            & (_STOPS.c.venue_id == bindparam("venue_id"))  # each venue has its own stop list
            & (_STOPS.c.product_id == _PRODUCTS.c.id),
        )
        .where(_PRODUCTS.c.brand_id == bindparam("brand_id"), _in(_PRODUCTS.c.id, "p", size))
    )


@functools.cache
def _modifiers_and_offers(size: int, products: int) -> Direct:
    return Direct(
        select(
            _MODIFIERS.c.id,
            _MODIFIERS.c.name,
            _MODIFIERS.c.price,
            _MODIFIERS.c.group_id,
            _MODIFIERS.c.deleted_at,
            _OFFERS.c.product_id.label("offered_for"),
        )
        .select_from(_MODIFIERS)
        .outerjoin(
            _OFFERS,
            (_OFFERS.c.brand_id == _MODIFIERS.c.brand_id)
            & (_OFFERS.c.modifier_group_id == _MODIFIERS.c.group_id)
            & _in(_OFFERS.c.product_id, "p", products),
        )
        .where(_MODIFIERS.c.brand_id == bindparam("brand_id"), _in(_MODIFIERS.c.id, "m", size))
    )


# A row of one of these statements, read by its columns' names.
_Row = Any
_CUSTOMER = Direct(
    select(_CUSTOMERS.c.deleted_at).where(
        _CUSTOMERS.c.brand_id == bindparam("brand_id"), _CUSTOMERS.c.id == bindparam("id")
    )
)


@dataclass
class _Checked:
    venue_name: str
    sale_type: _Row  # sale_type_id, sale_type_name, service_charge_rate ...
    products: dict[int, _Row]  # id, name, price, type, category_id, station_id ...
    modifiers: dict[int, _Row]  # id, name, price, group_id ...
    mode: str  # the venue's order mode
    accept_after_seconds: int | None


def _check(session: Session, brand_id: int, request_venue: int, draft: OrderDraft) -> _Checked:
    """Everything the order names exists in the brand and may be sold at the venue now."""
    connection = connection_of(session)
    venue = _VENUE_SALE_TYPE_MODE.first(
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
    if not receipts.active_at(venue.sale_type_status, draft.venue_id):
        raise _invalid(f"Sale type {venue.sale_type_name} is not available at this venue")
    if draft.customer_id is not None:
        customer = _CUSTOMER.first(connection, {"brand_id": brand_id, "id": draft.customer_id})
        if customer is None or customer.deleted_at is not None:
            raise _invalid("The selected customer_id is invalid.")
    wanted = sorted({line.product_id for line in draft.lines})
    size = _size(len(wanted))
    products = {
        row.id: row
        for row in _products_and_stops(size).rows(
            connection,
            {"brand_id": brand_id, "venue_id": draft.venue_id, **_fill("p", wanted, size)},
        )
    }
    for line in draft.lines:
        product = products.get(line.product_id)
        if product is None or product.deleted_at is not None:
            raise _invalid(f"The selected products.{line.where}.product_id is invalid.")
        if product.type not in SOLD:
            raise _invalid(f"Product {product.name} ({product.type}) is not sold")
        if at_venue(product, draft.venue_id)[1] != 1:
            raise _invalid(f"Product {product.name} is not available")
    _check_stop_list(draft, products)
    modifier_ids = sorted({m.modifier_id for line in draft.lines for m in line.modifiers})
    modifiers: dict[int, _Row] = {}
    offered: set[tuple[int, int]] = set()
    if modifier_ids:
        modifiers_size = _size(len(modifier_ids))
        for row in _modifiers_and_offers(modifiers_size, size).rows(
            connection,
            {
                "brand_id": brand_id,
                **_fill("m", modifier_ids, modifiers_size),
                **_fill("p", wanted, size),
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
    return _Checked(
        venue.name, venue, products, modifiers, venue.mode or "manual", venue.accept_after_seconds
    )


def at_venue(product: _Row, venue_id: int) -> tuple[float, int]:
    """A catalogue row's price and status at the order's venue."""
    return venues.at_venue(product.price, product.status, product.venues, venue_id)


def _check_stop_list(draft: OrderDraft, products: dict[int, _Row]) -> None:
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


def _price(
    draft: OrderDraft, checked: _Checked
) -> tuple[list[tuple[LineDraft, float, float, list[dict[str, Any]]]], Any]:
    """Each line at the catalogue's prices, and the order's totals."""
    lines = []
    for line in draft.lines:
        product = checked.products[line.product_id]
        mods: list[dict[str, Any]] = []
        for item in line.modifiers:
            modifier = checked.modifiers[item.modifier_id]
            mods.append(
                {
                    "modifier_id": modifier.id,
                    "name": modifier.name,
                    "count": item.count,
                    "price": modifier.price,
                    "portion_size": item.portion_size,
                }
            )
        price = at_venue(product, draft.venue_id)[0]
        base = price * line.count * line.portion_size
        extras = sum(m["price"] * m["count"] * line.count for m in mods)
        lines.append((line, price, money(base + extras), mods))
    rate = 0.0
    if draft.service_charge:
        rate = draft.service_charge_value or checked.sale_type.service_charge_rate or 0.0
    figures = totals(
        sum(total for _, _, total, _ in lines),
        discount_type=draft.discount_type,
        discount_value=draft.discount_value,
        service_rate=rate,
        delivery_fee=draft.delivery_fee,
    )
    return lines, figures


def _payload(
    draft: OrderDraft,
    checked: _Checked,
    lines: list[tuple[LineDraft, float, float, list[dict[str, Any]]]],
    figures: Any,
) -> dict[str, Any]:
    """The stored payload: the v1 shape the reference's GET shows, priced by the server."""
    products = []
    for line, price, _, mods in lines:
        product = checked.products[line.product_id]
        modificators = [
            {
                "modificator_id": m["modifier_id"],
                "count": m["count"],
                "name": m["name"],
                "price": m["price"],
                "portion_size": m["portion_size"],
            }
            for m in mods
        ]
        products.append(
            {
                "product_id": line.product_id,
                "count": line.count,
                "product_modificators": modificators,
                "portion_size": line.portion_size,
                "note": line.note,
                "meta": {
                    "price": price,
                    "order_product": {
                        "count": line.count,
                        "status": line.status,
                        "product_modificators": modificators,
                        "product_hash": line.product_hash or _product_hash(line),
                        "product": {
                            "id": product.id,
                            "name": product.name,
                            "price": price,  # at this venue, as the line was priced
                            "category_id": product.category_id,
                            "station_id": product.station_id,
                        },
                    },
                },
            }
        )
    customer = {**draft.customer}
    customer.setdefault("customer_discount_type", draft.customer_discount_type)
    return {
        "auto_order_accept": draft.auto_order_accept,
        "auto_order_sent_to_station": draft.auto_order_sent_to_station,
        "auto_accept_terminal": draft.auto_accept_terminal,
        "delivery_fee": figures.delivery_fee,
        "order_number": draft.order_number,
        "service": {
            "sale_type_id": draft.sale_type_id,
            "venue_id": draft.venue_id,
            "sale_type_name": draft.sale_type_name or checked.sale_type.sale_type_name,
            "venue_name": draft.venue_name or checked.venue_name,
        },
        "customer": customer,
        "products": products,
        "meta": {
            "comment": draft.comment,
            "discount": {
                "discount_type": draft.discount_type,
                "discount_value": draft.discount_value,
            },
            "apply_service_charge": draft.service_charge,
            "customer_discount_type": draft.customer_discount_type,
            "service_charge_value": figures.service_charge,
            "orderTotal": f"{figures.total:.4f}",
            "subtotal": figures.subtotal,
            "total_discount": figures.total_discount,
            "service_charge_amount": figures.service_charge_value,
        },
        "customer_id": draft.customer_id,
        "sale_type_id": draft.sale_type_id,
    }


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
    checked = _check(session, brand_id, request_venue, draft)
    lines, figures = _price(draft, checked)
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
        "payload": _payload(draft, checked, lines, figures),
    }
    if not accept and checked.mode == "ignore":
        row["status"] = "IGNORE"
    elif not accept and checked.mode == "accept-after":
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
    insert_rows(
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
                "product_hash": line.product_hash or _product_hash(line),
                "note": line.note,
                "modifiers": mods,
            }
            for offset, (line, price, total, mods) in enumerate(lines)
        ],
    )
    if accept:
        accepted = _load(session, brand_id, order["id"])
        _accept(session, accepted)
        return serialise(accepted), True
    return serialise(SimpleNamespace(**order)), True


# --- the order's life ---------------------------------------------------------------------


def _saved(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise conflict(
            "The order was changed by another request at the same time; read it again",
            "conflict",
        ) from None


def _accept(session: Session, order: Order) -> None:
    lines = list(
        session.scalars(
            select(OrderProduct)
            .where(OrderProduct.brand_id == order.brand_id, OrderProduct.order_id == order.id)
            .order_by(OrderProduct.id)
        )
    )
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(
                Product.brand_id == order.brand_id,
                Product.id.in_({line.product_id for line in lines}),
            )
        )
    }
    order.status = "RECEIVED"
    order.accept_at = None
    order.updated_at = datetime.now(UTC)
    _saved(session)  # the version check first: a concurrent accept or ignore stops here
    receipt = receipts.open_for_order(session, order.brand_id, order, lines, products)
    order.receipt_id = receipt.id
    _saved(session)


def accept_order(session: Session, brand_id: int, order_id: int) -> dict[str, Any]:
    """The venue accepts a PENDING order: it becomes RECEIVED and gets an open receipt."""
    order = _load(session, brand_id, order_id)
    if order.status != "PENDING":
        raise conflict(f"Order {order_id} is {order.status}, not PENDING", "invalid_transition")
    _accept(session, order)
    return get_order(session, brand_id, order_id, ("receipt",))


def ignore_order(session: Session, brand_id: int, order_id: int) -> dict[str, Any]:
    """The venue (or the integrator, `PUT /orders/{id}`) declines a PENDING order."""
    order = _load(session, brand_id, order_id)
    if order.status == "IGNORE":
        return get_order(session, brand_id, order_id)
    if order.status != "PENDING":
        raise conflict(f"Order {order_id} is {order.status}, not PENDING", "invalid_transition")
    order.status = "IGNORE"
    order.accept_at = None
    order.updated_at = datetime.now(UTC)
    _saved(session)
    return get_order(session, brand_id, order_id)


def update_order(session: Session, brand_id: int, order_id: int, status: str) -> dict[str, Any]:
    """`PUT /orders/{id}`: only IGNORE is supported."""
    _load(session, brand_id, order_id)
    if status != "IGNORE":
        raise _invalid("Status is not allowed")
    return ignore_order(session, brand_id, order_id)


def due_orders(session: Session, now: datetime) -> list[tuple[int, int]]:
    """`(brand_id, order_id)` of PENDING orders whose venue's delay has passed."""
    rows = session.execute(
        select(Order.brand_id, Order.id)
        .where(Order.accept_at.is_not(None), Order.accept_at <= now, Order.status == "PENDING")
        .order_by(Order.accept_at)
        .limit(100)
    )
    return [(brand_id, order_id) for brand_id, order_id in rows]


def accept_due(session: Session, due: list[tuple[int, int]]) -> int:
    """Accept the `due` orders still PENDING; answers how many were accepted."""
    accepted = 0
    for brand_id, order_id in due:
        order = session.get(Order, (brand_id, order_id))
        if order is None or order.status != "PENDING":
            continue
        try:
            with session.begin_nested():  # another server (or the operator) got there first
                _accept(session, order)
        except Conflict:
            session.expire(order)
            continue
        accepted += 1
    return accepted


# --- the venue's order mode ---------------------------------------------------------------


def order_mode(session: Session, brand_id: int, venue_id: int) -> dict[str, Any]:
    row = session.get(VenueOrderMode, (brand_id, venue_id))
    if row is None:
        return {"venue_id": venue_id, "mode": "manual", "accept_after_seconds": None}
    return {
        "venue_id": venue_id,
        "mode": row.mode,
        "accept_after_seconds": row.accept_after_seconds,
    }


def set_order_mode(
    session: Session, brand_id: int, venue_id: int, mode: str, seconds: int | None = None
) -> dict[str, Any]:
    """How the sandbox venue answers new orders from now on."""
    if mode not in ORDER_MODES:
        raise Invalid(f"mode must be one of {', '.join(ORDER_MODES)}")
    if mode == "accept-after" and seconds is None:
        raise Invalid("accept-after needs a number of seconds")
    if session.get(Venue, (brand_id, venue_id)) is None:
        raise not_found(f"Venue {venue_id} not found")
    row = session.get(VenueOrderMode, (brand_id, venue_id))
    if row is None:
        row = VenueOrderMode(brand_id=brand_id, venue_id=venue_id)
        session.add(row)
    row.mode = mode
    row.accept_after_seconds = seconds if mode == "accept-after" else None
    session.flush()
    return order_mode(session, brand_id, venue_id)
