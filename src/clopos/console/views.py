"""What the console's pages show, each one unit of work composed of the domain's own
services (the ones the CLI and the operator API call): no SQL here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from clopos.core.access import service as access
from clopos.core.access.scopes import ALL_SCOPES
from clopos.core.categories import service as categories
from clopos.core.errors import NotFound
from clopos.core.orders import life
from clopos.core.orders import read as orders
from clopos.core.products import read as products
from clopos.core.products.venues import at_venue
from clopos.core.receipts import read as receipts
from clopos.core.receipts.kitchen import KITCHEN_STATUSES, TRANSITIONS
from clopos.core.receipts.table import CLOSED, OPEN
from clopos.core.sales import service as sales
from clopos.core.sales.venues import active_at
from clopos.core.stop_list import service as stop_list
from clopos.core.venues.service import list_venues

ORDERS_SHOWN = 30
RECEIPTS_SHOWN = 30
RECEIPT_RELATIONS = (
    "receipt_products",
    "receipt_products.modificators",
    "receipt_products.product",
)


def one_venue(
    session: Session,
    brand_id: int,
    wanted: int | None,
    view: Callable[..., dict[str, Any]],
    *args: Any,
) -> tuple[list[dict[str, Any]], int, dict[str, Any]]:
    """The brand's venues, the one chosen (`wanted`, else the first) and `view` there: one
    unit of work for a page of one venue (or its live fragment)."""
    venues = list_venues(session, brand_id)
    venue_id = chosen_venue(venues, wanted)
    return venues, venue_id, view(session, brand_id, venue_id, *args)


def chosen_venue(venues: list[dict[str, Any]], wanted: int | None) -> int:
    """The venue asked for if the brand has it, else its first."""
    ids = [int(v["id"]) for v in venues]
    if not ids:
        raise NotFound("This brand has no venue")
    if wanted is None:
        return ids[0]
    if wanted not in ids:
        raise NotFound(f"Venue {wanted} not found")
    return wanted


def payment_methods(session: Session, brand_id: int, venue_id: int) -> list[dict[str, Any]]:
    query = sales.PAYMENT_METHOD_SPEC.parse([("limit", "100")])
    methods = sales.list_payment_methods(session, brand_id, query).rows
    return [m for m in methods if active_at(m.get("status") or {}, venue_id)]


def _next_statuses(receipt: dict[str, Any] | None) -> list[str]:
    if receipt is None or receipt["status"] != OPEN:
        return []
    allowed = TRANSITIONS.get(receipt["order_status"] or "NEW", frozenset())
    return [status for status in KITCHEN_STATUSES if status in allowed]


def order_lines(order: dict[str, Any]) -> list[dict[str, Any]]:
    """An order's lines as a cashier reads them: count, name, modifiers, note."""
    lines = []
    for item in order["payload"].get("products", []):
        product = item.get("meta", {}).get("order_product", {}).get("product", {})
        lines.append(
            {
                "count": item.get("count"),
                "name": product.get("name") or f"product {item.get('product_id')}",
                "modifiers": [m.get("name") for m in item.get("product_modificators", [])],
                "note": item.get("note"),
            }
        )
    return lines


def orders_view(session: Session, brand_id: int, venue_id: int) -> dict[str, Any]:
    """The venue's latest orders with their receipts, what each may do next, the venue's
    order mode and payment methods."""
    query = orders.SPEC.parse(
        [
            ("limit", str(ORDERS_SHOWN)),
            ("with[]", "receipt"),
            ("filters[0][0]", "venue_id"),
            ("filters[0][1]", str(venue_id)),
        ]
    )
    page = orders.list_orders(session, brand_id, query)
    items = []
    for order in page.rows:
        receipt = order.get("receipt")
        items.append(
            {
                "order": order,
                "lines": order_lines(order),
                "receipt": receipt,
                "next_statuses": _next_statuses(receipt),
                "customer": order["payload"].get("customer") or {},
                "total": order["payload"].get("meta", {}).get("orderTotal"),
            }
        )
    return {
        "orders": items,
        "total": page.total,
        "pending": sum(1 for item in items if item["order"]["status"] == "PENDING"),
        "mode": life.order_mode(session, brand_id, venue_id),
        "payment_methods": payment_methods(session, brand_id, venue_id),
    }


def receipts_view(session: Session, brand_id: int, venue_id: int, closed: bool) -> dict[str, Any]:
    query = receipts.SPEC.parse(
        [
            ("limit", str(RECEIPTS_SHOWN)),
            ("filters[0][0]", "venue_id"),
            ("filters[0][1]", str(venue_id)),
            ("filters[1][0]", "status"),
            ("filters[1][1]", str(CLOSED if closed else OPEN)),
            *(("with[]", relation) for relation in RECEIPT_RELATIONS),
        ]
    )
    page = receipts.list_receipts(session, brand_id, query)
    return {
        "receipts": [
            {"receipt": receipt, "next_statuses": _next_statuses(receipt)} for receipt in page.rows
        ],
        "total": page.total,
        "payment_methods": payment_methods(session, brand_id, venue_id),
    }


def receipt_view(session: Session, brand_id: int, receipt_id: int) -> dict[str, Any]:
    receipt = receipts.get_receipt(session, brand_id, receipt_id, RECEIPT_RELATIONS)
    return {
        "receipt": receipt,
        "next_statuses": _next_statuses(receipt),
        "stock_operations": receipts.stock_operations(session, brand_id, receipt_id),
        "payment_methods": payment_methods(session, brand_id, receipt["venue_id"]),
    }


def _all_products(session: Session, brand_id: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    page_number = 1
    while True:
        query = products.SPEC.parse([("limit", "100"), ("page", str(page_number))])
        page = products.list_products(session, brand_id, query)
        found.extend(page.rows)
        if not page.rows or len(found) >= page.total:
            return found
        page_number += 1


def menu_view(session: Session, brand_id: int, venue_id: int) -> dict[str, Any]:
    """Categories with their products, each with its price and status at the venue and its
    stop-list entry there."""
    query = categories.SPEC.parse(
        [("limit", "999"), ("include_children", "0"), ("include_inactive", "1")]
    )
    category_rows = categories.list_categories(session, brand_id, query).rows
    stops = {e["id"]: e for e in stop_list.all_entries(session, brand_id, venue_id)}
    by_category: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for product in _all_products(session, brand_id):
        price, status = at_venue(
            product["price"], product["status"], product.get("venues"), venue_id
        )
        by_category[product["category_id"]].append(
            {
                "product": product,
                "price": price,
                "status": status,
                "stop": stops.get(product["id"]),
            }
        )
    sections = []
    for category in category_rows:
        items = by_category.pop(category["id"], [])
        if items:
            sections.append({"category": category, "items": items})
    leftover = [item for items in by_category.values() for item in items]
    if leftover:
        sections.append({"category": {"id": None, "name": "Without a category"}, "items": leftover})
    return {"sections": sections, "stopped": len(stops)}


def access_view(session: Session, brand_slug: str, unrestricted: bool) -> dict[str, Any]:
    brand = access.get_brand(session, brand_slug)
    return {
        "venues": list_venues(session, brand.id),
        "clients": access.list_clients(session, brand_slug),
        "integrators": access.list_integrators(session) if unrestricted else [],
        "scopes": ALL_SCOPES,
    }


def audit_view(
    session: Session,
    brand_slug: str,
    *,
    limit: int,
    outcome: str | None,
    reason: str | None,
    client_id: str | None,
    since: Any,
) -> list[dict[str, Any]]:
    events = access.audit_events(
        session,
        limit=limit,
        client_id=client_id,
        outcome=outcome,
        since=since,
        brands=[brand_slug],
        reason=reason,
    )
    return [
        {
            "at": e.at,
            "event": e.event,
            "outcome": e.outcome,
            "status": e.status,
            "reason": e.reason,
            "client_id": e.client_id,
            "venue_id": e.venue_id,
            "integrator_id": e.integrator_id,
            "ip": e.ip,
            "method": e.method,
            "path": e.path,
        }
        for e in reversed(events)
    ]
