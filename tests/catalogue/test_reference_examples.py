"""The reference's JSON examples, field by field: every documented name is present in our
answer with a value of the documented JSON type (for equivalent demo data)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.catalogue.conftest import Api

ISO = "2026-01-13T14:08:49.000000Z"
EXAMPLES: dict[str, dict[str, Any]] = {
    "/customer-groups": {
        "id": 1,
        "name": "My Customers",
        "discount_type": None,
        "discount_value": 0,
        "system_type": "my_customers",
        "created_at": ISO,
        "updated_at": ISO,
        "deleted_at": None,
    },
    "/sale-types": {
        "id": 1,
        "name": "Yerinde",
        "system_type": "IN",
        "channel": "IN",
        "status": {"1": 1},
        "service_charge_rate": None,
        "position": 0,
        "media": [],
        "created_at": ISO,
        "updated_at": ISO,
    },
    "/payment-methods": {
        "id": 1,
        "name": "Cash",
        "status": {"1": 1},
        "split": 1,
        "position": 0,
        "customer_required": 0,
        "is_system": 0,
        "created_at": ISO,
        "updated_at": ISO,
        "balance": {"id": 1, "system_type": "CASH", "name": "Kassa", "type": "CASH"},
        "service": None,
    },
    "/stations": {
        "id": 1,
        "name": "Kitchen",
        "status": 1,
        "type": 1,
        "printable": 1,
        "created_at": ISO,
        "updated_at": ISO,
    },
    "/users": {
        "id": 1,
        "email": None,
        "username": "u",
        "first_name": "a",
        "last_name": "b",
        "mobile_number": None,
        "pin": "0000",
        "owner": 1,
        "status": True,
        "created_at": ISO,
        "updated_at": ISO,
    },
    "/customers": {
        "id": 1,
        "cid": "u",
        "venue_id": 1,
        "group_id": 1,
        # The v1 example's balance accounts (issue 8).
        "balance_id": 1,
        "bonus_balance_id": 2,
        "cashback_balance_id": 3,
        "name": "n",
        "email": None,
        "phone": None,
        "phones": [],
        "address": None,
        "address_data": [],
        "description": None,
        "discount": 0,
        "spent": 0,
        "total_discount": 0,
        "total_bonus": 0,
        "receipt_count": 0,
        "gender": None,
        "date_of_birth": None,
        "code": None,
        "source": None,
        "reference_id": None,
        "status": True,
        "can_use_loyalty_system": False,
        "is_verified": False,
        "created_at": ISO,
        "updated_at": ISO,
    },
    "/categories": {
        "id": 1,
        "name": "n",
        "status": 1,
        "type": "PRODUCT",
        "position": None,
        "parent_id": None,
        "_lft": 1,
        "_rgt": 2,
        "depth": 0,
        "color": "00bcd4",
        "hidden": False,
        "children": [],
        "media": [],
        "created_at": ISO,
        "updated_at": ISO,
    },
    "/products": {
        "id": 1,
        "parent_id": None,
        "station_id": None,
        "category_id": None,
        "unit_id": None,
        "type": "GOODS",
        "name": "n",
        "parent_name": "",
        "full_name": "n",
        "position": 0,
        "barcode": None,
        "gov_code": None,
        "status": 1,
        "hidden": 0,
        "sold_by_weight": False,
        "discountable": True,
        "giftable": True,
        "has_modifications": False,
        "description": None,
        "price": 1.5,
        "cost_price": 0.5,
        "cooking_time": None,
        "inventory_behavior": 0,
        "low_stock": None,
        "unit_weight": None,
        "venues": [],
        "media": [],
        # The full real example's fields (issue 8).
        "emenu_category_id": None,
        "emenu_position": None,
        "emenu_hidden": 0,
        "accounting_category_id": None,
        "is_inventory_behavior_changeable": True,
        "created_at": "2024-07-01 07:51:25",
        "updated_at": "2024-07-01 07:51:25",
    },
}


def same_type(documented: Any, ours: Any) -> bool:
    if documented is None or ours is None:
        return True  # nullable in the docs, or null for this row
    if isinstance(documented, bool):
        return isinstance(ours, bool)
    if isinstance(documented, int | float):
        return isinstance(ours, int | float) and not isinstance(ours, bool)
    if isinstance(documented, str):
        return isinstance(ours, str) and (
            len(ours) == len(documented) if documented in (ISO, "2024-07-01 07:51:25") else True
        )
    return isinstance(ours, type(documented))


@pytest.mark.parametrize("path", list(EXAMPLES))
def test_documented_fields_and_types(api: Api, path: str) -> None:
    for item in api.get(path, limit=50).json()["data"]:
        for name, documented in EXAMPLES[path].items():
            assert name in item, f"{path}: {name} missing"
            assert same_type(documented, item[name]), f"{path}.{name}: {item[name]!r}"
            if isinstance(documented, dict) and isinstance(item[name], dict) and name == "balance":
                assert set(documented) <= set(item[name])


def test_stop_list_and_price_list_examples(v2: Api) -> None:
    v2.server.admin("stop-list", "set", "--brand", "openapitest", "54", "--limit", "0")
    item = v2.get("/products/stop-list").json()["data"][0]
    assert set(item) == {"id", "limit", "timestamp"} and all(
        isinstance(v, int) for v in item.values()
    )
    v2.server.admin("stop-list", "clear", "--brand", "openapitest", "54")
    body = v2.get("/price-lists", **{"with[]": "prices"}).json()
    documented = {
        "id": 1,
        "name": "n",
        "description": "d",
        "status": True,
        "prices": [],
        "created_at": ISO,
        "updated_at": ISO,
    }
    for price_list in body["data"]:
        assert all(
            name in price_list and same_type(v, price_list[name]) for name, v in documented.items()
        )
        for price in price_list["prices"]:
            assert {k: type(v) for k, v in price.items()} == {
                "id": int,
                "list_id": int,
                "product_id": int,
                "price": float,
            }
    assert set(body["pagination"]) == {"page", "per_page", "total", "total_pages"}
    # Added for clients (issue 8): the time fields of every other envelope.
    for path in ("/price-lists", "/price-lists/prices"):
        answer = v2.get(path).json()
        assert isinstance(answer["time"], int) and isinstance(answer["unix"], int)
        assert len(answer["timestamp"]) == len("2025-10-24 05:38:15")


# Issue 8: fields the reference shows that clients need non-null.
NEVER_NULL = {
    "/customers": {"venue_id": int, "group_id": int, "balance_id": int},
    "/users": {"pin": str},
}


@pytest.mark.parametrize("path", list(NEVER_NULL))
def test_fields_clients_need_are_set(api: Api, path: str) -> None:
    for item in api.get(path, limit=50).json()["data"]:
        for name, kind in NEVER_NULL[path].items():
            assert isinstance(item[name], kind), f"{path}.{name}: {item[name]!r}"


def test_customer_relations_as_the_v1_example(api: Api) -> None:
    """`group`, `balance`, `cashback_balance` as the v1 list example shows them."""
    relations = {"with[0]": "group", "with[1]": "balance", "with[2]": "cashback_balance"}
    group = {"id", "name", "discount_type", "discount_value", "system_type", "created_at"}
    group |= {"updated_at", "deleted_at"}
    balance = {"id", "system_type", "venue_id", "name", "description", "type", "amount"}
    balance |= {"position", "created_at", "updated_at", "deleted_at"}
    for customer in api.get("/customers", **relations).json()["data"]:
        assert group <= set(customer["group"])
        assert customer["group"]["discount_type"] in (None, 0, 1, 2)
        assert balance <= set(customer["balance"]) and customer["balance"]["type"] == "CUSTOMER"
        assert customer["balance"]["name"] == "CUSTOMER:"
        assert {"name", "type", "amount"} <= set(customer["cashback_balance"])
        assert customer["balance"]["id"] == customer["balance_id"]
        assert customer["cashback_balance"]["id"] == customer["cashback_balance_id"]
    groups = api.get("/customer-groups").json()["data"]
    assert [g["name"] for g in groups if g["system_type"] == "my_customers"] == ["My Customers"]


def test_payment_method_balance_fields(api: Api) -> None:
    for method in api.get("/payment-methods").json()["data"]:
        if method["balance"] is not None:
            assert isinstance(method["balance"]["amount"], int | float)
            assert isinstance(method["balance"]["position"], int)
            assert same_type(ISO, method["balance"]["created_at"])
            assert same_type(ISO, method["balance"]["updated_at"])


def test_recipe_items_are_product_objects_with_pivot(api: Api) -> None:
    """The reference: a recipe item's "real data is a product object with pivot"."""
    seen = 0
    for product in api.get("/products", limit=100, **{"with[]": "recipe"}).json()["data"]:
        for item in product["recipe"]:
            seen += 1
            for name, documented in EXAMPLES["/products"].items():
                assert name in item and same_type(documented, item[name]), name
            assert {"ingredient_id", "name", "gross", "net"} <= set(item)
            assert set(item["pivot"]) == {"dish_id", "ingredient_id", "net", "gross", "net_put"}
            assert item["pivot"]["dish_id"] == product["id"]
            assert isinstance(item["pivot"]["gross"], str)
    assert seen


def test_taxes_and_modificators_carry_the_real_fields(api: Api) -> None:
    """Taxes: `type{id,name}`, `has_sale_types`, `sale_types[]`; modificators: `dish_id`."""
    relations = {"with[0]": "taxes", "with[1]": "modificator_groups"}
    products = api.get("/products", limit=100, **relations).json()["data"]
    taxes = {tax["name"]: tax for product in products for tax in product["taxes"]}
    assert taxes["VAT 18%"]["type"] == {"id": 1, "name": "VAT"}
    assert taxes["VAT 18%"]["has_sale_types"] is False and taxes["VAT 18%"]["sale_types"] == []
    service = taxes["Service tax 5%"]
    assert service["has_sale_types"] is True
    assert [s["name"] for s in service["sale_types"]] == ["Dine in"]
    modifiers = [
        modifier
        for product in products
        for group in product["modificator_groups"]
        for modifier in group["modificators"]
    ]
    assert modifiers and all("dish_id" in modifier for modifier in modifiers)
    cappuccino = next(p for p in products if p["name"] == "Cappuccino")
    assert (cappuccino["emenu_category_id"], cappuccino["emenu_position"]) == (2, 1)
    assert cappuccino["accounting_category_id"] == 1


def test_venue_overrides_and_meta(api: Api) -> None:
    """`venues[]`: per-venue price and status overrides; `meta` has `langs` and
    `availability` (the reference's real example) on every product."""
    products = api.get("/products", limit=100).json()["data"]
    for product in products:
        assert {"langs", "availability"} <= set(product["meta"]), product["name"]
    cappuccino = next(p for p in products if p["name"] == "Cappuccino")
    [override] = cappuccino["venues"]
    assert {k: override[k] for k in ("id", "venue_id", "price", "status")} == {
        "id": 1,
        "venue_id": 1,
        "price": None,  # the product's own price at that venue
        "status": 1,
    }
    assert isinstance(override["name"], str) and override["name"]
    flat_white = next(p for p in products if p["name"] == "Flat white")
    assert flat_white["price"] == 3.8  # the brand's price; the main venue's is its own
    assert [(o["venue_id"], o["price"], o["status"]) for o in flat_white["venues"]] == [(1, 4.1, 1)]
    assert cappuccino["meta"]["langs"]["az"] == {"name": "Kapuçino"}
    availability = cappuccino["meta"]["availability"]
    assert set(availability) == {"itemAvailability", "itemVisibility", "schedules"}
