"""The words the console shows people for the domain's vocabularies (order statuses, kitchen
statuses) and for the moves between them: one place, so a card, a button and a message say
the same thing."""

from __future__ import annotations

from typing import Any

from clopos.core.receipts.table import CLOSED

# Where the venue is with an order (core/orders/statuses.py).
ORDER_STATUS = {
    "PENDING": "New",
    "RECEIVED": "Accepted",
    "IGNORE": "Declined",
    "DELIVERED": "Paid",
}
# Where the kitchen is with it (core/receipts/kitchen.py).
KITCHEN_STATUS = {
    "NEW": "Accepted, not started",
    "SCHEDULED": "Scheduled",
    "IN_PROGRESS": "Cooking",
    "READY": "Ready",
    "PICKED_UP": "Picked up",
    "COMPLETED": "Completed",
    "CANCELLED": "Cancelled",
}
# A button that moves the kitchen status there: an action, in the imperative.
KITCHEN_MOVE = {
    "NEW": "Back to not started",
    "SCHEDULED": "Schedule",
    "IN_PROGRESS": "Start cooking",
    "READY": "Mark ready",
    "PICKED_UP": "Mark picked up",
    "COMPLETED": "Mark completed",
    "CANCELLED": "Cancel order",
}


def money(value: Any) -> str:
    """An amount with two decimals (the wire keeps numbers; a person reads 10.60)."""
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return ""


def iso_utc(value: Any) -> str:
    """A time as ISO 8601 in UTC, for a `<time datetime>` the browser shows in its own zone:
    orders answer ISO already; receipts answer `YYYY-MM-DD HH:MM:SS`, in UTC."""
    text = str(value or "")
    if not text or "T" in text:
        return text
    return text.replace(" ", "T") + "Z"


def clock(value: Any) -> str:
    """`14:05 UTC`: what a page shows before its script puts the time in the browser's zone
    (and what it shows without the script)."""
    text = iso_utc(value)
    return f"{text[11:16]} UTC" if len(text) >= 16 else text


def paid(payments: list[dict[str, Any]]) -> str:
    """`Card 10.60, Cash 2.00`."""
    return ", ".join(f"{p['name']} {money(p['amount'])}" for p in payments)


def status_line(order_status: str, receipt: dict[str, Any] | None) -> str:
    """One line saying where an order is, in one vocabulary: the kitchen's once it has a
    receipt, the order's before."""
    if receipt is None:
        return ORDER_STATUS.get(order_status, order_status)
    kitchen = receipt.get("order_status") or "NEW"
    if receipt.get("status") == CLOSED:
        if kitchen == "CANCELLED":
            return "Cancelled, closed without payment"
        payments = receipt.get("payment_methods") or []
        return f"Paid: {paid(payments)}" if payments else "Closed"
    return KITCHEN_STATUS.get(kitchen, kitchen)
