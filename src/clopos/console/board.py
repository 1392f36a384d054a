"""The order board of a venue: every open order by stage (New, Cooking, Ready), oldest
waiting first with its age, true counts, pages past the first, a search; and the few
orders done last. The kitchen view is the same board seen from the kitchen.

An order's stage follows from the order and its receipt: New while PENDING; once accepted,
Cooking until the kitchen marks it ready (or cancels it), then Ready until the receipt
closes; closed or declined, Done. Each stage is one query of the orders' own list (the
spec integrators use), so a count is the database's, never the length of what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clopos.console import words
from clopos.core.listing import Page
from clopos.core.orders import life
from clopos.core.orders import read as orders
from clopos.core.receipts.kitchen import CANCELLED, COOKING, KITCHEN_STATUSES, TRANSITIONS
from clopos.core.receipts.table import OPEN

# Open orders shown per page of a stage; the orders' list spec allows up to 100.
PAGE_SIZE = 50
DONE_SHOWN = 10
# A search looks through every open order (or receipt), not the page on screen: up to this
# many, read a page of the list (its largest, 100) at a time.
SEARCHED = 1000
# A ticket's age: minutes after which it is shown as getting late, then late.
AGE_WARN_MINUTES = 5
AGE_LATE_MINUTES = 10
# The kitchen's one tap: where each status goes next.
ADVANCE = {
    "NEW": "IN_PROGRESS",
    "SCHEDULED": "IN_PROGRESS",
    "IN_PROGRESS": "READY",
    "READY": "PICKED_UP",
}


@dataclass(frozen=True)
class Paging:
    """Which page of each stage a board shows, and what it searches for."""

    new: int = 1
    kitchen: int = 1
    done: int = 1
    search: str = ""


def minutes_since(iso: str | None, now: datetime) -> int:
    if not iso:
        return 0
    try:
        then = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return 0
    return max(0, int((now - then).total_seconds() // 60))


def age_class(minutes: int) -> str:
    if minutes >= AGE_LATE_MINUTES:
        return "late"
    return "warn" if minutes >= AGE_WARN_MINUTES else "fresh"


def lines_of(order: dict[str, Any]) -> list[dict[str, Any]]:
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


def next_moves(receipt: dict[str, Any] | None) -> list[dict[str, str]]:
    """The kitchen moves an open receipt allows, each with its button's words."""
    if receipt is None or receipt["status"] != OPEN:
        return []
    allowed = TRANSITIONS.get(receipt["order_status"] or "NEW", frozenset())
    return [
        {"status": status, "label": words.KITCHEN_MOVE[status]}
        for status in KITCHEN_STATUSES
        if status in allowed
    ]


def stage_of(order: dict[str, Any], receipt: dict[str, Any] | None) -> str:
    if order["status"] == "PENDING":
        return "new"
    if receipt is None or receipt["status"] != OPEN:
        return "done"
    return "cooking" if (receipt["order_status"] or "NEW") in COOKING else "ready"


def card(order: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What an order's card shows, in words for people."""
    receipt = order.get("receipt")
    payload = order["payload"]
    customer = payload.get("customer") or {}
    kitchen = (receipt or {}).get("order_status") or "NEW"
    age = minutes_since(order["created_at"], now)
    lines = lines_of(order)
    advance = ADVANCE.get(kitchen) if receipt and receipt["status"] == OPEN else None
    return {
        "order": order,
        "receipt": receipt,
        "stage": stage_of(order, receipt),
        "status_line": words.status_line(order["status"], receipt),
        "lines": lines,
        "customer": customer,
        "address": customer.get("address") or payload.get("address"),
        "comment": (payload.get("meta") or {}).get("comment"),
        "number": payload.get("order_number") or order.get("integration_id"),
        "sale_type": (payload.get("service") or {}).get("sale_type_name"),
        "total": (payload.get("meta") or {}).get("orderTotal"),
        "age": age,
        "age_class": age_class(age),
        "moves": next_moves(receipt),
        "advance": {"status": advance, "label": words.KITCHEN_MOVE[advance]} if advance else None,
        "cancelled": kitchen == CANCELLED,
    }


def matches(item: dict[str, Any], search: str) -> bool:
    """Whether a card answers a search: the order's id or number, the customer's name,
    phone or address, a product, a comment (case-insensitive)."""
    if not search:
        return True
    wanted = search.casefold().lstrip("#")
    haystack = [
        str(item["order"]["id"]),
        item["number"],
        item["customer"].get("name"),
        item["customer"].get("phone"),
        item["address"],
        item["comment"],
        *(line["name"] for line in item["lines"]),
    ]
    return any(wanted in str(value).casefold() for value in haystack if value)


def _orders(
    session: Session,
    brand_id: int,
    venue_id: int,
    statuses: tuple[str, ...],
    *,
    page: int,
    limit: int,
    oldest_first: bool,
) -> Page[dict[str, Any]]:
    query = orders.SPEC.parse(
        [
            ("limit", str(limit)),
            ("page", str(page)),
            ("with[]", "receipt"),
            ("sort[0]", "created_at"),
            ("sort[1]", "1" if oldest_first else "-1"),
            ("filters[0][0]", "venue_id"),
            ("filters[0][1]", str(venue_id)),
            ("filters[1][0]", "status"),
            *((f"filters[1][1][{i}]", status) for i, status in enumerate(statuses)),
        ]
    )
    return orders.list_orders(session, brand_id, query)


def searched(fetch: Callable[[int, int], Page[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every row `fetch(page, limit)` pages through, up to SEARCHED."""
    rows: list[dict[str, Any]] = []
    page = 1
    while len(rows) < SEARCHED:
        found = fetch(page, 100)
        rows += found.rows
        if not found.rows or len(rows) >= found.total:
            break
        page += 1
    return rows[:SEARCHED]


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def board_view(
    session: Session, brand_id: int, venue_id: int, now: datetime, paging: Paging
) -> dict[str, Any]:
    """The venue's open orders by stage, the last done ones, the order mode; each stage's
    count is its true total."""
    waiting = _orders(
        session,
        brand_id,
        venue_id,
        ("PENDING",),
        page=paging.new,
        limit=PAGE_SIZE,
        oldest_first=True,
    )
    accepted = _orders(
        session,
        brand_id,
        venue_id,
        ("RECEIVED",),
        page=paging.kitchen,
        limit=PAGE_SIZE,
        oldest_first=True,
    )
    done = _orders(
        session,
        brand_id,
        venue_id,
        ("DELIVERED", "IGNORE"),
        page=paging.done,
        limit=DONE_SHOWN,
        oldest_first=False,
    )
    open_orders = [*waiting.rows, *accepted.rows]
    if paging.search:  # through every open order, not only this page's

        def fetch(statuses: tuple[str, ...]) -> Callable[[int, int], Page[dict[str, Any]]]:
            return lambda page, limit: _orders(
                session, brand_id, venue_id, statuses, page=page, limit=limit, oldest_first=True
            )

        open_orders = [*searched(fetch(("PENDING",))), *searched(fetch(("RECEIVED",)))]
    stages: dict[str, list[dict[str, Any]]] = {"new": [], "cooking": [], "ready": [], "done": []}
    for order in open_orders:
        item = card(order, now)
        stages["done" if item["stage"] == "done" else item["stage"]].append(item)
    stages["done"].extend(card(order, now) for order in done.rows)
    # The kitchen's stages across all its pages, not only what this page shows.
    kitchen = orders.kitchen_counts(session, brand_id, venue_id)
    shown = {
        name: [i for i in items if matches(i, paging.search)] for name, items in stages.items()
    }
    return {
        "stages": shown,
        "counts": {
            "new": waiting.total,
            "kitchen": accepted.total,
            "cooking": kitchen["cooking"],
            "ready": kitchen["ready"],
            "done": done.total,
        },
        "pages": {
            "new": (paging.new, _pages(waiting.total, PAGE_SIZE)),
            "kitchen": (paging.kitchen, _pages(accepted.total, PAGE_SIZE)),
            "done": (paging.done, _pages(done.total, DONE_SHOWN)),
        },
        "search": paging.search,
        "oldest_waiting": stages["new"][0]["age"] if stages["new"] else None,
        "mode": life.order_mode(session, brand_id, venue_id),
    }
