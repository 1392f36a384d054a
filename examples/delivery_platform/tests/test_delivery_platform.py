"""The delivery platform's own tests: only the public `clopos.testing` kit (the
`clopos_sandbox` fixture comes with clopos's `testing` extra)."""

from __future__ import annotations

import threading

import pytest
from delivery_platform import DeliveryPlatform, DeliveryTimeout

from clopos.testing import Sandbox

ORDER = {"Cappuccino": 2, "Espresso": 1}
CUSTOMER = {"customer": "Rahid", "phone": "+994705401040", "address": "1 Main St"}


def later(seconds: float, action: object) -> None:
    """What the venue does while the platform polls."""
    timer = threading.Timer(seconds, action)  # type: ignore[arg-type]
    timer.daemon = True
    timer.start()


def test_an_order_is_delivered_when_the_venue_closes_its_receipt(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client() as client:
        platform = DeliveryPlatform(client, poll_every=0.05)
        delivery = platform.push(ORDER, **CUSTOMER)
        assert delivery.status == "PENDING"

        def venue() -> None:
            receipt_id = clopos_sandbox.venue.accept(delivery.order_id)["receipt_id"]
            clopos_sandbox.receipts.set_status(receipt_id, "READY")
            clopos_sandbox.receipts.close(receipt_id)

        later(0.2, venue)
        done = platform.wait_until_delivered(delivery.order_id, timeout=10)
        assert done.status == "DELIVERED" and done.receipt_id is not None


def test_a_declined_order_is_reported(clopos_sandbox: Sandbox) -> None:
    clopos_sandbox.venue.order_mode("ignore")
    with clopos_sandbox.client() as client:
        platform = DeliveryPlatform(client, poll_every=0.05)
        delivery = platform.push(ORDER, **CUSTOMER)
        with pytest.raises(DeliveryTimeout, match="declined"):
            platform.wait_until_delivered(delivery.order_id, timeout=5)


def test_a_push_that_times_out_upstream_is_sent_once(clopos_sandbox: Sandbox) -> None:
    clopos_sandbox.faults.next(status=504, path="/orders", method="POST")
    with clopos_sandbox.client() as client:
        seeded = {order.id for order in client.orders.list()}  # the sandbox's history
        platform = DeliveryPlatform(client)
        delivery = platform.push(ORDER, **CUSTOMER)
        made = [order.id for order in client.orders.list() if order.id not in seeded]
        assert made == [delivery.order_id]


def test_polling_survives_rate_limiting(clopos_sandbox: Sandbox) -> None:
    clopos_sandbox.venue.order_mode("accept")
    with clopos_sandbox.client() as client:
        platform = DeliveryPlatform(client, poll_every=0.05)
        delivery = platform.push(ORDER, **CUSTOMER)
        receipt_id = client.orders.get(delivery.order_id).receipt_id
        assert receipt_id is not None
        clopos_sandbox.faults.next(status=429, count=1, path="/orders")
        later(0.1, lambda: clopos_sandbox.receipts.close(receipt_id))
        assert platform.wait_until_delivered(delivery.order_id, timeout=10).status == "DELIVERED"


def test_a_venue_that_accepts_after_five_minutes_without_waiting(clopos_sandbox: Sandbox) -> None:
    clopos_sandbox.venue.order_mode("accept-after", 300)
    with clopos_sandbox.client() as client:
        platform = DeliveryPlatform(client, poll_every=60, sleep=clopos_sandbox.clock.advance)
        delivery = platform.push(ORDER, **CUSTOMER)

        def poll_then_close(seconds: float) -> None:  # the platform's sleep: time flies
            clopos_sandbox.clock.advance(seconds)
            order = client.orders.get(delivery.order_id)
            if order.status == "RECEIVED" and order.receipt_id is not None:
                clopos_sandbox.receipts.close(order.receipt_id)

        platform.sleep = poll_then_close
        done = platform.wait_until_delivered(delivery.order_id, timeout=10)
        assert done.status == "DELIVERED"
        assert clopos_sandbox.clock.offset >= 300
