"""A tiny delivery platform: it pushes its customers' orders to a Clopos venue and polls until
the venue has closed the receipt (the order is DELIVERED).

It only knows the Clopos client; its tests (tests/) run it against `clopos.testing`'s sandbox.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from clopos import Client


class DeliveryTimeout(Exception):
    """The venue did not close the order's receipt in time."""


@dataclass
class Delivery:
    order_id: int
    status: str
    receipt_id: int | None = None


class DeliveryPlatform:
    def __init__(
        self,
        client: Client,
        venue_id: int = 1,
        *,
        poll_every: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.venue_id = venue_id
        self.poll_every = poll_every
        self.sleep = sleep

    def push(self, items: dict[str, int], customer: str, phone: str, address: str) -> Delivery:
        """Send an order for `items` ({product name: count}) for delivery; answers it."""
        products = {p.name: p.id for p in self.client.products.list()}
        sale_types = {s.name: s.id for s in self.client.sale_types.list()}
        order = self.client.orders.create(
            {
                "venue_id": self.venue_id,
                "sale_type_id": sale_types["Delivery"],
                # Our own id for it: a retried push never makes a second order.
                "integration_uuid": str(uuid.uuid4()),
                "customer": {"name": customer, "phone": phone, "address": address},
                "products": [
                    {"product_id": products[name], "product_name": name, "count": count}
                    for name, count in items.items()
                ],
            }
        )
        return Delivery(order.id, order.status)

    def wait_until_delivered(self, order_id: int, timeout: float = 60.0) -> Delivery:
        """Poll the order until its receipt is closed (DELIVERED); IGNORE raises."""
        deadline = time.monotonic() + timeout
        while True:
            order = self.client.orders.get(order_id)
            if order.status == "DELIVERED":
                return Delivery(order.id, order.status, order.receipt_id)
            if order.status == "IGNORE":
                raise DeliveryTimeout(f"order {order_id} was declined by the venue")
            if time.monotonic() > deadline:
                raise DeliveryTimeout(f"order {order_id} still {order.status}")
            self.sleep(self.poll_every)
