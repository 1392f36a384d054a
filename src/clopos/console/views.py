"""What the console's pages show, each one unit of work composed of the domain's own
services (the ones the CLI and the operator API call): no SQL here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clopos.console import board, words
from clopos.core.access import service as access
from clopos.core.access.scopes import ALL_SCOPES
from clopos.core.categories import service as categories
from clopos.core.errors import NotFound
from clopos.core.listing import Page
from clopos.core.operators import actions
from clopos.core.products import read as products
from clopos.core.products.venues import at_venue
from clopos.core.receipts import read as receipts
from clopos.core.receipts.table import CLOSED, OPEN
from clopos.core.sales import service as sales
from clopos.core.sales.venues import active_at
from clopos.core.stop_list import service as stop_list
from clopos.core.venues.service import list_venues

RECEIPTS_SHOWN = 50
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


def orders_view(
    session: Session, brand_id: int, venue_id: int, now: datetime, paging: board.Paging
) -> dict[str, Any]:
    """The order board (board.py) with the venue's payment methods, to close receipts."""
    return {
        **board.board_view(session, brand_id, venue_id, now, paging),
        "payment_methods": payment_methods(session, brand_id, venue_id),
    }


def receipts_view(
    session: Session, brand_id: int, venue_id: int, closed: bool, search: str = "", page: int = 1
) -> dict[str, Any]:
    """A venue's open (oldest first: the longest waiting on top) or closed receipts (newest
    first); `search`: a receipt's id, its order or order number, a product."""

    def fetch(number: int, limit: int) -> Page[dict[str, Any]]:
        query = receipts.SPEC.parse(
            [
                ("limit", str(limit)),
                ("page", str(number)),
                ("filters[0][0]", "venue_id"),
                ("filters[0][1]", str(venue_id)),
                ("filters[1][0]", "status"),
                ("filters[1][1]", str(CLOSED if closed else OPEN)),
                ("sort[0]", "closed_at" if closed else "created_at"),
                ("sort[1]", "-1" if closed else "1"),
                *(("with[]", relation) for relation in RECEIPT_RELATIONS),
            ]
        )
        return receipts.list_receipts(session, brand_id, query)

    found = fetch(page, RECEIPTS_SHOWN)
    # A search looks through every receipt of the list, not only this page's.
    rows = board.searched(fetch) if search else found.rows
    items = [
        {
            "receipt": receipt,
            "moves": board.next_moves(receipt),
            "status_line": words.status_line("RECEIVED", receipt),
        }
        for receipt in rows
        if _receipt_matches(receipt, search)
    ]
    return {
        "receipts": items,
        "search": search,
        "total": found.total,
        "page": (page, max(1, -(-found.total // RECEIPTS_SHOWN))),
        "payment_methods": payment_methods(session, brand_id, venue_id),
    }


def _receipt_matches(receipt: dict[str, Any], search: str) -> bool:
    if not search:
        return True
    wanted = search.casefold().lstrip("#")
    names = [
        (line.get("product") or {}).get("name") for line in receipt.get("receipt_products") or []
    ]
    values = [receipt["id"], receipt.get("service_notification_id"), receipt.get("order_number")]
    return any(wanted in str(value).casefold() for value in (*values, *names) if value)


def receipt_view(session: Session, brand_id: int, receipt_id: int) -> dict[str, Any]:
    receipt = receipts.get_receipt(session, brand_id, receipt_id, RECEIPT_RELATIONS)
    venues = {v["id"]: v["name"] for v in list_venues(session, brand_id)}
    return {
        "receipt": receipt,
        "venue_name": venues.get(receipt["venue_id"]),
        "moves": board.next_moves(receipt),
        "status_line": words.status_line("RECEIVED", receipt),
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


def menu_view(
    session: Session, brand_id: int, venue_id: int, search: str = "", only_stopped: bool = False
) -> dict[str, Any]:
    """Categories with their products, each with its price and status at the venue and its
    stop-list entry there; `search`: a product's or category's name, `only_stopped`: the
    products on the venue's stop list."""
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
    grouped = [(c, by_category.pop(c["id"], [])) for c in category_rows]
    leftover = [item for items in by_category.values() for item in items]
    grouped.append(({"id": None, "name": "Without a category"}, leftover))
    sections = []
    wanted = search.casefold()
    for category, items in grouped:
        if not wanted or wanted not in str(category["name"]).casefold():
            items = [i for i in items if wanted in str(i["product"]["name"]).casefold()]
        if only_stopped:
            items = [i for i in items if i["stop"]]
        if items:
            sections.append({"category": category, "items": items})
    return {
        "sections": sections,
        "stopped": len(stops),
        "shown": sum(len(s["items"]) for s in sections),
        "search": search,
        "only_stopped": only_stopped,
    }


def access_view(session: Session, brand_slug: str, unrestricted: bool) -> dict[str, Any]:
    brand = access.get_brand(session, brand_slug)
    return {
        "venues": list_venues(session, brand.id),
        "clients": access.list_clients(session, brand_slug),
        "integrators": access.list_integrators(session) if unrestricted else [],
        "scopes": ALL_SCOPES,
    }


def audit_view(
    session: Session, /, brand_slug: str, brand_id: int, **filters: Any
) -> list[dict[str, Any]]:
    """The brand's trail (core/operators/actions.py), newest first, as the page shows it."""
    events = actions.brand_trail(session, brand_slug, brand_id, **filters)
    return [
        {
            "at": e.at,
            "event": e.event,
            "outcome": e.outcome,
            "status": e.status,
            "reason": e.reason,
            "who": e.operator or (e.client_id or "").removeprefix("operator:") or None,
            "client_id": e.client_id,
            "venue_id": e.venue_id,
            "integrator_id": e.integrator_id,
            "target": e.target,
            "before": _compact((e.detail or {}).get("before")),
            "after": _compact((e.detail or {}).get("after")),
            "ip": e.ip,
            "method": e.method,
            "path": e.path,
        }
        for e in events
    ]


def _compact(value: Any) -> str:
    """A state as one short line: `status=PENDING, receipt_id=3`."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={_compact(v) or '-'}" for k, v in value.items())
    if isinstance(value, list):
        return "[" + "; ".join(_compact(v) for v in value) + "]"
    return str(value)
