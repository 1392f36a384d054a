"""Receipts: listing and lookup, v1's terminal-style writes (create closed, update, delete
with the stock put back), and concurrent closes and updates of one receipt."""

from __future__ import annotations

import asyncio
import itertools
import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.receipts import Receipt
from clopos.store.models import ChangeLog
from tests.orders.books import call
from tests.orders.conftest import Cafe, open_cafe
from tests.support import CLIENT_ADDRESS, note_driver_statements

V1 = "/open-api"
V2 = "/open-api/v2"
ADMIN = "/admin/api/brands/openapitest"


def data(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.json()["success"] is True
    return response.json()["data"]


def open_receipt(cafe: Cafe, **order: Any) -> dict[str, Any]:
    """An order accepted at once: its open receipt."""
    body = cafe.v2_order(auto_order_accept=True, **order)
    created = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), 201)
    receipt: dict[str, Any] = data(
        cafe.http.get(f"{V2}/receipts/{created['receipt_id']}", headers=cafe.v2)
    )
    return receipt


def concurrently(
    cafe: Cafe, *requests: tuple[str, str, dict[str, str], Any]
) -> list[httpx.Response]:
    """Send the requests at the same time to the in-process app (asyncio.gather)."""
    app = cafe.server.app

    async def send() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app, client=CLIENT_ADDRESS)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            sent = [
                client.request(method, url, headers=headers, json=body)
                for method, url, headers, body in requests
            ]
            return list(await asyncio.gather(*sent))

    portal = cafe.server._portal
    assert portal is not None
    answers: list[httpx.Response] = portal.call(send)
    return answers


def v1_receipt(cafe: Cafe, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cid": str(uuid.uuid4()),
        "payment_methods": [{"id": cafe.payment_methods["Cash"], "name": "Cash", "amount": 4.4}],
        "sale_type_id": cafe.sale_types["Takeaway"],
        "receipt_products": [{"product_id": cafe.products["Espresso"], "count": 2}],
        "created_at": "2026-01-02 09:30:00",
        "closed_at": "2026-01-02 10:00:00",
    }
    body.update(overrides)
    return body


def test_list_filters_sorts_and_lookups(cafe: Cafe) -> None:
    receipt = open_receipt(cafe)
    listing = cafe.http.get(
        f"{V2}/receipts",
        headers=cafe.v2,
        params={
            "filters[0][0]": "status",
            "filters[0][1]": "1",
            "sort[0]": "total",
            "sort[1]": "1",
            "with[]": "receipt_products.product.unit",
        },
    ).json()
    ListEnvelope[Receipt].model_validate(listing)
    assert listing["sorts"] == ["created_at", "updated_at", "closed_at", "total", "id"]
    assert all(r["status"] == 1 for r in listing["data"])
    totals = [r["total"] for r in listing["data"]]
    assert totals == sorted(totals)
    line = next(r for r in listing["data"] if r["id"] == receipt["id"])["receipt_products"][0]
    assert line["product"]["name"] == "Cappuccino" and "unit" in line["product"]
    bad = cafe.http.get(f"{V1}/receipts", headers=cafe.v1, params={"sort[0]": "id", "sort[1]": "2"})
    assert bad.status_code == 400 and bad.json()["message"] == "sort[1] must be 1 or -1"
    missing = cafe.http.get(f"{V1}/receipts/999999", headers=cafe.v1)
    assert missing.status_code == 404
    assert missing.json()["error"][0] == {  # v1: the Laravel list (docs/compatibility.md)
        "message": "No query results for model [App\\Models\\Client\\Receipt] 999999",
        "type": "server_side",
        "exception": "NotFoundHttpException",
        "code": None,
        "http_code": 404,
    }
    gone = cafe.http.get(f"{V2}/receipts/999999", headers=cafe.v2)
    assert gone.json() == {"success": False, "error": "not_found", "message": "Receipt not found"}
    malformed = cafe.http.get(f"{V2}/receipts/cid/not-a-uuid", headers=cafe.v2)
    assert malformed.status_code == 400
    unknown = cafe.http.get(f"{V2}/receipts/cid/{uuid.uuid4()}", headers=cafe.v2)
    assert unknown.status_code == 404
    by_cid = data(cafe.http.get(f"{V2}/receipts/cid/{receipt['cid']}", headers=cafe.v2))
    assert by_cid["id"] == receipt["id"]


def test_patch_changes_only_its_fields(cafe: Cafe) -> None:
    receipt = open_receipt(cafe)
    patched = cafe.http.patch(
        f"{V1}/receipts/{receipt['id']}",
        headers=cafe.v1,
        json={"order_number": "RPO-00001", "fiscal_id": "F-9", "lock": True, "total": 0},
    )
    changed = data(patched)
    Envelope[Receipt].model_validate(patched.json())
    assert (changed["order_number"], changed["fiscal_id"], changed["lock"]) == (
        "RPO-00001",
        "F-9",
        True,
    )
    assert changed["total"] == receipt["total"]
    invalid = cafe.http.patch(
        f"{V2}/receipts/{receipt['id']}", headers=cafe.v2, json={"order_status": "SOON"}
    )
    assert invalid.status_code == 400
    assert invalid.json() == {
        "success": False,
        "error": "validation_failed",
        "message": "Invalid field values provided",
    }


def test_v1_create_update_and_delete_put_stock_back(cafe: Cafe) -> None:
    body = v1_receipt(cafe)
    created = cafe.http.post(f"{V1}/receipts", headers=cafe.v1, json=body)
    receipt = data(created, 201)
    assert receipt["status"] == 2 and receipt["total"] == 4.4 and receipt["by_cash"] == 4.4
    assert receipt["created_at"] == "2026-01-02 09:30:00"
    assert receipt["closed_at"] == "2026-01-02 10:00:00"
    assert len(receipt["receipt_products"]) == 1
    duplicate = cafe.http.post(f"{V1}/receipts", headers=cafe.v1, json=body)
    assert duplicate.status_code == 409 and duplicate.json()["error"] == "duplicate_cid"
    short = cafe.http.post(
        f"{V1}/receipts",
        headers=cafe.v1,
        json=v1_receipt(cafe, payment_methods=[{"id": cafe.payment_methods["Cash"], "amount": 1}]),
    )
    assert short.status_code == 400

    operations = cafe.http.get(f"{V2}/receipts/{receipt['id']}/stock-operations", headers=cafe.v2)
    [beans] = operations.json()["data"]
    assert beans["product"]["name"] == "Coffee beans" and beans["quantity"] == 0.036

    wrong_id = cafe.http.put(
        f"{V1}/receipts/{receipt['id']}",
        headers=cafe.v1,
        json={"id": receipt["id"] + 1, "cid": receipt["cid"]},
    )
    assert wrong_id.status_code == 400
    wrong_cid = cafe.http.put(
        f"{V1}/receipts/{receipt['id']}",
        headers=cafe.v1,
        json={"id": receipt["id"], "cid": str(uuid.uuid4())},
    )
    assert wrong_cid.status_code == 400
    updated = data(
        cafe.http.put(
            f"{V1}/receipts/{receipt['id']}",
            headers=cafe.v1,
            json={
                "id": receipt["id"],
                "cid": receipt["cid"],
                "description": "table 4",
                "guests": 3,
            },
        )
    )
    assert (updated["description"], updated["guests"]) == ("table 4", 3)
    nulls = cafe.http.put(
        f"{V1}/receipts/{receipt['id']}",
        headers=cafe.v1,
        json={"id": receipt["id"], "cid": receipt["cid"], "guests": None, "description": None},
    )
    assert (data(nulls)["guests"], data(nulls)["description"]) == (3, None)
    amounts = cafe.http.put(
        f"{V1}/receipts/{receipt['id']}",
        headers=cafe.v1,
        json={"id": receipt["id"], "cid": receipt["cid"], "delivery_fee": 5},
    )
    assert amounts.status_code == 409

    removed = cafe.http.delete(f"{V1}/receipts/{receipt['id']}", headers=cafe.v1)
    assert removed.status_code == 200
    assert removed.json()["message"] == "Receipt removed successfully"
    assert cafe.http.get(f"{V1}/receipts/{receipt['id']}", headers=cafe.v1).status_code == 404
    assert cafe.http.delete(f"{V1}/receipts/{receipt['id']}", headers=cafe.v1).status_code == 404
    # The next sale of the same starts from where the deleted one started: stock put back.
    again = data(cafe.http.post(f"{V1}/receipts", headers=cafe.v1, json=v1_receipt(cafe)), 201)
    [next_beans] = cafe.http.get(
        f"{V2}/receipts/{again['id']}/stock-operations", headers=cafe.v2
    ).json()["data"]
    assert next_beans["before_quantity"] == beans["before_quantity"]


def test_v1_put_closes_an_open_receipt(cafe: Cafe) -> None:
    receipt = open_receipt(cafe)
    closed = data(
        cafe.http.put(
            f"{V1}/receipts/{receipt['id']}",
            headers=cafe.v1,
            json={
                "id": receipt["id"],
                "cid": receipt["cid"],
                "delivery_fee": 1,
                "closed_at": "2099-01-01 00:00:00",
                "payment_methods": [
                    {"id": cafe.payment_methods["Card"], "amount": receipt["total"] + 1}
                ],
            },
        )
    )
    assert closed["status"] == 2 and closed["total"] == receipt["total"] + 1
    assert closed["by_card"] == receipt["total"] + 1


def test_two_concurrent_closes_one_wins(cafe: Cafe) -> None:
    for _ in range(3):
        receipt = open_receipt(cafe)
        close = {"payment_methods": [{"id": cafe.payment_methods["Cash"], "amount": 100}]}
        url = f"{V2}/receipts/{receipt['id']}/close"
        answers = concurrently(cafe, ("POST", url, cafe.v2, close), ("POST", url, cafe.v2, close))
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        loser = next(a for a in answers if a.status_code == 409).json()
        assert loser["success"] is False and loser["error"] in {"receipt_closed", "conflict"}
        operations = cafe.http.get(
            f"{V2}/receipts/{receipt['id']}/stock-operations", headers=cafe.v2
        ).json()["data"]
        assert len({(o["receipt_product_id"], o["product_id"]) for o in operations}) == len(
            operations
        )
        paid = data(cafe.http.get(f"{V2}/receipts/{receipt['id']}", headers=cafe.v2))
        assert len(paid["payment_methods"]) == 1


def test_concurrent_updates_and_accept_against_ignore(cafe: Cafe) -> None:
    receipt = open_receipt(cafe)
    url = f"{V2}/receipts/{receipt['id']}"
    answers = concurrently(
        cafe,
        ("PATCH", url, cafe.v2, {"order_status": "IN_PROGRESS"}),
        ("POST", f"{url}/close", cafe.v2, {"payment_methods": [{"id": 1, "amount": 100}]}),
    )
    assert all(a.status_code in (200, 409) for a in answers), [a.text for a in answers]
    order = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order()), 201)
    answers = concurrently(
        cafe,
        ("POST", f"{ADMIN}/orders/{order['id']}/accept", cafe.operator, None),
        ("POST", f"{ADMIN}/orders/{order['id']}/ignore", cafe.operator, None),
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    final = data(cafe.http.get(f"{V2}/orders/{order['id']}", headers=cafe.v2))
    assert final["status"] in {"RECEIVED", "IGNORE"}
    assert (final["receipt_id"] is not None) == (final["status"] == "RECEIVED")


def test_a_brand_s_first_orders_at_once(make_server: Callable[..., Any]) -> None:
    """Concurrent first orders of a brand: each gets its own ids (the id sequences do not
    exist yet, and every unit would create them)."""
    cafe = open_cafe(make_server(seed_demo_history=False))
    body = cafe.v2_order(auto_order_accept=True)
    answers = concurrently(cafe, *[("POST", f"{V2}/orders", cafe.v2, body)] * 6)
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    orders = [a.json()["data"] for a in answers]
    assert len({o["id"] for o in orders}) == 6
    assert len({o["receipt_id"] for o in orders}) == 6
    # Their first closes at once: the storage and the stock rows are made once, and every
    # deduction counts.
    pay = {"payment_methods": [{"id": cafe.payment_methods["Cash"], "amount": 100}]}
    closes = [("POST", f"{V2}/receipts/{o['receipt_id']}/close", cafe.v2, pay) for o in orders]
    answers = concurrently(cafe, *closes)
    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    moves = []
    for created in orders:
        moves += cafe.http.get(
            f"{V2}/receipts/{created['receipt_id']}/stock-operations", headers=cafe.v2
        ).json()["data"]
    beans = sorted(
        (m for m in moves if m["product"]["name"] == "Coffee beans"),
        key=lambda m: -m["before_quantity"],
    )
    assert len({m["stock_id"] for m in moves if m["product"]["name"] == "Coffee beans"}) == 1
    assert beans[0]["before_quantity"] == 0
    for earlier, later in itertools.pairwise(beans):
        assert later["before_quantity"] == earlier["after_quantity"]


def test_a_replayed_close_gets_the_first_answer(cafe: Cafe) -> None:
    receipt = open_receipt(cafe)
    url = f"{V2}/receipts/{receipt['id']}/close"
    body = {"payment_methods": [{"id": cafe.payment_methods["Card"], "amount": 100}]}
    keyed = {**cafe.v2, "Idempotency-Key": f"close-{receipt['id']}"}
    first = cafe.http.post(url, headers=keyed, json=body)
    replay = cafe.http.post(url, headers=keyed, json=body)
    assert first.status_code == replay.status_code == 200
    assert replay.headers.get("idempotent-replayed") == "true"
    assert data(replay) == data(first)
    unkeyed = cafe.http.post(url, headers=cafe.v2, json=body)
    assert unkeyed.status_code == 409
    v1 = data(cafe.http.get(f"{V1}/receipts/{receipt['id']}", headers=cafe.v1))
    assert v1["status"] == 2 and len(v1["payment_methods"]) == 1
    for missing in (f"{V2}/receipts/999999/close", f"{V2}/receipts/999999/stock-operations"):
        answer = (
            cafe.http.post(missing, headers=cafe.v2, json=body)
            if missing.endswith("close")
            else cafe.http.get(missing, headers=cafe.v2)
        )
        assert answer.status_code == 404 and answer.json()["message"] == "Receipt not found"


def test_a_close_logs_its_receipt_and_order_and_on_postgres_writes_in_one_statement(
    cafe: Cafe, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API's close: on PostgreSQL it reads what it needs in one statement (its receipt,
    the payment methods and their balances, the lines, the recipe tree, the taxes), and its
    receipt, order, stock levels and balances move, and its rows are added, in the one
    statement of its commit (store/moves.py); on either database the receipt and its
    delivered order are logged, each by its id."""
    body = cafe.v2_order(auto_order_accept=True)
    order = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), 201)
    receipt = {"id": order["receipt_id"], "order_id": order["id"]}
    seen: list[str] = []
    note_driver_statements(monkeypatch, lambda sql, _on, _auto: seen.append(" ".join(sql.split())))
    pay = {"payment_methods": [{"id": cafe.payment_methods["Cash"], "amount": 100}]}
    data(cafe.http.post(f"{V2}/receipts/{receipt['id']}/close", headers=cafe.v2, json=pay))
    monkeypatch.undo()

    def logged(session: Session, brand_id: int) -> set[tuple[str, str | None, str]]:
        rows = session.execute(
            select(ChangeLog.resource, ChangeLog.record_id, ChangeLog.kind).where(
                ChangeLog.brand_id == brand_id,
                ChangeLog.resource.in_(["receipts", "orders"]),
                ChangeLog.record_id.in_([str(receipt["id"]), str(receipt["order_id"])]),
            )
        )
        return {tuple(row) for row in rows}  # type: ignore[misc]

    log = call(cafe, logged)
    assert ("receipts", str(receipt["id"]), "update") in log
    assert ("orders", str(receipt["order_id"]), "update") in log
    # (the recorder sees the whole process: the server's own timers may move orders)
    moving = [text for text in seen if re.search(r"UPDATE (receipts|stocks|balances)", text)]
    if seen:  # PostgreSQL
        # (only a close's read names the payment methods and the receipt's lines together)
        read = [text for text in seen if not re.search(r"\b(INSERT|UPDATE|DELETE)\b", text)]
        reads = [text for text in read if "payment_methods" in text and "receipt_products" in text]
        assert len(reads) == 1, reads
        named = set(re.findall(r"\b(?:FROM|JOIN) (\w+)", reads[0]))
        wanted = {"receipts", "cash_shifts", "storages", "balances", "recipe_items", "taxes"}
        assert wanted <= named, wanted - named
        alone = [text for text in read if re.search(r"\b(FROM|JOIN) balances\b", text)]
        assert alone == reads, alone  # no read of the balances of its own
        assert len(moving) == 1, moving
        for part in (
            "UPDATE receipts",
            "UPDATE orders",
            # The rows every close shares, by their functions (migration 0019).
            "FROM clopos_move_stocks(",
            "FROM clopos_move_balances(",
            "INSERT INTO stock_operations",
            "INSERT INTO finance_transactions",
            "INSERT INTO receipt_payments",
            "INSERT INTO change_log",
        ):
            assert part in moving[0], part
