"""Issue 19: SIGKILL of the server mid-delivery loses no event, and a duplicate carries the
same id and the same body.

A real `clopos serve` process sends events to a receiver on loopback; the receiver holds
one delivery unanswered, and the server is killed (SIGKILL: no shutdown handler runs) while
it is in flight and orders keep coming. Started again on the same data, the server's new
sender takes the lapsed lease over, sends again what was never acknowledged, and makes the
events of the changes it had not read yet: every order's `order.created` arrives.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx

from tests.store import process
from tests.webhooks.receiver import HANG, Received, receiving

OPERATOR = "sigkill-operator"
SETTINGS = {
    "admin_token": OPERATOR,
    "webhook_lease_seconds": "1",
    "webhook_poll_seconds": "0.05",
    "webhook_retry_base_seconds": "0.05",
    "webhook_retry_cap_seconds": "0.2",
    "webhook_timeout": "30",
}


def _order_body(client: httpx.Client) -> dict[str, Any]:
    products = client.get("/open-api/v2/products", params={"limit": 100}).json()["data"]
    sale_types = client.get("/open-api/v2/sale-types").json()["data"]
    espresso = next(p["id"] for p in products if p["name"] == "Espresso")
    return {
        "sale_type_id": next(s["id"] for s in sale_types if s["name"] == "Delivery"),
        "venue_id": 1,
        "customer": {"name": "Kill", "phone": "+994705401040", "address": "1 Main St"},
        "products": [{"product_id": espresso, "product_name": "Espresso"}],
    }


def _create(server: process.ServerProcess, count: int) -> list[int]:
    ids = []
    with httpx.Client(
        base_url=server.url, headers={"x-token": server.token()}, timeout=10
    ) as client:
        body = _order_body(client)
        for _ in range(count):
            answer = client.post("/open-api/v2/orders", json=body)
            assert answer.status_code in (200, 201), answer.text
            ids.append(answer.json()["data"]["id"])
    return ids


def test_sigkill_mid_delivery_loses_no_event(tmp_path: Path) -> None:
    env = process.server_env(tmp_path / "data", **SETTINGS)
    log = tmp_path / "server.log"
    held = threading.Event()
    first: list[str] = []

    def decide(received: Received, _attempt: int) -> int:
        # The first delivery is held unanswered: the server dies with it in flight.
        if not first:
            first.append(received.event["id"])
            held.set()
            return HANG
        return 200

    with receiving(decide) as receiver:
        with process.serve(env, log) as server:
            answer = httpx.post(
                f"{server.url}/admin/api/brands/openapitest/webhooks",
                json={"url": receiver.url, "events": ["order.created"]},
                headers={"authorization": f"Bearer {OPERATOR}"},
                timeout=10,
            )
            assert answer.status_code == 201, answer.text
            created = _create(server, 5)
            assert held.wait(15), "no delivery reached the receiver"
            created += _create(server, 10)
            server.kill()  # SIGKILL, with a delivery in flight and events not all sent
        with process.serve(env, log) as server:
            created += _create(server, 5)
            got = receiver.wait_for(
                lambda got: {r.event["data"]["id"] for r in got} >= set(created), timeout=30
            )
    by_id: dict[str, set[bytes]] = {}
    for received in got:
        by_id.setdefault(received.event["id"], set()).add(received.body)
    # Every order's event arrived; one order, one event id; a duplicate is the same bytes.
    assert sorted({received.event["data"]["id"] for received in got}) == sorted(set(created))
    assert len(by_id) == len(set(created))
    assert all(len(bodies) == 1 for bodies in by_id.values())
    # The delivery the server died in was sent again, with the same id.
    assert sum(1 for r in got if r.event["id"] == first[0]) >= 2
