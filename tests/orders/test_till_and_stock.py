"""The till and the stock on the operator's side (operator API and CLI), on both databases:
a shift closed and opened, cash moved, supplies, waste, transfers and drafts posted, and
the ingredient's stock equal to its initial stock plus supplies minus recipe deductions
minus waste."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from tests.orders.books import books
from tests.orders.conftest import Cafe

V2 = "/open-api/v2"
ADMIN = "/admin/api/brands/openapitest"


def get(cafe: Cafe, path: str, **params: Any) -> Any:
    response = cafe.http.get(f"{V2}{path}", headers=cafe.v2, params=params or None)
    assert response.status_code == 200, (path, response.text)
    return response.json()["data"]


def post(cafe: Cafe, path: str, body: dict[str, Any], status: int = 201) -> Any:
    response = cafe.http.post(f"{ADMIN}{path}", headers=cafe.operator, json=body)
    assert response.status_code == status, (path, response.text)
    return response.json()


def level(cafe: Cafe, product_id: int, storage_id: int = 1) -> float:
    stocks = get(cafe, "/stock", product_id=product_id, storage_id=storage_id)
    return float(stocks[0]["quantity"]) if stocks else 0.0


def test_a_shift_closed_and_opened_with_cash_moved(cafe: Cafe) -> None:
    live = cafe.server
    live.admin("shift", "close", "--brand", "openapitest", "--venue", "1", check=False)
    again = cafe.http.post(f"{ADMIN}/venues/1/shift/close", headers=cafe.operator, json={})
    assert again.status_code == 409 and again.json()["error"] == "shift_closed"
    opened = post(cafe, "/venues/1/shift/open", {"amount": 150, "by": "Aysel"})["data"]
    assert opened["status"] == 1 and opened["opening_amount"] == 150 and len(opened["id"]) == 36
    twice = cafe.http.post(f"{ADMIN}/venues/1/shift/open", headers=cafe.operator, json={})
    assert twice.status_code == 409 and twice.json()["error"] == "shift_open"
    post(cafe, "/venues/1/shift/cash", {"amount": 30, "description": "Float top-up"})
    post(cafe, "/venues/1/shift/cash", {"amount": -10, "description": "Window cleaner"})
    closed = live.admin_json("shift", "close", "--brand", "openapitest", "--amount", "165")
    report = closed["report"]
    assert report["cash_in"] == 30 and report["cash_out"] == 10
    assert report["expected_amount"] == 170 and report["difference"] == -5
    listed = get(cafe, f"/finance/cash-shifts/{opened['id']}/report")
    assert listed["cash_shift"]["status"] == 2 and listed["difference"] == -5
    reopened = live.admin_json("shift", "open", "--brand", "openapitest", "--amount", "100")
    assert reopened["status"] == 1
    assert books(cafe)["problems"] == []


def test_stock_follows_documents_and_sales(cafe: Cafe) -> None:
    beans = cafe.products["Coffee beans"]
    supplier = post(cafe, "/suppliers", {"name": "Roastery Two", "phone": "+994125550199"})["data"]
    assert supplier["balance"] == 0 and supplier["balance_id"] is not None
    cash = next(b for b in get(cafe, "/finance/balances") if b["type"] == "CASH")
    supply = post(
        cafe,
        "/operations",
        {
            "type": 1,
            "storage_id": 1,
            "supplier_id": supplier["id"],
            "balance_id": cash["id"],
            "paid": 40,
            "items": [{"product_id": beans, "quantity": 4, "cost": 25}],
        },
    )["data"]
    assert supply["type_name"] == "IN" and supply["total"] == 100 and supply["paid"] == 40
    owed = get(cafe, f"/suppliers/{supplier['id']}")
    assert owed["spent"] == 100 and owed["balance"] == -60
    assert get(cafe, f"/finance/balances/{cash['id']}")["amount"] == pytest.approx(
        cash["amount"] - 40
    )

    waste = cafe.server.admin_json(
        "stock",
        "post",
        "--brand",
        "openapitest",
        "--type",
        "WASTE",
        "--storage",
        "1",
        "--item",
        f"{beans}:0.5",
    )
    assert waste["type_name"] == "WASTE"
    before_publish = level(cafe, beans)
    draft = post(
        cafe,
        "/operations",
        {"type": 4, "storage_id": 1, "status": 2, "items": [{"product_id": beans, "quantity": 1}]},
    )["data"]
    assert level(cafe, beans) == before_publish  # a draft moves nothing
    published = cafe.http.post(f"{ADMIN}/operations/{draft['id']}/publish", headers=cafe.operator)
    assert published.status_code == 200 and published.json()["data"]["status"] == 1
    assert level(cafe, beans) == pytest.approx(before_publish - 1)
    twice = cafe.http.post(f"{ADMIN}/operations/{draft['id']}/publish", headers=cafe.operator)
    assert twice.status_code == 409

    refused = cafe.http.post(
        f"{ADMIN}/operations",
        headers=cafe.operator,
        json={"type": 1, "storage_id": 1, "items": [{"product_id": beans, "quantity": 1}]},
    )
    assert refused.status_code == 400  # a supply names its supplier
    unknown = cafe.http.post(
        f"{ADMIN}/operations",
        headers=cafe.operator,
        json={"type": 4, "storage_id": 1, "items": [{"product_id": 999999, "quantity": 1}]},
    )
    assert unknown.status_code == 400
    assert level(cafe, beans) == pytest.approx(before_publish - 1)

    # A sale takes beans through the espresso base's recipe.
    order = cafe.http.post(
        f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order(auto_order_accept=True)
    ).json()["data"]
    closed = cafe.http.post(
        f"{V2}/receipts/{order['receipt_id']}/close",
        headers=cafe.v2,
        json={"payment_methods": [{"id": cafe.payment_methods["Card"], "amount": 100}]},
    )
    assert closed.status_code == 200, closed.text
    assert level(cafe, beans) < before_publish - 1

    # The ingredient's stock is its initial stock, plus supplies, less sales and waste.
    kinds = {o["id"]: o["type_name"] for o in get(cafe, "/operations", limit=200)}
    moved: dict[str, float] = defaultdict(float)
    for move in get(cafe, "/stock-operations", product_id=beans, storage_id=1, limit=200):
        kind = "SALE" if move["receipt_id"] else kinds[move["operation_id"]]
        moved[kind] += move["after_quantity"] - move["before_quantity"]
    assert set(moved) <= {"INITIAL_STOCK", "IN", "WASTE", "SALE", "TRANSFER"}
    expected = moved["INITIAL_STOCK"] + moved["IN"] + moved["WASTE"] + moved["SALE"]
    expected += moved["TRANSFER"]
    assert moved["WASTE"] < 0 and moved["SALE"] < 0 and moved["IN"] > 0
    assert level(cafe, beans) == pytest.approx(expected)
    assert books(cafe)["problems"] == []


def test_a_transfer_moves_between_storages(cafe: Cafe) -> None:
    bar = post(cafe, "/storages", {"name": "Terrace", "venue_id": 1})["data"]
    milk = cafe.products["Whole milk"]
    main_before = level(cafe, milk)
    post(
        cafe,
        "/operations",
        {
            "type": 3,
            "storage_id": 1,
            "to_storage_id": bar["id"],
            "items": [{"product_id": milk, "quantity": 2}],
        },
    )
    assert level(cafe, milk) == pytest.approx(main_before - 2)
    assert level(cafe, milk, bar["id"]) == 2
    nowhere = cafe.http.post(
        f"{ADMIN}/storages", headers=cafe.operator, json={"name": "X", "venue_id": 99}
    )
    assert nowhere.status_code == 404
