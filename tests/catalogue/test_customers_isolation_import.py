"""Customer creation (400/409 branches), tenant isolation, the importer and the operator API."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.catalogue.conftest import Api
from tests.support import LiveServer


def test_create_customer_defaults_and_group(api: Api) -> None:
    phone = f"+99450{uuid.uuid4().int % 10**7:07d}"
    response = api.post(
        "/customers",
        {
            "name": "New Guest",
            "phone": phone,
            "group_id": 2,
            "gender": 2,
            "date_of_birth": "1995-05-01",
            "email": "guest@example.test",
        },
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert uuid.UUID(data["cid"]) and data["status"] is True
    assert data["can_use_loyalty_system"] is False and data["is_verified"] is False
    assert (
        data["phones"] == [phone]
        and data["group"]["id"] == 2
        and data["date_of_birth"] == "1995-05-01"
    )
    assert api.get(f"/customers/{data['id']}").json()["data"]["name"] == "New Guest"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "The name field is required."),
        ({"name": "  "}, "The name field is required."),
        ({"name": "A", "email": "not-an-email"}, "The email field must be a valid email address."),
        ({"name": "A", "gender": 3}, "The selected gender is invalid."),
        ({"name": "A", "cid": "nope"}, "The cid field must be a valid UUID."),
        (
            {"name": "A", "date_of_birth": "31/12/1990"},
            "The date_of_birth field must be a valid date (YYYY-MM-DD).",
        ),
        ({"name": "A", "group_id": 999}, "The selected group id is invalid."),
    ],
)
def test_create_customer_validation(api: Api, body: dict[str, object], error: str) -> None:
    response = api.post("/customers", body)
    assert response.status_code == 400
    assert response.json() == {"success": False, "message": "Validation failed", "error": error}


def test_create_customer_rejects_non_json(api: Api) -> None:
    response = api.server.http.post(f"{api.base}/customers", headers=api.headers, content=b"{oops")
    assert response.status_code == 400 and response.json()["message"] == "Validation failed"


def test_duplicates_answer_409(api: Api) -> None:
    cid = str(uuid.uuid4())
    first = api.post("/customers", {"name": "Dup", "code": f"C-{cid[:8]}", "cid": cid})
    assert first.status_code == 200
    cases = [
        ({"name": "X", "phone": "+994705401040"}, "duplicate_phone"),
        ({"name": "X", "code": f"C-{cid[:8]}"}, "duplicate_code"),
        ({"name": "X", "cid": cid}, "duplicate_cid"),
    ]
    for body, error in cases:
        response = api.post("/customers", body)
        assert response.status_code == 409 and response.json()["error"] == error
        assert response.json()["success"] is False


def test_brands_never_see_each_other(
    live: LiveServer, other_brand: dict[str, str], v2: Api
) -> None:
    headers = live.v2_headers(brand="other", **other_brand)
    other = Api(live, "/open-api/v2", headers)
    products = other.get("/products").json()
    assert [p["name"] for p in products["data"]] == ["Other burger"] and products["total"] == 1
    assert other.get("/products/2").status_code == 404  # id 2 exists only in the sandbox brand
    assert v2.get("/products/1").json()["data"]["name"] != "Other burger"
    assert [c["name"] for c in other.get("/customers").json()["data"]] == ["Other customer"]
    assert [u["username"] for u in other.get("/users").json()["data"]] == ["other-owner"]
    assert [c["name"] for c in other.get("/categories").json()["data"]] == ["Burgers"]
    assert other.get("/sale-types").json()["data"] == []
    # the phone the sandbox brand uses is free in this brand (uniqueness is per brand)
    assert (
        other.post("/customers", {"name": "Same phone", "phone": "+994501112233"}).status_code
        == 200
    )
    v1_headers = live.v1_headers(brand="other", **other_brand)
    assert Api(live, "/open-api", v1_headers).get("/stations").json()["total"] == 1


def test_import_is_atomic_and_names_the_entry(
    live: LiveServer, other_brand: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "products:\n"
        "  - {name: Soup, type: DISH, price: 3}\n"
        "  - {name: Stew, type: DISH, category: Nowhere}\n"
    )
    result = live.admin("import", str(bad), "--brand", "other", check=False)
    assert result.exit_code == 1
    assert "products[1] (Stew).category: no category named 'Nowhere'" in result.output
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps({"products": [{"name": "Soup", "type": "DISH", "prise": 3}]}))
    result = live.admin("import", str(typo), "--brand", "other", check=False)
    assert result.exit_code == 1 and "products[0] (Soup).prise" in result.output
    taken = tmp_path / "taken.yaml"
    taken.write_text("products:\n  - {id: 1, name: Clash, type: DISH}\n")
    result = live.admin("import", str(taken), "--brand", "other", check=False)
    assert "id 1 is already taken" in result.output
    counts = live.admin_json("stop-list", "show", "--brand", "other")
    assert counts == []
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "products": [
                    {"name": "Soup", "type": "DISH", "category": "Burgers", "taxes": [], "price": 3}
                ],
                "taxes": [{"name": "VAT", "rate": 18}],
            }
        )
    )
    summary = live.admin_json("import", str(good), "--brand", "other")
    assert summary == {"brand": "other", "created": {"taxes": 1, "products": 1}}
    names = [p["name"] for p in live.admin_json("stop-list", "show", "--brand", "other")]
    assert names == []
    headers = live.v2_headers(brand="other", **other_brand)
    listed = live.http.get("/open-api/v2/products", headers=headers).json()["data"]
    assert sorted(p["name"] for p in listed) == [
        "Other burger",
        "Soup",
    ]  # nothing from the failures


def test_operator_api_sets_the_stop_list(live: LiveServer, v2: Api) -> None:
    http = live.http
    base = "/admin/api/brands/openapitest/stop-list"
    auth = {"Authorization": "Bearer operator-secret"}
    assert http.put(f"{base}/7", json={"limit": 2}).status_code == 401
    response = http.put(f"{base}/7", json={"limit": 2}, headers=auth)
    assert response.status_code == 200 and response.json()["data"]["limit"] == 2
    assert http.put(f"{base}/7", json={"limit": -1}, headers=auth).status_code == 400
    assert http.put(f"{base}/99999", json={"limit": 1}, headers=auth).status_code == 404
    assert (
        http.put(
            "/admin/api/brands/nobody/stop-list/7", json={"limit": 1}, headers=auth
        ).status_code
        == 404
    )
    assert [(i["id"], i["limit"]) for i in http.get(base, headers=auth).json()["data"]] == [(7, 2)]
    assert [(i["id"], i["limit"]) for i in v2.get("/products/stop-list").json()["data"]] == [(7, 2)]
    assert http.delete(f"{base}/7", headers=auth).json()["data"] == {"removed": 1}
    assert v2.get("/products/stop-list").json()["data"] == []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            "customer_groups:\n  - {name: VIP, discount_type: percent}\n",
            "discount_type is 0 (none), 1 (percent) or 2 (amount), not 'percent'",
        ),
        (
            "customers:\n  - {name: Far, venue_id: 99}\n",
            "customers[0] (Far).venue_id: the brand has no venue 99",
        ),
        (
            "taxes:\n  - {name: VAT, rate: 18, type_name: VAT}\n",
            "type_name needs a type_id",
        ),
        (
            "taxes:\n  - {name: VAT, rate: 18, sale_types: [Nowhere]}\n",
            "taxes[0] (VAT).sale_types[0]: no sale type named 'Nowhere'",
        ),
        (
            "payment_methods:\n  - {name: Cash, balance: {id: 1, amout: 5}}\n",
            "amout",
        ),
        (
            "payment_methods:\n  - {name: Balance, balance: {id: 9, type: CUSTOMER, amount: 5}}\n",
            "a CUSTOMER balance holds nothing itself",
        ),
        (
            "products:\n  - {name: Tea, type: GOODS, venues: [{venue_id: 9, price: 1}]}\n",
            "products[0] (Tea).venues[0].venue_id: the brand has no venue 9",
        ),
        (
            "products:\n  - {name: Tea, type: GOODS, venues: [{venue_id: 1, prise: 1}]}\n",
            "prise",
        ),
        (
            "products:\n  - {name: Tea, type: GOODS, meta: {langs: {en: Tea}}}\n",
            "meta.langs is {language: {field: text}}",
        ),
        (
            "products:\n  - {name: Tea, type: GOODS, meta: {availability: {always: 1}}}\n",
            "meta.availability: unknown always",
        ),
    ],
)
def test_import_names_wrong_new_fields(
    live: LiveServer, other_brand: dict[str, str], tmp_path: Path, document: str, message: str
) -> None:
    """Issue 8's fields in the import format: each wrong one is named."""
    path = tmp_path / "wrong.yaml"
    path.write_text(document)
    result = live.admin("import", str(path), "--brand", "other", check=False)
    assert result.exit_code == 1 and message in result.output, result.output


def test_imported_customers_get_accounts_venue_and_system_group(
    live: LiveServer, other_brand: dict[str, str]
) -> None:
    headers = live.v2_headers(brand="other", **other_brand)
    other = Api(live, "/open-api/v2", headers)
    customer = other.get("/customers", **{"with[]": "group"}).json()["data"][0]
    assert customer["venue_id"] == 1 and customer["group"]["name"] == "Regulars"
    accounts = [customer["balance_id"], customer["bonus_balance_id"]]
    assert [*accounts, customer["cashback_balance_id"]] == [1, 2, 3]
    made = other.post("/customers", {"name": "New one"}).json()["data"]
    assert made["venue_id"] == 1 and made["balance_id"] > 3  # past the imported accounts
    assert made["cashback_balance_id"] == made["balance_id"] + 2
    group = other.get(f"/customers/{made['id']}", **{"with[]": "group"}).json()["data"]["group"]
    assert group["system_type"] == "my_customers" and group["name"] == "My Customers"
