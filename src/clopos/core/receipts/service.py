"""Receipts: listing and lookup with their lines, modificators and products; the venue's
changes (kitchen status, closing with payments); v1's terminal-style writes (create a closed
receipt, update, delete with its stock put back).

Every change of a receipt row goes through its `version` (the mapper's version column): two
concurrent closes or updates of one receipt cannot both win; the loser gets a 409.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from clopos.core.customers.table import Customer
from clopos.core.errors import Conflict, Invalid, bad_request, conflict, not_found
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
from clopos.core.orders.table import Order
from clopos.core.products.table import Modifier, ModifierGroup, Product
from clopos.core.query import ListQuery, Paging
from clopos.core.receipts import stock
from clopos.core.receipts.pricing import money, totals
from clopos.core.receipts.table import (
    CLOSED,
    OPEN,
    ORDER_STATUSES,
    Receipt,
    ReceiptPayment,
    ReceiptProduct,
    ReceiptProductModifier,
)
from clopos.core.rendered import rendered as cached_rows
from clopos.core.rendered import rendered_json
from clopos.core.sales.table import PaymentMethod, SaleType
from clopos.schemas.receipts import (
    PaymentIn,
    ReceiptClose,
    ReceiptCreate,
    ReceiptPatch,
    ReceiptUpdate,
)
from clopos.store.sequences import next_ids

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
        "order_status": one_of(Receipt.order_status, ORDER_STATUSES),
        "cid": equals_text(Receipt.cid),
    },
    relations=RELATIONS,
    date_column=Receipt.created_at,
    default_sort=((Receipt.created_at, True),),
)

# The ids a page of receipts is chosen from (a template for `fetch_page`).
_BRAND_RECEIPTS = select(Receipt.id).where(Receipt.brand_id == bindparam("brand_id"))

# What a kitchen lets an order go to next (staying put is always allowed).
TRANSITIONS: dict[str, frozenset[str]] = {
    "NEW": frozenset({"SCHEDULED", "IN_PROGRESS", "READY", "CANCELLED"}),
    "SCHEDULED": frozenset({"NEW", "IN_PROGRESS", "CANCELLED"}),
    "IN_PROGRESS": frozenset({"READY", "CANCELLED"}),
    "READY": frozenset({"IN_PROGRESS", "PICKED_UP", "COMPLETED", "CANCELLED"}),
    "PICKED_UP": frozenset({"COMPLETED"}),
    "COMPLETED": frozenset(),
    "CANCELLED": frozenset(),
}
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
RESOURCE = Receipt.__tablename__


def active_at(status: dict[str, Any], venue_id: int) -> bool:
    """A sale type's or payment method's venue map (`{"1": 1, "2": 0}`): active at the venue
    if it says 1 there; an empty map means every venue."""
    return not status or int(status.get(str(venue_id), 0)) == 1


def _invalid(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


def _receipt_not_found() -> Exception:
    return not_found("Receipt not found", "not_found")


# --- reading ------------------------------------------------------------------------------


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
    def load(ids: list[int]) -> dict[int, dict[str, Any]]:
        rows = session.scalars(
            select(Receipt).where(Receipt.brand_id == brand_id, Receipt.id.in_(ids))
        )
        return _with_payments(session, brand_id, list(rows))

    return load


def _load(session: Session, brand_id: int, receipt_id: int) -> Receipt:
    receipt = session.get(Receipt, (brand_id, receipt_id))
    if receipt is None:
        raise _receipt_not_found()
    return receipt


def get_receipt(
    session: Session, brand_id: int, receipt_id: int, relations: Iterable[str] = ()
) -> dict[str, Any]:
    check_relations(relations, RELATIONS)
    return render(session, brand_id, [_load(session, brand_id, receipt_id)], relations)[0]


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
    _load(session, brand_id, receipt_id)
    return stock.operations_of(session, brand_id, receipt_id)


# --- writing ------------------------------------------------------------------------------


def _saved(session: Session) -> None:
    """Flush the receipt's change; another request having changed it first is a 409."""
    try:
        session.flush()
    except StaleDataError:
        raise conflict(
            "The receipt was changed by another request at the same time; read it again",
            "conflict",
        ) from None


def _product_meta(product: Product) -> dict[str, Any]:
    return {
        "product": {
            "name": product.name,
            "type": product.type,
            "price": product.price,
            "barcode": product.barcode,
        }
    }


def open_for_order(
    session: Session,
    brand_id: int,
    order: Order,
    lines: Sequence[Any],
    products: dict[int, Product],
) -> Receipt:
    """The open receipt a venue starts when it accepts `order` (`lines`: its OrderProducts)."""
    payload = order.payload
    meta = payload.get("meta", {})
    discount = meta.get("discount", {})
    receipt = Receipt(
        brand_id=brand_id,
        id=next_ids(session, brand_id, "receipts"),
        venue_id=order.venue_id,
        cid=str(uuid.uuid4()),
        order_id=order.id,
        customer_id=order.customer_id,
        sale_type_id=order.sale_type_id,
        source="web",
        status=OPEN,
        order_status="NEW",
        order_number=order.order_number,
        subtotal=order.subtotal,
        original_subtotal=order.subtotal,
        discount_type=int(discount.get("discount_type", 0)),
        discount_value=float(discount.get("discount_value", 0)),
        discount_rate=money(order.total_discount * 100 / order.subtotal) if order.subtotal else 0,
        total_discount=order.total_discount,
        service_charge=float(meta.get("service_charge_value", 0))
        if meta.get("apply_service_charge")
        else 0,
        service_charge_value=order.service_charge_value,
        delivery_fee=order.delivery_fee,
        total=order.total,
        remaining=order.total,
        address=payload.get("customer", {}).get("address"),
        description=order.comment,
        meta={
            "sale_type": {"name": payload.get("service", {}).get("sale_type_name")},
            "customer": payload.get("customer", {}),
        },
    )
    session.add(receipt)
    session.flush()
    first = next_ids(session, brand_id, "receipt_products", len(lines))
    modifier_count = sum(len(line.modifiers) for line in lines)
    next_modifier = next_ids(session, brand_id, "receipt_product_modifiers", modifier_count)
    for offset, line in enumerate(lines):
        product = products[line.product_id]
        session.add(
            ReceiptProduct(
                brand_id=brand_id,
                id=first + offset,
                receipt_id=receipt.id,
                cid=str(uuid.uuid4()),
                product_id=line.product_id,
                count=line.count,
                portion_size=line.portion_size,
                price=line.price,
                subtotal=line.total,
                total=line.total,
                cost=money(product.cost_price * line.count * line.portion_size),
                product_hash=line.product_hash,
                meta=_product_meta(product),
            )
        )
        for modifier in line.modifiers:
            session.add(
                ReceiptProductModifier(
                    brand_id=brand_id,
                    id=next_modifier,
                    receipt_id=receipt.id,
                    receipt_product_id=first + offset,
                    modifier_id=modifier["modifier_id"],
                    name=modifier["name"],
                    count=modifier["count"],
                    portion_size=modifier["portion_size"],
                    price=modifier["price"],
                    total=money(modifier["price"] * modifier["count"] * line.count),
                )
            )
            next_modifier += 1
    session.flush()
    return receipt


def _check_transition(current: str, wanted: str) -> None:
    if wanted != current and wanted not in TRANSITIONS.get(current, frozenset()):
        raise _invalid(f"order_status cannot change from {current} to {wanted}")


def patch_receipt(
    session: Session, brand_id: int, receipt_id: int, body: ReceiptPatch
) -> dict[str, Any]:
    """Change `order_status` (as a kitchen would), `order_number`, `fiscal_id`, `lock`."""
    receipt = _load(session, brand_id, receipt_id)
    fields = body.model_dump(exclude_unset=True)
    if not fields:
        raise _invalid("Invalid field values provided")
    if "order_status" in fields:
        if fields["order_status"] is None:
            raise _invalid("Invalid field values provided")
        _check_transition(receipt.order_status, fields["order_status"])
        receipt.order_status = fields["order_status"]
    if "order_number" in fields:
        receipt.order_number = fields["order_number"]
    if "fiscal_id" in fields:
        receipt.fiscal_id = fields["fiscal_id"]
    if "lock" in fields:
        if fields["lock"] is None:
            raise _invalid("Invalid field values provided")
        receipt.lock = fields["lock"]
    receipt.updated_at = datetime.now(UTC)
    _saved(session)
    return get_receipt(session, brand_id, receipt_id)


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


def _payment_rows(
    session: Session, brand_id: int, venue_id: int, payments: Sequence[PaymentIn]
) -> list[tuple[PaymentMethod, float]]:
    methods = {
        method.id: method
        for method in session.scalars(
            select(PaymentMethod).where(
                PaymentMethod.brand_id == brand_id,
                PaymentMethod.id.in_({payment.id for payment in payments}),
                PaymentMethod.deleted_at.is_(None),
            )
        )
    }
    rows = []
    for index, payment in enumerate(payments):
        method = methods.get(payment.id)
        if method is None:
            raise _invalid(f"The selected payment_methods.{index}.id is invalid.")
        if not active_at(method.status, venue_id):
            raise _invalid(f"Payment method {method.name} is not available at this venue")
        rows.append((method, money(payment.amount)))
    return rows


def _pay(
    session: Session,
    receipt: Receipt,
    payments: Sequence[PaymentIn],
    closed_at: datetime,
) -> None:
    """Close `receipt` with `payments`: they must cover its total."""
    rows = _payment_rows(session, receipt.brand_id, receipt.venue_id, payments)
    paid = money(sum(amount for _, amount in rows))
    if paid < receipt.total:
        raise _invalid(
            f"payment_methods must cover the total ({receipt.total:.2f}); got {paid:.2f}"
        )
    receipt.status = CLOSED
    receipt.closed_at = closed_at
    receipt.remaining = 0
    receipt.by_cash = money(
        sum(a for m, a in rows if (m.balance or {}).get("type", "CASH") == "CASH")
    )
    receipt.by_card = money(paid - receipt.by_cash)
    receipt.updated_at = datetime.now(UTC)
    _saved(session)  # the version check first: a concurrent close stops here
    first = next_ids(session, receipt.brand_id, "receipt_payments", len(rows))
    for offset, (method, amount) in enumerate(rows):
        name = payments[offset].name or method.name
        session.add(
            ReceiptPayment(
                brand_id=receipt.brand_id,
                id=first + offset,
                receipt_id=receipt.id,
                payment_method_id=method.id,
                name=name,
                amount=amount,
            )
        )
    lines = list(
        session.scalars(
            select(ReceiptProduct).where(
                ReceiptProduct.brand_id == receipt.brand_id,
                ReceiptProduct.receipt_id == receipt.id,
            )
        )
    )
    modifiers = list(
        session.scalars(
            select(ReceiptProductModifier).where(
                ReceiptProductModifier.brand_id == receipt.brand_id,
                ReceiptProductModifier.receipt_id == receipt.id,
            )
        )
    )
    stock.deduct(session, receipt.brand_id, receipt.id, lines, modifiers, closed_at)
    if receipt.order_id is not None:
        order = session.get(Order, (receipt.brand_id, receipt.order_id))
        if order is not None and order.status == "RECEIVED":
            order.status = "DELIVERED"
    session.flush()


def close_receipt(
    session: Session, brand_id: int, receipt_id: int, body: ReceiptClose
) -> dict[str, Any]:
    """Close an open receipt with payment methods covering its total."""
    receipt = _load(session, brand_id, receipt_id)
    if receipt.status != OPEN:
        raise conflict("Receipt is already closed", "receipt_closed")
    closed_at = datetime.now(UTC)
    if body.closed_at:
        closed_at = parse_time(body.closed_at, "closed_at")
        if closed_at <= receipt.created_at.replace(microsecond=0):
            raise _invalid("closed_at must be greater than created_at")
    _pay(session, receipt, body.payment_methods, closed_at)
    answer = render(session, brand_id, [receipt], ())[0]
    return {
        "id": receipt.id,
        "closed_at": answer["closed_at"],
        "payment_methods": answer["payment_methods"],
        "created_at": answer["created_at"],
        "updated_at": answer["updated_at"],
    }


def _check_refs(
    session: Session,
    brand_id: int,
    venue_id: int,
    sale_type_id: int | None,
    customer_id: int | None,
) -> SaleType | None:
    sale_type = None
    if sale_type_id is not None:
        sale_type = session.get(SaleType, (brand_id, sale_type_id))
        if sale_type is None or sale_type.deleted_at is not None:
            raise _invalid("The selected sale_type_id is invalid.")
    if customer_id is not None:
        customer = session.get(Customer, (brand_id, customer_id))
        if customer is None or customer.deleted_at is not None:
            raise _invalid("The selected customer_id is invalid.")
    return sale_type


def create_receipt(
    session: Session, brand_id: int, venue_id: int, body: ReceiptCreate
) -> dict[str, Any]:
    """v1: store a receipt a terminal closed (409 if its `cid` exists), with its stock."""
    cid = str(body.cid)
    if session.scalar(select(Receipt.id).where(Receipt.brand_id == brand_id, Receipt.cid == cid)):
        raise conflict("Receipt with this cid already exists", "duplicate_cid")
    _check_refs(session, brand_id, venue_id, body.sale_type_id, body.customer_id)
    wanted = {line.product_id for line in body.receipt_products}
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.brand_id == brand_id, Product.id.in_(wanted))
        )
    }
    for index, line in enumerate(body.receipt_products):
        if line.product_id not in products:
            raise _invalid(f"The selected receipt_products.{index}.product_id is invalid.")
    now = datetime.now(UTC)
    closed_at = parse_time(body.closed_at, "closed_at") if body.closed_at else now
    created_at = parse_time(body.created_at, "created_at") if body.created_at else closed_at
    if closed_at < created_at:
        raise _invalid("closed_at must be greater than created_at")
    if closed_at > now + timedelta(days=1):
        raise _invalid("closed_at must not be in the future")
    priced = []
    for line in body.receipt_products:
        price = line.price if line.price is not None else products[line.product_id].price
        amount = 0.0 if line.is_gift else money(price * line.count * line.portion_size)
        priced.append((line, price, amount))
    if body.receipt_products:
        subtotal = money(sum(amount for _, _, amount in priced))
    else:
        subtotal = money(body.subtotal if body.subtotal is not None else body.total or 0)
    figures = totals(
        subtotal,
        discount_type=body.discount_type,
        discount_value=body.discount_value,
        service_rate=body.service_charge,
        delivery_fee=body.delivery_fee,
    )
    total = figures.total if body.receipt_products or body.total is None else money(body.total)
    receipt = Receipt(
        brand_id=brand_id,
        id=next_ids(session, brand_id, "receipts"),
        venue_id=venue_id,
        cid=cid,
        customer_id=body.customer_id,
        sale_type_id=body.sale_type_id,
        user_id=body.user_id,
        terminal_id=body.terminal_id,
        source="pos",
        guests=body.guests,
        status=OPEN,
        order_status="COMPLETED",
        order_number=body.order_number,
        subtotal=figures.subtotal,
        original_subtotal=figures.subtotal,
        gift_total=money(
            sum((p * line.count * line.portion_size) for line, p, _ in priced if line.is_gift)
        ),
        discount_type=body.discount_type,
        discount_value=body.discount_value,
        discount_rate=figures.discount_rate,
        total_discount=figures.total_discount,
        service_charge=figures.service_charge,
        service_charge_value=figures.service_charge_value,
        delivery_fee=figures.delivery_fee,
        total=total,
        remaining=total,
        address=body.address,
        description=body.description,
        meta=body.meta,
        created_at=created_at,
    )
    try:
        with session.begin_nested():  # a concurrent create of the same cid loses here
            session.add(receipt)
    except IntegrityError:
        raise conflict("Receipt with this cid already exists", "duplicate_cid") from None
    first = next_ids(session, brand_id, "receipt_products", len(priced))
    for offset, (line, price, amount) in enumerate(priced):
        product = products[line.product_id]
        session.add(
            ReceiptProduct(
                brand_id=brand_id,
                id=first + offset,
                receipt_id=receipt.id,
                cid=str(line.cid or uuid.uuid4()),
                product_id=line.product_id,
                count=line.count,
                portion_size=line.portion_size,
                price=price,
                subtotal=amount,
                total=amount,
                cost=money(product.cost_price * line.count * line.portion_size),
                is_gift=line.is_gift,
                meta={**line.meta, **_product_meta(product)},
                created_at=created_at,
            )
        )
    session.flush()
    _pay(session, receipt, body.payment_methods, closed_at)
    return get_receipt(session, brand_id, receipt.id, ("receipt_products",))


def update_receipt(
    session: Session, brand_id: int, receipt_id: int, body: ReceiptUpdate
) -> dict[str, Any]:
    """v1 `PUT`: `id` and `cid` must be the receipt's. Money fields change only while the
    receipt is open; `closed_at` with `payment_methods` closes it."""
    receipt = _load(session, brand_id, receipt_id)
    if body.id != receipt_id:
        raise _invalid("id must be the id of the receipt in the path")
    if str(body.cid) != receipt.cid:
        raise _invalid("cid must be the cid of the receipt; a different cid is another receipt")
    fields = body.model_dump(exclude_unset=True)
    money_fields = {"delivery_fee", "discount_rate", "discount_type", "discount_value"}
    if receipt.status == CLOSED and money_fields & set(fields):
        raise conflict(
            "Closed receipts store the final totals; amounts cannot be edited", "receipt_closed"
        )
    if body.customer_id is not None:
        _check_refs(session, brand_id, receipt.venue_id, None, body.customer_id)
        receipt.customer_id = body.customer_id
    if body.order_status is not None:
        _check_transition(receipt.order_status, body.order_status)
        receipt.order_status = body.order_status
    for name in ("description", "order_number"):
        if name in fields:
            setattr(receipt, name, fields[name])
    if body.guests is not None:
        receipt.guests = body.guests
    if body.meta is not None and body.meta.get("customer") is not None:
        receipt.meta = {**receipt.meta, "customer": body.meta["customer"]}
    if money_fields & set(fields):
        if body.discount_type is not None:
            receipt.discount_type = body.discount_type
        if body.discount_value is not None:
            receipt.discount_value = body.discount_value
        if body.discount_type is None and body.discount_rate is not None:
            receipt.discount_type, receipt.discount_value = 1, body.discount_rate
        if body.delivery_fee is not None:
            receipt.delivery_fee = body.delivery_fee
        figures = totals(
            receipt.subtotal,
            discount_type=receipt.discount_type,
            discount_value=receipt.discount_value,
            service_rate=receipt.service_charge,
            delivery_fee=receipt.delivery_fee,
        )
        receipt.total_discount = figures.total_discount
        receipt.discount_rate = figures.discount_rate
        receipt.service_charge_value = figures.service_charge_value
        receipt.total = receipt.remaining = figures.total
    receipt.updated_at = datetime.now(UTC)
    closing = bool(body.closed_at)
    if closing and receipt.status == CLOSED:
        raise conflict("Receipt is already closed", "receipt_closed")
    if closing:
        if not body.payment_methods:
            raise _invalid("payment_methods are required to close the receipt")
        assert body.closed_at is not None
        closed_at = parse_time(body.closed_at, "closed_at")
        if closed_at <= receipt.created_at.replace(microsecond=0):
            raise _invalid("closed_at must be greater than created_at")
        _pay(session, receipt, body.payment_methods, closed_at)
    else:
        _saved(session)
    return get_receipt(session, brand_id, receipt_id, ("receipt_products",))


def delete_receipt(session: Session, brand_id: int, receipt_id: int) -> dict[str, Any]:
    """v1: remove a receipt for good, putting back the stock it took."""
    receipt = _load(session, brand_id, receipt_id)
    receipt.updated_at = datetime.now(UTC)
    _saved(session)  # a concurrent change or delete of the same receipt stops here
    stock.roll_back(session, brand_id, receipt_id)
    for table in (ReceiptPayment, ReceiptProductModifier, ReceiptProduct):
        session.execute(
            delete(table).where(table.brand_id == brand_id, table.receipt_id == receipt_id)
        )
    session.delete(receipt)
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("The receipt was changed by another request; read it again") from None
    return {"id": receipt_id}


def close_at_venue(
    session: Session, brand_id: int, receipt_id: int, method: str | None = None
) -> dict[str, Any]:
    """The venue's side: close a receipt paying its whole total with one payment method
    (`method`: its id or name; default the venue's first active method)."""
    receipt = _load(session, brand_id, receipt_id)
    if receipt.status != OPEN:
        raise conflict("Receipt is already closed", "receipt_closed")
    methods = list(
        session.scalars(
            select(PaymentMethod)
            .where(PaymentMethod.brand_id == brand_id, PaymentMethod.deleted_at.is_(None))
            .order_by(PaymentMethod.position, PaymentMethod.id)
        )
    )
    usable = [m for m in methods if active_at(m.status, receipt.venue_id)]
    if method is not None:
        wanted = method.strip().lower()
        usable = [m for m in usable if str(m.id) == wanted or m.name.lower() == wanted]
    if not usable:
        raise Invalid(
            f"No payment method {method!r} at venue {receipt.venue_id}"
            if method
            else f"Venue {receipt.venue_id} has no payment method"
        )
    chosen = usable[0]
    payment = PaymentIn(id=chosen.id, name=chosen.name, amount=receipt.total)
    return close_receipt(session, brand_id, receipt_id, ReceiptClose(payment_methods=[payment]))


def set_order_status(
    session: Session, brand_id: int, receipt_id: int, status: str
) -> dict[str, Any]:
    """The venue's side: move the kitchen status (the transitions `PATCH` allows)."""
    if status not in ORDER_STATUSES:
        raise Invalid(f"status must be one of {', '.join(ORDER_STATUSES)}")
    patch = ReceiptPatch.model_validate({"order_status": status})
    return patch_receipt(session, brand_id, receipt_id, patch)
