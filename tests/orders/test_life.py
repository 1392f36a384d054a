"""The life of an order, end to end on both databases: order -> accepted -> receipt ->
kitchen statuses -> closed -> stock operations -> delivered."""

from __future__ import annotations

from typing import Any

from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.orders import Order
from clopos.schemas.receipts import Receipt, StockOperation
from tests.orders.conftest import Cafe

V1 = "/open-api"
V2 = "/open-api/v2"
ADMIN = "/admin/api/brands/openapitest"


def data(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is True
    return body["data"]


def test_v2_order_accepted_cooked_closed_and_stock_deducted(cafe: Cafe) -> None:
    http = cafe.http
    created = http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order(order_number="A-1"))
    order = data(created, 201)
    assert created.json()["message"] == "Order created"
    Envelope[Order].model_validate(created.json())
    assert order["status"] == "PENDING" and order["receipt_id"] is None
    # Priced by the server: 2 x (3.6 + 0.6 oat milk) + 2.2 espresso.
    assert order["payload"]["meta"]["orderTotal"] == "10.6000"
    assert order["payload"]["products"][0]["meta"]["order_product"]["product"]["name"] == (
        "Cappuccino"
    )

    pending = data(http.get(f"{V2}/orders", headers=cafe.v2, params={"status": "PENDING"}))
    assert order["id"] in [o["id"] for o in pending]

    accepted = data(http.post(f"{ADMIN}/orders/{order['id']}/accept", headers=cafe.operator))
    assert accepted["status"] == "RECEIVED"
    receipt = accepted["receipt"]
    assert receipt["status"] == 1 and receipt["order_status"] == "NEW"
    assert receipt["total"] == 10.6 and receipt["service_notification_id"] == order["id"]

    with_receipt = data(
        http.get(
            f"{V1}/orders/{order['id']}",
            headers=cafe.v1,
            params={"with[0]": "receipt:id,service_notification_id,status"},
        )
    )
    assert with_receipt["receipt"]["id"] == receipt["id"]

    for status in ("IN_PROGRESS", "READY", "PICKED_UP"):
        patched = http.patch(
            f"{V2}/receipts/{receipt['id']}", headers=cafe.v2, json={"order_status": status}
        )
        assert data(patched)["order_status"] == status
        assert patched.json()["message"] == "Operation completed successfully"
    backwards = http.patch(
        f"{V2}/receipts/{receipt['id']}", headers=cafe.v2, json={"order_status": "NEW"}
    )
    assert backwards.status_code == 400
    assert backwards.json()["message"] == "order_status cannot change from PICKED_UP to NEW"

    short = http.post(
        f"{V2}/receipts/{receipt['id']}/close",
        headers=cafe.v2,
        json={"payment_methods": [{"id": cafe.payment_methods["Cash"], "amount": 5}]},
    )
    assert short.status_code == 400 and short.json()["error"] == "validation_failed"
    early = http.post(
        f"{V2}/receipts/{receipt['id']}/close",
        headers=cafe.v2,
        json={
            "payment_methods": [{"id": cafe.payment_methods["Cash"], "amount": 10.6}],
            "closed_at": "2020-01-01 00:00:00",
        },
    )
    assert early.status_code == 400
    assert early.json()["message"] == "closed_at must be greater than created_at"

    closed = http.post(
        f"{V2}/receipts/{receipt['id']}/close",
        headers=cafe.v2,
        json={
            "payment_methods": [
                {"id": cafe.payment_methods["Cash"], "name": "Cash", "amount": 6},
                {"id": cafe.payment_methods["Card"], "amount": 4.6},
            ]
        },
    )
    assert closed.json()["message"] == "Receipt closed"
    assert [p["amount"] for p in data(closed)["payment_methods"]] == [6, 4.6]
    again = http.post(
        f"{V2}/receipts/{receipt['id']}/close",
        headers=cafe.v2,
        json={"payment_methods": [{"id": cafe.payment_methods["Cash"], "amount": 10.6}]},
    )
    assert again.status_code == 409

    full = data(
        http.get(
            f"{V2}/receipts/{receipt['id']}",
            headers=cafe.v2,
            params={"with[]": "receipt_products.modificators.modificator_group"},
        )
    )
    Receipt.model_validate(full)
    assert full["status"] == 2 and full["by_cash"] == 6 and full["by_card"] == 4.6
    assert [line["count"] for line in full["receipt_products"]] == [2, 1]
    assert full["receipt_products"][0]["modificators"][0]["name"] == "Oat milk"
    by_cid = data(http.get(f"{V2}/receipts/cid/{full['cid']}", headers=cafe.v2))
    assert by_cid["id"] == receipt["id"]

    operations = http.get(f"{V2}/receipts/{receipt['id']}/stock-operations", headers=cafe.v2)
    assert operations.status_code == 200
    Envelope[list[StockOperation]].model_validate(operations.json())
    taken: dict[str, float] = {}
    for operation in operations.json()["data"]:
        name = operation["product"]["name"]
        taken[name] = round(taken.get(name, 0) + operation["quantity"], 6)
        assert operation["after_quantity"] == round(
            operation["before_quantity"] - operation["quantity"], 6
        )
    # Cappuccino: espresso base (30 ml of a 30 ml / 0.018 kg recipe) + 0.15 l milk, each x2;
    # the oat milk modifier 0.15 l x2; the espresso: 30 ml of base.
    assert taken == {"Coffee beans": 0.054, "Whole milk": 0.3, "Oat milk": 0.3}

    delivered = data(http.get(f"{V2}/orders/{order['id']}", headers=cafe.v2))
    assert delivered["status"] == "DELIVERED"
    ListEnvelope[Order].model_validate(http.get(f"{V2}/orders", headers=cafe.v2).json())
