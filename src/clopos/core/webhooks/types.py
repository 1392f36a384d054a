"""The event types a subscription may ask for, and the delivery states. Free of the
database's imports, so that the CLI, the console and the wire schemas take this one list."""

from __future__ import annotations

from typing import Literal, get_args

EventType = Literal[
    "order.created",
    "order.status_changed",
    "receipt.created",
    "receipt.status_changed",
    "receipt.closed",
    "stop_list.changed",
    "menu.changed",
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

# pending: to be sent (again) at `next_at`; delivered: a 2xx came back; dead: every attempt
# failed, kept for a manual replay.
DeliveryStatus = Literal["pending", "delivered", "dead"]
DELIVERY_STATUSES: tuple[str, ...] = get_args(DeliveryStatus)
