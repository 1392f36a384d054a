"""The venue's side, played by the operator: `clopos admin order|receipt|venue order-mode`
and the same on the operator API; each order mode."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.orders.conftest import Cafe

V2 = "/open-api/v2"
ADMIN = "/admin/api/brands/openapitest"


def data(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()["data"]


def order(cafe: Cafe) -> dict[str, Any]:
    created: dict[str, Any] = data(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order()), 201
    )
    return created


@pytest.fixture
def manual_afterwards(cafe: Cafe) -> Iterator[None]:
    yield
    cafe.server.admin("venue", "order-mode", "--brand", "openapitest", "--venue", "1", "manual")


def test_the_whole_life_from_the_cli(cafe: Cafe) -> None:
    created = order(cafe)
    admin = cafe.server.admin_json
    pending = admin("order", "list", "--brand", "openapitest", "--status", "PENDING")
    assert created["id"] in [o["id"] for o in pending]
    human = cafe.server.admin("order", "list", "--brand", "openapitest").output
    assert "PENDING" in human.splitlines()[1] or "PENDING" in human
    accepted = admin("order", "accept", str(created["id"]), "--brand", "openapitest")
    assert accepted["status"] == "RECEIVED"
    receipt_id = str(accepted["receipt_id"])
    for status in ("IN_PROGRESS", "READY"):
        moved = admin("receipt", "status", receipt_id, status, "--brand", "openapitest")
        assert moved["order_status"] == status
    backwards = cafe.server.admin(
        "receipt", "status", receipt_id, "NEW", "--brand", "openapitest", check=False
    )
    assert backwards.exit_code == 1
    closed = admin(
        "receipt", "close", receipt_id, "--brand", "openapitest", "--payment-method", "Card"
    )
    assert closed["payment_methods"][0]["name"] == "Card"
    again = cafe.server.admin("receipt", "close", receipt_id, "--brand", "openapitest", check=False)
    assert again.exit_code == 4
    seen = data(cafe.http.get(f"{V2}/orders/{created['id']}", headers=cafe.v2))
    assert seen["status"] == "DELIVERED"
    refused = cafe.server.admin(
        "order", "ignore", str(created["id"]), "--brand", "openapitest", check=False
    )
    assert refused.exit_code == 4
    missing = cafe.server.admin("order", "accept", "999999", "--brand", "openapitest", check=False)
    assert missing.exit_code == 3
    ignored = order(cafe)
    answer = cafe.server.admin("order", "ignore", str(ignored["id"]), "--brand", "openapitest")
    assert answer.output.strip() == f"order {ignored['id']}: IGNORE"


def test_operator_api_is_for_the_operator_only(cafe: Cafe) -> None:
    created = order(cafe)
    as_integrator = cafe.http.post(f"{ADMIN}/orders/{created['id']}/accept", headers=cafe.v2)
    assert as_integrator.status_code == 401
    listing = cafe.http.get(f"{ADMIN}/orders", headers=cafe.operator, params={"status": "PENDING"})
    assert created["id"] in [o["id"] for o in data(listing)]
    accepted = data(cafe.http.post(f"{ADMIN}/orders/{created['id']}/accept", headers=cafe.operator))
    receipt_id = accepted["receipt_id"]
    again = cafe.http.post(f"{ADMIN}/orders/{created['id']}/accept", headers=cafe.operator)
    assert again.status_code == 409
    moved = cafe.http.put(
        f"{ADMIN}/receipts/{receipt_id}/status",
        headers=cafe.operator,
        json={"order_status": "READY"},
    )
    assert data(moved)["order_status"] == "READY"
    closed = cafe.http.post(f"{ADMIN}/receipts/{receipt_id}/close", headers=cafe.operator, json={})
    assert data(closed)["payment_methods"][0]["name"] == "Cash"


@pytest.mark.usefixtures("manual_afterwards")
def test_order_modes(cafe: Cafe) -> None:
    admin = cafe.server.admin_json
    assert admin("venue", "order-mode", "--brand", "openapitest", "--venue", "1", "accept") == {
        "venue_id": 1,
        "mode": "accept",
        "accept_after_seconds": None,
    }
    accepted = order(cafe)
    assert accepted["status"] == "RECEIVED" and accepted["receipt_id"] is not None

    mode = cafe.http.put(
        f"{ADMIN}/venues/1/order-mode", headers=cafe.operator, json={"mode": "ignore"}
    )
    assert data(mode)["mode"] == "ignore"
    assert order(cafe)["status"] == "IGNORE"

    admin("venue", "order-mode", "--brand", "openapitest", "--venue", "1", "accept-after", "1")
    shown = data(cafe.http.get(f"{ADMIN}/venues/1/order-mode", headers=cafe.operator))
    assert shown == {"venue_id": 1, "mode": "accept-after", "accept_after_seconds": 1}
    later = order(cafe)
    assert later["status"] == "PENDING"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        seen = data(cafe.http.get(f"{V2}/orders/{later['id']}", headers=cafe.v2))
        if seen["status"] == "RECEIVED":
            break
        time.sleep(0.2)
    assert seen["status"] == "RECEIVED" and seen["receipt_id"] is not None

    admin("venue", "order-mode", "--brand", "openapitest", "--venue", "1", "manual")
    assert order(cafe)["status"] == "PENDING"
    usage = cafe.server.admin(
        "venue", "order-mode", "--brand", "openapitest", "--venue", "1", "accept-after", check=False
    )
    assert usage.exit_code == 2
    unknown = cafe.server.admin(
        "venue", "order-mode", "--brand", "openapitest", "--venue", "9", "accept", check=False
    )
    assert unknown.exit_code == 3


def test_a_demo_day_of_orders(cafe: Cafe) -> None:
    made = cafe.server.admin_json("demo", "orders", "--brand", "openapitest", "--count", "40")
    assert made["orders"] == 40
    assert (
        made["closed"] > 25
        and made["closed"] + made["cancelled"] + made["ignored"] + made["pending"] == 40
    )
    closed = cafe.http.get(
        f"{V2}/receipts",
        headers=cafe.v2,
        params={"filters[0][0]": "status", "filters[0][1]": "2", "limit": 200},
    ).json()["data"]
    demo = [r for r in closed if (r["order_number"] or "").startswith("D-")]
    assert len(demo) == made["closed"]
    assert all(r["closed_at"] > r["created_at"] for r in demo)
    assert len({r["created_at"][:13] for r in demo}) > 3  # spread over the hours
    assert any(
        cafe.http.get(f"{V2}/receipts/{r['id']}/stock-operations", headers=cafe.v2).json()["data"]
        for r in demo[:5]
    )


def test_two_servers_accepting_the_same_due_order(cafe: Cafe) -> None:
    """Every server accepts due `accept-after` orders; racing for one, exactly one does."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.orders import life as orders

    db = cafe.server.app.state.db
    created = order(cafe)

    async def race() -> list[int]:
        brand_id = await db.read(brand_id_of, "openapitest")
        due = [(brand_id, created["id"])]
        return list(
            await asyncio.gather(db.write(orders.accept_due, due), db.write(orders.accept_due, due))
        )

    portal = cafe.server._portal
    assert portal is not None
    assert sorted(portal.call(race)) == [0, 1]
    made = cafe.http.get(
        f"{V2}/receipts",
        headers=cafe.v2,
        params={"filters[0][0]": "service_notification_id", "filters[0][1]": str(created["id"])},
    ).json()
    assert made["total"] == 1
    seen = data(cafe.http.get(f"{V2}/orders/{created['id']}", headers=cafe.v2))
    assert seen["status"] == "RECEIVED" and seen["receipt_id"] == made["data"][0]["id"]


def test_a_cancelled_orders_receipt_closes_as_cancelled_never_as_paid(cafe: Cafe) -> None:
    admin = cafe.server.admin_json
    created = order(cafe)
    receipt_id = str(
        admin("order", "accept", str(created["id"]), "--brand", "openapitest")["receipt_id"]
    )
    admin("receipt", "status", receipt_id, "CANCELLED", "--brand", "openapitest")
    payment = {"id": cafe.payment_methods["Cash"], "name": "Cash", "amount": 100}
    # Paid through the API, the CLI or a terminal's v1 close: refused, the receipt still open.
    refused = cafe.http.post(
        f"{V2}/receipts/{receipt_id}/close", headers=cafe.v2, json={"payment_methods": [payment]}
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "receipt_cancelled"
    by_cli = cafe.server.admin(
        "receipt", "close", receipt_id, "--brand", "openapitest", check=False
    )
    assert by_cli.exit_code == 4 and "cancelled" in by_cli.output
    assert data(cafe.http.get(f"{V2}/receipts/{receipt_id}", headers=cafe.v2))["status"] == 1

    closed = admin("receipt", "close", receipt_id, "--brand", "openapitest", "--cancelled")
    assert closed["payment_methods"] == [] and closed["order_status"] == "CANCELLED"
    seen = data(cafe.http.get(f"{V2}/receipts/{receipt_id}", headers=cafe.v2))
    assert (seen["status"], seen["order_status"], seen["payment_methods"]) == (2, "CANCELLED", [])
    assert seen["remaining"] == 0
    operations = cafe.http.get(f"{V2}/receipts/{receipt_id}/stock-operations", headers=cafe.v2)
    assert operations.json()["data"] == []  # nothing sold, nothing taken from stock
    assert (
        data(cafe.http.get(f"{V2}/orders/{created['id']}", headers=cafe.v2))["status"]
        != "DELIVERED"
    )

    # Only a cancelled order's receipt closes without a payment.
    other = order(cafe)
    other_receipt = str(
        admin("order", "accept", str(other["id"]), "--brand", "openapitest")["receipt_id"]
    )
    unpaid = cafe.server.admin(
        "receipt", "close", other_receipt, "--brand", "openapitest", "--cancelled", check=False
    )
    assert unpaid.exit_code == 4 and "not cancelled" in unpaid.output


_OWN = {
    *("id", "cid", "order_id", "receipt_id", "receipt_product_id", "service_notification_id"),
    *("created_at", "updated_at"),
}


def _same_whatever_the_ids(value: Any) -> Any:
    """`value` without what two records of the same content differ in: ids, times."""
    if isinstance(value, dict):
        return {k: _same_whatever_the_ids(v) for k, v in value.items() if k not in _OWN}
    if isinstance(value, list):
        return [_same_whatever_the_ids(item) for item in value]
    return value


def test_an_order_accepted_as_it_arrives_is_the_order_the_venue_accepts_later(
    cafe: Cafe,
) -> None:
    """`auto_order_accept` inserts the order received, with its receipt, in one go; the
    venue's accepting a pending order moves it there. Both end the same: the order, its
    receipt, the receipt's lines and their modificators."""
    later = order(cafe)
    accepted = cafe.server.admin_json("order", "accept", str(later["id"]), "--brand", "openapitest")
    at_once = data(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order(auto_order_accept=True)),
        201,
    )
    assert at_once["status"] == accepted["status"] == "RECEIVED"
    assert at_once["receipt_id"]
    orders, receipts = [], []
    for made in (later, at_once):
        orders.append(data(cafe.http.get(f"{V2}/orders/{made['id']}", headers=cafe.v2)))
        receipt_id = orders[-1]["receipt_id"]
        receipts.append(
            data(
                cafe.http.get(
                    f"{V2}/receipts/{receipt_id}",
                    params={"with[]": ["receipt_products.modificators"]},
                    headers=cafe.v2,
                )
            )
        )
    first, second = (_same_whatever_the_ids(o) for o in orders)
    first["payload"].pop("auto_order_accept")
    second["payload"].pop("auto_order_accept")
    assert first == second
    assert _same_whatever_the_ids(receipts[0]) == _same_whatever_the_ids(receipts[1])
    assert len(receipts[1]["receipt_products"]) == len(cafe.v2_order()["products"])
