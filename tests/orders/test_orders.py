"""Orders in both versions and both bodies: creation, defaults and server-side totals, each
documented refusal (nothing half-written), listing, lookup, `PUT` and integration ids."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from clopos.core.orders import intake as service
from clopos.core.orders.facts import at_venue
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.orders import Order, OrderStatusChange
from tests.orders.conftest import Cafe

V1 = "/open-api"
V2 = "/open-api/v2"


def data(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.json()["success"] is True
    return response.json()["data"]


def refused(response: Any, message: str, error: str = "validation_failed") -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {"success": False, "error": error, "message": message}


def count(cafe: Cafe) -> int:
    total: int = cafe.http.get(f"{V2}/orders", headers=cafe.v2).json()["total"]
    return total


def test_v1_body_on_v1_and_on_v2(cafe: Cafe) -> None:
    for base, headers in ((V1, cafe.v1), (V2, cafe.v2)):
        answer = cafe.http.post(f"{base}/orders", headers=headers, json=cafe.v1_order())
        order = data(answer, 201)
        Envelope[Order].model_validate(answer.json())
        payload = order["payload"]
        assert payload["service"] == {
            "sale_type_id": cafe.sale_types["Delivery"],
            "venue_id": 1,
            "sale_type_name": "Delivery",
            "venue_name": "Main",
        }
        assert payload["customer_id"] == 1 and payload["customer"]["id"] == 1
        line = payload["products"][0]
        assert line["product_modificators"][0]["modificator_id"] == cafe.modifiers["Vanilla syrup"]
        assert line["meta"]["order_product"]["product_hash"]
        # Latte 3.9 + vanilla syrup 0.5, less 10%: the client's orderTotal is not trusted.
        assert payload["meta"]["orderTotal"] == "3.9600"
        assert payload["meta"]["total_discount"] == 0.44


def test_v2_defaults_and_totals(cafe: Cafe) -> None:
    body = cafe.v2_order(
        discount={"discount_type": 2, "discount_value": 1},
        service_charge={"enabled": True, "value": 10},
        delivery_fee=2.5,
        comment="Leave at the door",
    )
    order = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), 201)
    meta = order["payload"]["meta"]
    # 10.6 - 1 = 9.6; +10% = 0.96; + 2.5 delivery.
    assert (meta["subtotal"], meta["total_discount"], meta["service_charge_amount"]) == (
        10.6,
        1,
        0.96,
    )
    assert meta["orderTotal"] == "13.0600" and meta["comment"] == "Leave at the door"
    assert order["payload"]["products"][1]["portion_size"] == 1
    assert order["payload"]["auto_order_accept"] is False
    assert order["type"] == "CALL_CENTER_ORDER" and order["integration_status"] == "CREATED"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sale_type_id": None}, "The sale_type_id field is required."),
        ({"customer": None}, "The customer field is required."),
        ({"sale_type_id": "two"}, "The sale_type_id field must be an integer."),
        ({"products": []}, "The products field must have at least 1 item."),
        ({"venue_id": 99}, "The selected venue_id is invalid."),
        ({"sale_type_id": 999}, "The selected sale_type_id is invalid."),
        ({"customer": {"id": 10**9, "name": "x"}}, "The selected customer_id is invalid."),
        (
            {"products": [{"product_id": 10**9, "product_name": "x"}]},
            "The selected products.0.product_id is invalid.",
        ),
    ],
)
def test_documented_refusals_write_nothing(
    cafe: Cafe, change: dict[str, Any], message: str
) -> None:
    """`None` in `change` leaves the field out."""
    before = count(cafe)
    body = {k: v for k, v in cafe.v2_order(**change).items() if v is not None}
    refused(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), message)
    assert count(cafe) == before


def test_catalogue_refusals(cafe: Cafe) -> None:
    before = count(cafe)
    ingredient = cafe.v2_order(
        products=[{"product_id": cafe.products["Coffee beans"], "product_name": "Beans"}]
    )
    refused(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=ingredient),
        "Product Coffee beans (INGREDIENT) is not sold",
    )
    unknown_modifier = cafe.v2_order(
        products=[
            {
                "product_id": cafe.products["Espresso"],
                "product_name": "Espresso",
                "modifiers": [{"modifier_id": 10**9, "modifier_name": "x"}],
            }
        ]
    )
    refused(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=unknown_modifier),
        "The selected products.0.modifiers.0.modifier_id is invalid.",
    )
    not_offered = cafe.v2_order(
        products=[
            {
                "product_id": cafe.products["Espresso"],
                "product_name": "Espresso",
                "modifiers": [{"modifier_id": cafe.modifiers["Oat milk"], "modifier_name": "x"}],
            }
        ]
    )
    refused(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=not_offered),
        "Modifier Oat milk is not offered for Espresso",
    )
    incomplete = cafe.http.post(
        f"{V1}/orders",
        headers=cafe.v1,
        json=cafe.v1_order(payload={**cafe.v1_order()["payload"], "service": {"sale_type_id": 1}}),
    )
    refused(incomplete, "The payload.service.sale_type_name field is required.")
    assert count(cafe) == before


def test_stop_list_is_honoured(cafe: Cafe) -> None:
    espresso = cafe.products["Espresso"]
    admin = "/admin/api/brands/openapitest/stop-list"
    body = cafe.v2_order(
        products=[{"product_id": espresso, "product_name": "Espresso", "count": 3}]
    )
    try:
        cafe.http.put(f"{admin}/{espresso}", headers=cafe.operator, json={"limit": 0})
        refused(
            cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body),
            "Product Espresso is on the stop list (out of stock)",
        )
        cafe.http.put(f"{admin}/{espresso}", headers=cafe.operator, json={"limit": 2})
        refused(
            cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body),
            "Only 2 of product Espresso left (stop list); 3 ordered",
        )
        body["products"][0]["count"] = 2
        data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), 201)
    finally:
        cafe.http.delete(f"{admin}/{espresso}", headers=cafe.operator)


def test_a_stop_at_another_venue_leaves_this_venue_s_orders(cafe: Cafe) -> None:
    espresso = cafe.products["Espresso"]
    venues = cafe.server.admin_json("venue", "list", "--brand", "openapitest")
    if not any(v["id"] == 2 for v in venues):
        cafe.server.admin("venue", "create", "Second", "--brand", "openapitest", "--id", "2")
    admin = "/admin/api/brands/openapitest/stop-list"
    body = cafe.v2_order(products=[{"product_id": espresso, "product_name": "Espresso"}])
    stopped = cafe.http.put(
        f"{admin}/{espresso}", headers=cafe.operator, params={"venue": 2}, json={"limit": 0}
    )
    assert stopped.status_code == 200, stopped.text
    try:
        data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), 201)  # venue 1
    finally:
        cafe.http.delete(f"{admin}/{espresso}", headers=cafe.operator, params={"venue": 2})


def test_listing_filters_sorting_paging_and_lookup(cafe: Cafe) -> None:
    first = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order()), 201)
    # A second pending order of its own: a page of two must not depend on other tests'.
    data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order()), 201)
    listing = cafe.http.get(
        f"{V2}/orders",
        headers=cafe.v2,
        params={
            "status": "PENDING",
            "sort[0]": "id",
            "sort[1]": "1",
            "limit": 2,
            "with[]": "customer",
        },
    ).json()
    ListEnvelope[Order].model_validate(listing)
    assert listing["sorts"] == ["created_at", "updated_at", "id", "status"]
    assert [o["id"] for o in listing["data"]] == sorted(o["id"] for o in listing["data"])
    assert all(o["status"] == "PENDING" for o in listing["data"]) and len(listing["data"]) == 2
    today = first["created_at"][:10]
    dated = cafe.http.get(
        f"{V1}/orders", headers=cafe.v1, params={"date[0]": today, "date[1]": today}
    ).json()
    assert first["id"] in [o["id"] for o in dated["data"]]
    empty = cafe.http.get(
        f"{V1}/orders", headers=cafe.v1, params={"date[0]": "2000-01-01", "date[1]": "2000-01-02"}
    ).json()
    assert empty["total"] == 0
    refused(
        cafe.http.get(f"{V2}/orders", headers=cafe.v2, params={"status": "DONE"}),
        "status must be one of PENDING, RECEIVED, IGNORE, DELIVERED",
        "invalid_parameter",
    )
    missing = cafe.http.get(f"{V2}/orders/999999", headers=cafe.v2)
    assert missing.status_code == 404
    assert missing.json() == {
        "success": False,
        "error": "resource_not_found",
        "message": "Order not found",
    }
    found = data(
        cafe.http.get(f"{V1}/orders/{first['id']}", headers=cafe.v1, params={"with[]": "receipt"})
    )
    assert found["id"] == first["id"] and found["receipt"] is None


def test_put_accepts_only_ignore(cafe: Cafe) -> None:
    order = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order()), 201)
    refused(
        cafe.http.put(f"{V1}/orders/{order['id']}", headers=cafe.v1, json={"status": "READY"}),
        "Status is not allowed",
    )
    v1 = cafe.http.put(f"{V1}/orders/{order['id']}", headers=cafe.v1, json={"status": "IGNORE"})
    assert data(v1) == {"id": order["id"], "status": "IGNORE"}
    Envelope[OrderStatusChange].model_validate(v1.json())
    v2 = data(
        cafe.http.put(f"{V2}/orders/{order['id']}", headers=cafe.v2, json={"status": "IGNORE"})
    )
    assert v2["status"] == "IGNORE" and "payload" in v2
    accepted = data(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order(auto_order_accept=True)),
        201,
    )
    assert accepted["status"] == "RECEIVED" and accepted["receipt_id"]
    late = cafe.http.put(
        f"{V2}/orders/{accepted['id']}", headers=cafe.v2, json={"status": "IGNORE"}
    )
    assert late.status_code == 409 and late.json()["error"] == "invalid_transition"


def test_integration_uuid_finds_the_order_again(cafe: Cafe) -> None:
    before = count(cafe)
    body = cafe.v2_order(integration_uuid="wolt-7f3a", integration_id="wolt", customer_ref_id="c-1")
    first = cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body)
    again = cafe.http.post(
        f"{V1}/orders", headers=cafe.v1, json={**cafe.v1_order(), "integration_uuid": "wolt-7f3a"}
    )
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["message"] == "Order already exists"
    assert data(again)["id"] == data(first, 201)["id"]
    assert data(first, 201)["integration_uuid"] == "wolt-7f3a"
    assert count(cafe) == before + 1
    found = cafe.http.get(
        f"{V2}/orders",
        headers=cafe.v2,
        params={"filters[0][0]": "integration_uuid", "filters[0][1]": "wolt-7f3a"},
    ).json()
    assert [o["id"] for o in found["data"]] == [data(first, 201)["id"]]


def test_a_racing_repeat_of_the_integration_uuid_answers_the_first(
    cafe: Cafe, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests with one uuid at once: both look it up before either commits, so the
    second meets the first's row only at its insert. It answers the first order, and (on
    PostgreSQL, where a failed statement outside a savepoint aborts the transaction) does
    not fail with a 500."""
    body = cafe.v2_order(integration_uuid="race-1")
    first = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), 201)
    before = count(cafe)
    real = service._existing
    lookups: list[str | None] = []

    def missed_once(session: Any, brand_id: int, uuid: str | None) -> Any:
        lookups.append(uuid)
        return None if len(lookups) == 1 else real(session, brand_id, uuid)

    monkeypatch.setattr(service, "_existing", missed_once)
    again = cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body)
    assert again.status_code == 200, again.text
    assert data(again)["id"] == first["id"]
    assert lookups == ["race-1", "race-1"]  # missed, then found after the refused insert
    assert count(cafe) == before


def test_idempotent_replay(cafe: Cafe) -> None:
    before = count(cafe)
    headers = {**cafe.v2, "Idempotency-Key": "order-replay-1"}
    first = cafe.http.post(f"{V2}/orders", headers=headers, json=cafe.v2_order())
    second = cafe.http.post(f"{V2}/orders", headers=headers, json=cafe.v2_order())
    assert first.status_code == second.status_code == 201
    assert data(first, 201)["id"] == data(second, 201)["id"]
    assert count(cafe) == before + 1


def test_scopes(cafe: Cafe) -> None:
    made = cafe.server.admin_json(
        "client", "create", "--brand", "openapitest", "--scope", "orders:read"
    )
    headers = cafe.server.v2_headers(
        client_id=made["client_id"], client_secret=made["client_secret"]
    )
    assert cafe.http.get(f"{V2}/orders", headers=headers).status_code == 200
    for method, path in (
        ("POST", f"{V2}/orders"),
        ("GET", f"{V2}/receipts"),
        ("PATCH", f"{V2}/receipts/1"),
    ):
        answer = cafe.http.request(method, path, headers=headers, json=cafe.v2_order())
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"] == "insufficient_scope"


def test_the_reference_v1_example_verbatim(cafe: Cafe) -> None:
    """The v1 body exactly as the reference (and the SDK's fixture) shows it, ids swapped
    for the demo café's: every field it carries is accepted, on v1 and on v2."""
    latte = cafe.products["Latte"]
    modifiers = [
        {"modificator_id": cafe.modifiers["Vanilla syrup"], "count": 1},
        {"modificator_id": cafe.modifiers["Oat milk"], "count": 1},
    ]
    body = {
        "customer_id": 1,
        "payload": {
            "auto_accept_terminal": 1,
            "auto_order_accept": True,
            "auto_order_sent_to_station": True,
            "service": {
                "sale_type_id": cafe.sale_types["Delivery"],
                "sale_type_name": "Delivery",
                "venue_id": 1,
                "venue_name": "Main",
            },
            "customer": {
                "id": 1,
                "phone": "+994705401040",
                "address": None,
                "customer_discount_type": 1,
                "name": "Rahid Akhundzada",
            },
            "products": [
                {
                    "product_id": latte,
                    "count": 1,
                    "product_modificators": modifiers,
                    "meta": {
                        "price": 0,
                        "order_product": {
                            "product": {
                                "id": latte,
                                "name": "…",
                                "category_id": 1,
                                "station_id": 1,
                                "price": 0,
                            },
                            "count": 1,
                            "status": "completed",
                            "product_modificators": modifiers,
                            "product_hash": "MTExODcsMTEyMDE=",
                        },
                    },
                }
            ],
        },
        "meta": {
            "comment": "",
            "discount": {"discount_type": 1, "discount_value": 10},
            "orderTotal": "16.2000",
            "apply_service_charge": True,
            "customer_discount_type": 1,
            "service_charge_value": 0,
        },
    }
    for base, headers in ((V1, cafe.v1), (V2, cafe.v2)):
        order = data(cafe.http.post(f"{base}/orders", headers=headers, json=body), 201)
        assert order["status"] == "RECEIVED"  # auto_order_accept
        payload = order["payload"]
        assert payload["auto_accept_terminal"] == 1 and payload["auto_order_sent_to_station"]
        line = payload["products"][0]["meta"]["order_product"]
        assert line["product_hash"] == "MTExODcsMTEyMDE=" and line["status"] == "completed"
        assert line["product"]["name"] == "Latte"  # the catalogue's, not the client's "…"
        # Latte 3.9 + vanilla 0.5 + oat milk 0.6 = 5.0, less 10%: 4.5.
        assert payload["meta"]["orderTotal"] == "4.5000"
        receipt = data(cafe.http.get(f"{V2}/receipts/{order['receipt_id']}", headers=cafe.v2))
        assert receipt["total"] == 4.5 and receipt["discount_value"] == 10


def test_the_order_s_venue_is_the_request_s(cafe: Cafe) -> None:
    venues = cafe.server.admin_json("venue", "list", "--brand", "openapitest")
    if not any(v["id"] == 2 for v in venues):
        cafe.server.admin("venue", "create", "Second", "--brand", "openapitest", "--id", "2")
    refused(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order(venue_id=2)),
        "venue_id 2 is not the venue of this request (1); send x-venue to order for another venue",
    )


def test_pages_carry_the_total_even_past_the_last_page(cafe: Cafe) -> None:
    """The page statement carries the count (one statement); a page past the last one has
    no row to carry it and counts apart."""
    accepted = cafe.v2_order(auto_order_accept=True)  # each gets a receipt
    for _ in range(3):
        data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=accepted), 201)
    for resource in ("orders", "receipts"):
        everything = cafe.http.get(f"{V2}/{resource}", headers=cafe.v2, params={"limit": 100})
        total = everything.json()["total"]
        # The café is shared by the module's tests: it may hold more than one full page.
        assert len(everything.json()["data"]) == min(total, 100) and total >= 1
        second = cafe.http.get(
            f"{V2}/{resource}", headers=cafe.v2, params={"limit": 1, "page": 2}
        ).json()
        assert second["total"] == total
        assert [r["id"] for r in second["data"]] == [
            r["id"] for r in everything.json()["data"][1:2]
        ]
        last_page = -(-total // 100)
        past = cafe.http.get(
            f"{V2}/{resource}", headers=cafe.v2, params={"limit": 100, "page": last_page + 1}
        ).json()
        assert (past["data"], past["total"]) == ([], total)


def test_a_line_is_priced_at_its_venue(cafe: Cafe) -> None:
    """A product's `venues[]` override is its price at that venue: the demo café's flat white
    is 3.80 for the brand and 4.10 at its main venue."""
    body = cafe.v2_order(
        products=[{"product_id": cafe.products["Flat white"], "product_name": "Flat white"}]
    )
    order = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), 201)
    line = order["payload"]["products"][0]
    assert line["meta"]["price"] == 4.1
    assert line["meta"]["order_product"]["product"]["price"] == 4.1
    assert order["payload"]["meta"]["orderTotal"] == "4.1000"


@pytest.mark.parametrize(
    ("venues", "expected"),
    [
        (None, (3.8, 1)),
        ([], (3.8, 1)),
        ([{"venue_id": 2, "price": 9.0, "status": 0}], (3.8, 1)),  # another venue's
        ([{"venue_id": 1, "price": 4.1}], (4.1, 1)),
        ([{"venue_id": 1, "price": None, "status": 0}], (3.8, 0)),  # not sold there
        ([{"venue_id": 1, "status": 1}], (3.8, 1)),
    ],
)
def test_price_and_status_at_a_venue(venues: Any, expected: tuple[float, int]) -> None:
    product = SimpleNamespace(price=3.8, status=1, venues=venues)
    assert at_venue(product, 1) == expected
