"""Issue 19, item 5: the sandbox kit captures events without a receiver, in Python and over
the HTTP controls."""

from __future__ import annotations

import pytest

from clopos.testing import Sandbox
from tests.testing.helpers import cafe_order


def test_a_test_waits_for_the_events_of_an_order_without_a_receiver(
    clopos_sandbox: Sandbox,
) -> None:
    box = clopos_sandbox
    with box.client() as client:
        order = client.orders.create(cafe_order(client))
        created = box.events.wait("order.created")
        assert created["data"]["id"] == order.id and created["brand"] == box.brand
        receipt_id = box.venue.accept(order.id)["receipt_id"]
        box.receipts.close(receipt_id)
        closed = box.events.wait("receipt.closed")
        assert closed["data"]["id"] == receipt_id and closed["data"]["status"] == 2
        # The next wait is for the next such event: none yet.
        with pytest.raises(TimeoutError, match=r"no receipt\.closed event within"):
            box.events.wait("receipt.closed", timeout=0.3)
    types = [event["type"] for event in box.events.list()]
    assert types[0] == "order.created" and "receipt.closed" in types
    assert [e["id"] for e in box.events.list("receipt.closed")] == [closed["id"]]
    box.reset()
    assert box.events.list() == []


def test_the_http_controls_list_and_wait_for_events(clopos_sandbox: Sandbox) -> None:
    box = clopos_sandbox
    operator = box.http(headers={"Authorization": f"Bearer {box.admin_token}"})
    path = f"/admin/api/sandbox/brands/{box.brand}/events"
    assert operator.get(path).json()["data"] == []
    with box.client() as client:
        order = client.orders.create(cafe_order(client))
    answer = operator.get(path, params={"type": "order.created", "wait": 5})
    assert answer.status_code == 200, answer.text
    [event] = answer.json()["data"]
    assert event["data"]["id"] == order.id
    later = operator.get(path, params={"after": event["id"], "wait": 0.2})
    assert later.json()["data"] == []
    unknown = operator.get(path, params={"type": "order.eaten"})
    assert unknown.status_code == 400
    refused = box.http().get(path)
    assert refused.status_code == 401
