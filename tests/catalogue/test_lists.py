"""Every catalogue list and by-id endpoint, both versions: envelopes, filters, relations,
sorting, paging bounds, and each 400/404 branch."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from clopos.schemas.categories import Category
from clopos.schemas.customers import Customer, CustomerGroup
from clopos.schemas.products import Product
from clopos.schemas.sales import PaymentMethod, SaleType
from clopos.schemas.stations import Station
from clopos.schemas.stop_list import StopListItem
from clopos.schemas.users import User
from tests.catalogue.conftest import Api

LISTS: list[tuple[str, type[BaseModel], int]] = [
    ("/users", User, 200),
    ("/customers", Customer, 999),
    ("/customer-groups", CustomerGroup, 200),
    ("/categories", Category, 999),
    ("/stations", Station, 200),
    ("/products", Product, 100),
    ("/sale-types", SaleType, 200),
    ("/payment-methods", PaymentMethod, 200),
]


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["success"] is True
    return body


def invalid(response: Any, message: str | None = None) -> str:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["success"] is False and body["error"] == "invalid_parameter"
    if message is not None:
        assert body["message"] == message
    return str(body["message"])


@pytest.mark.parametrize(("path", "model", "maximum"), LISTS)
def test_list_envelope_and_wire_model(
    api: Api, path: str, model: type[BaseModel], maximum: int
) -> None:
    body = ok(api.get(path))
    assert {"success", "data", "total", "time", "timestamp", "unix", "sorts"} <= set(body)
    assert isinstance(body["total"], int) and body["total"] >= len(body["data"]) > 0
    assert isinstance(body["time"], int) and isinstance(body["unix"], int)
    assert len(body["timestamp"]) == 19
    for item in body["data"]:
        model.model_validate(item)
    invalid(
        api.get(path, limit=maximum + 1), f"The 'limit' parameter must be between 1 and {maximum}"
    )
    invalid(api.get(path, limit=0))
    assert len(ok(api.get(path, limit=maximum))["data"]) <= maximum


@pytest.mark.parametrize("path", ["/users", "/customers", "/stations", "/products", "/sale-types"])
def test_paging_walks_every_row_once(api: Api, path: str) -> None:
    total = ok(api.get(path))["total"]
    seen = []
    for page in range(1, total + 2):
        seen += [item["id"] for item in ok(api.get(path, limit=2, page=page))["data"]]
    assert sorted(seen) == sorted(set(seen)) and len(seen) == total
    assert ok(api.get(path, page=10_000))["data"] == []


@pytest.mark.parametrize(
    ("path", "message", "model"),
    [
        ("/users/{id}", "User not found", "App\\Models\\Auth\\User"),
        ("/customers/{id}", "Customer not found", "App\\Models\\Client\\Marketing\\Customer"),
        ("/categories/{id}", "Category not found", "App\\Models\\Client\\Category"),
        ("/stations/{id}", "Station not found", "App\\Models\\Client\\Station"),
        ("/products/{id}", "Product not found", "App\\Models\\Client\\Product"),
    ],
)
def test_by_id_found_missing_and_malformed(api: Api, path: str, message: str, model: str) -> None:
    body = ok(api.get(path.format(id=1)))
    assert body["data"]["id"] == 1
    missing = api.get(path.format(id=999999))
    assert missing.status_code == 404
    if api.base.endswith("/v2"):
        assert missing.json() == {
            "success": False,
            "error": "resource_not_found",
            "message": message,
        }
    else:  # the real v1 backend's Laravel answer (reference 3, item 3)
        assert missing.json() == {
            "success": False,
            "error": [
                {
                    "message": f"No query results for model [{model}] 999999",
                    "type": "server_side",
                    "exception": "NotFoundHttpException",
                    "code": None,
                    "http_code": 404,
                }
            ],
            "message": None,
        }
    for bad in ("abc", "-1", "1.5", "99999999999999999999999"):
        assert api.get(path.format(id=bad)).status_code == 400


def test_sort_both_directions_and_unknown_field(api: Api) -> None:
    ascending = [
        c["name"] for c in ok(api.get("/customers", **{"sort[0]": "name", "sort[1]": "1"}))["data"]
    ]
    descending = [
        c["name"] for c in ok(api.get("/customers", **{"sort[0]": "name", "sort[1]": "-1"}))["data"]
    ]
    assert ascending == sorted(ascending) and descending == ascending[::-1]
    assert "sort[0] must be one of id, cid" in invalid(
        api.get("/customers", **{"sort[0]": "phone"})
    )
    invalid(
        api.get("/customers", **{"sort[0]": "name", "sort[1]": "up"}), "sort[1] must be 1 or -1"
    )
    groups = ok(api.get("/customer-groups"))
    assert groups["sorts"] == [
        "id",
        "name",
        "discount_type",
        "discount_value",
        "total_amount",
        "created_at",
        "updated_at",
        "deleted_at",
    ]


def test_date_range_on_created_at(api: Api) -> None:
    everything = ok(api.get("/customers"))["total"]
    assert ok(api.get("/customers", **{"date[0]": "2000-01-01"}))["total"] == everything
    assert ok(api.get("/customers", **{"date[1]": "2000-01-01"}))["total"] == 0
    invalid(api.get("/customers", **{"date[0]": "yesterday"}))


def filtered(api: Api, path: str, *pairs: tuple[str, Any]) -> list[dict[str, Any]]:
    params: dict[str, Any] = {}
    for index, (field, value) in enumerate(pairs):
        params[f"filters[{index}][0]"] = field
        if isinstance(value, list):
            for number, item in enumerate(value):
                params[f"filters[{index}][1][{number}]"] = item
        else:
            params[f"filters[{index}][1]"] = value
    return list(ok(api.get(path, limit=100, **params))["data"])


def test_product_filters(api: Api) -> None:
    everything = ok(api.get("/products", limit=100))["data"]
    by_name = {p["name"]: p for p in everything}
    assert {p["type"] for p in filtered(api, "/products", ("type", ["GOODS", "TIMER"]))} == {
        "GOODS",
        "TIMER",
    }
    coffee = by_name["Espresso"]["category_id"]
    assert {p["category_id"] for p in filtered(api, "/products", ("category_id", [coffee]))} == {
        coffee
    }
    bar = by_name["Espresso"]["station_id"]
    assert {p["station_id"] for p in filtered(api, "/products", ("station_id", bar))} == {bar}
    assert all(not p["giftable"] for p in filtered(api, "/products", ("giftable", "0")))
    assert "Iced tea" in {p["name"] for p in filtered(api, "/products", ("giftable", "0"))}
    assert all(not p["discountable"] for p in filtered(api, "/products", ("discountable", "0")))
    assert {
        p["inventory_behavior"] for p in filtered(api, "/products", ("inventory_behavior", "3"))
    } == {3}
    assert all(p["has_modifications"] for p in filtered(api, "/products", ("has_variants", "1")))
    assert {p["name"] for p in filtered(api, "/products", ("has_variants", "1"))} == {
        "Fanta",
        "Coca-Cola",
        "Orange juice",
    }
    assert all(p["sold_by_portion"] for p in filtered(api, "/products", ("sold_by_portion", "1")))
    assert all(
        p["ignore_service_charge"] for p in filtered(api, "/products", ("has_service_charge", "0"))
    )
    with_recipes = {p["name"] for p in filtered(api, "/products", ("haveIngredients", "1"))}
    assert with_recipes == {
        p["name"] for p in filtered(api, "/products", ("have_ingredients", "1"))
    }
    assert {"Cappuccino", "Espresso base"} <= with_recipes and "Fanta" not in with_recipes
    with_modifiers = {p["name"] for p in filtered(api, "/products", ("has_modifiers", "1"))}
    assert "Cappuccino" in with_modifiers and "Porridge" not in with_modifiers
    barcoded = {p["name"] for p in filtered(api, "/products", ("has_barcode", "1"))}
    assert {"Still water 0.5 L", "Sparkling water 0.5 L", "Blueberry muffin"} <= barcoded
    # Variants are listed under their parent, and on their own when the type asks for them.
    variants = filtered(api, "/products", ("type", "MODIFICATION"))
    assert {v["full_name"] for v in variants} >= {"Fanta 0.33 L", "Fanta 0.5 L"}
    assert all(v["type"] == "MODIFICATION" and v["parent_id"] for v in variants)
    mixed = filtered(api, "/products", ("type", ["MODIFICATION", "TIMER"]))
    assert {p["type"] for p in mixed} == {"MODIFICATION", "TIMER"}
    assert "MODIFICATION" not in {p["type"] for p in everything}
    tagged = filtered(api, "/products", ("tags", ["1"]), ("type", "DISH"))
    assert tagged and all(p["type"] == "DISH" for p in tagged)
    assert {p["id"] for p in tagged} < {
        p["id"] for p in filtered(api, "/products", ("type", "DISH"))
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "type",
            "FOO",
            "type must be one of GOODS, DISH, TIMER, PREPARATION, INGREDIENT, MODIFICATION",
        ),
        ("inventory_behavior", "2", "inventory_behavior must be one of 0, 1, 3"),
        ("giftable", "maybe", "giftable must be 1 or 0"),
        ("category_id", "abc", "category_id must be an integer or a list of integers"),
        ("colour", "red", None),
    ],
)
def test_product_filter_errors(api: Api, field: str, value: str, message: str | None) -> None:
    text = invalid(
        api.get("/products", **{"filters[0][0]": field, "filters[0][1]": value}), message
    )
    if message is None:
        assert text.startswith("filters[0][0] must be one of id, type")


def test_product_relations_and_selects(api: Api) -> None:
    relations = [
        "category",
        "station",
        "unit",
        "taxes",
        "tags",
        "codes",
        "recipe",
        "packages",
        "modifications",
        "modificator_groups.modificators.ingredient",
    ]
    params = {f"with[{i}]": name for i, name in enumerate(relations)}
    products = {p["name"]: p for p in ok(api.get("/products", limit=100, **params))["data"]}
    for product in products.values():
        Product.model_validate(product)
    fanta = products["Fanta"]
    assert [v["full_name"] for v in fanta["modifications"]] == ["Fanta 0.33 L", "Fanta 0.5 L"]
    assert all(
        v["type"] == "MODIFICATION" and v["parent_id"] == fanta["id"]
        for v in fanta["modifications"]
    )
    assert fanta["has_modifications"] is True and fanta["taxes"][0]["rate"] == 18
    cappuccino = products["Cappuccino"]
    assert [g["name"] for g in cappuccino["modificator_groups"]] == [
        "Milk choice",
        "Syrups",
        "Extra shot",
    ]
    oat = cappuccino["modificator_groups"][0]["modificators"][1]
    assert oat["name"] == "Oat milk" and oat["ingredient"]["name"] == "Oat milk"
    assert {r["name"] for r in cappuccino["recipe"]} == {"Espresso base", "Whole milk"}
    milk = next(r for r in cappuccino["recipe"] if r["name"] == "Whole milk")
    assert (
        milk["gross"] == 0.15
        and milk["pivot"]["gross"] == "0.150"
        and milk["pivot"]["net"] == "0.140"
    )
    assert products["Coffee beans"]["packages"][0]["equal"] == 1
    assert products["Coffee beans"]["unit"]["symbol"] == "kg"
    timer = products["Board game table"]
    assert timer["setting"] == {
        "interval": 60,
        "calculation_methods": 0,
        "prices": [{"price": 3, "from": 120}, {"price": 2, "from": 240}],
    }
    assert products["Sparkling water 0.5 L"]["codes"][0]["code"] == "4870200000029"
    assert "taxes" not in ok(api.get("/products", limit=1))["data"][0]  # only when asked for
    invalid(api.get("/products", **{"with[0]": "owner"}))
    slim = ok(api.get("/products", selects="id,price", **{"with[]": "taxes"}))["data"][0]
    assert set(slim) == {"id", "name", "type", "price", "taxes"}
    invalid(api.get("/products", selects="id,secret"))


def test_product_by_id_and_by_cid(api: Api) -> None:
    products = ok(api.get("/products", limit=100, **{"with[]": "modifications"}))["data"]
    fanta = next(p for p in products if p["name"] == "Fanta")
    variant = fanta["modifications"][0]
    by_id = ok(api.get(f"/products/{variant['id']}"))["data"]
    assert by_id["parent_name"] == "Fanta" and by_id["full_name"] == "Fanta 0.33 L"
    by_cid = ok(api.get(f"/products/{fanta['cid']}", **{"with[]": "modifications"}))["data"]
    assert by_cid["id"] == fanta["id"] and len(by_cid["modifications"]) == 2
    assert api.get("/products/00000000-0000-4000-8000-000000000000").status_code == 404


def test_categories_tree_and_named_filters(api: Api) -> None:
    roots = ok(api.get("/categories"))["data"]
    assert all(c["parent_id"] is None and c["depth"] == 0 for c in roots)
    assert "Seasonal" not in {c["name"] for c in roots}  # inactive hidden by default
    assert "Seasonal" in {c["name"] for c in ok(api.get("/categories", include_inactive=1))["data"]}
    drinks = next(c for c in roots if c["name"] == "Drinks")
    hot = drinks["children"][0]
    assert hot["name"] == "Hot drinks" and [c["name"] for c in hot["children"]] == ["Coffee", "Tea"]
    assert drinks["_lft"] < hot["_lft"] < hot["children"][0]["_lft"] < hot["_rgt"] < drinks["_rgt"]
    assert hot["depth"] == 1 and hot["children"][0]["depth"] == 2
    flat = ok(api.get("/categories", include_children=0))["data"]
    assert {"Coffee", "Drinks"} <= {c["name"] for c in flat} and all(
        c["children"] == [] for c in flat
    )
    children = ok(api.get("/categories", parent_id=drinks["id"]))["data"]
    assert {c["name"] for c in children} == {"Hot drinks", "Cold drinks"}
    ingredient = ok(api.get("/categories", type="INGREDIENT"))["data"]
    assert {c["name"] for c in ingredient} == {"Stock"}
    same = ok(api.get("/categories", **{"filters[0][0]": "type", "filters[0][1]": "INGREDIENT"}))[
        "data"
    ]
    assert same == ingredient
    invalid(
        api.get("/categories", type="DRINK"), "type must be one of PRODUCT, INGREDIENT, ACCOUNTING"
    )
    invalid(api.get("/categories", include_children="perhaps"))
    one = ok(api.get(f"/categories/{drinks['id']}"))["data"]
    assert one["children"][0]["name"] == "Hot drinks"
    assert ok(api.get(f"/categories/{drinks['id']}", include_children=0))["data"]["children"] == []


def test_station_filters(api: Api) -> None:
    printable = ok(api.get("/stations", can_print=1))["data"]
    assert printable and all(s["can_print"] and s["printable"] == 1 for s in printable)
    assert all(not s["can_print"] for s in ok(api.get("/stations", can_print=0))["data"])
    assert ok(api.get("/stations", status=0))["data"] == []
    invalid(api.get("/stations", status=5), "status must be one of 1, 0")


def test_sale_types_and_payment_methods(api: Api) -> None:
    sale_types = ok(api.get("/sale-types", **{"with[]": "payment_method"}))["data"]
    assert {s["system_type"] for s in sale_types} == {"IN", "DELIVERY", "TAKEAWAY"}
    takeaway = next(s for s in sale_types if s["system_type"] == "TAKEAWAY")
    assert takeaway["payment_method"]["name"] == "Cash"
    assert isinstance(takeaway["status"], dict) and takeaway["status"]["1"] == 1
    methods = ok(api.get("/payment-methods"))["data"]
    assert [m["name"] for m in methods][:2] == ["Cash", "Card"]
    loyalty = next(m for m in methods if m["service"])
    assert loyalty["service"] == {"name": "loyalty", "check": [], "payload": []}


def test_customer_filters_and_group_relation(api: Api) -> None:
    found = filtered(api, "/customers", ("name", "rahid"))
    assert [c["name"] for c in found] == ["Rahid Akhundzada"]
    assert [c["name"] for c in filtered(api, "/customers", ("phones", "4445566"))] == [
        "Leyla Mammadova"
    ]
    group_id = found[0]["group_id"]
    assert {c["group_id"] for c in filtered(api, "/customers", ("group_id", group_id))} == {
        group_id
    }
    with_group = ok(api.get(f"/customers/{found[0]['id']}", **{"with[]": "group"}))["data"]
    assert with_group["group"]["name"] == "VIP"
    # v1 clients send with[]=balance and cashback_balance (issue 8): answered on both versions.
    accounts = ok(api.get(f"/customers/{found[0]['id']}", **{"with[]": "balance"}))["data"]
    assert accounts["balance"]["id"] == accounts["balance_id"]
    assert accounts["balance"]["type"] == "CUSTOMER" and accounts["balance"]["amount"] == 25
    listed = ok(api.get("/customers", **{"with[]": "cashback_balance"}))["data"]
    rahid = next(c for c in listed if c["name"] == "Rahid Akhundzada")
    assert rahid["cashback_balance"]["id"] == rahid["cashback_balance_id"]
    assert rahid["cashback_balance"]["amount"] == 3.5 and "balance" not in rahid
    invalid(api.get("/customers", **{"with[]": "loyalty"}))


def test_stop_list_reads_what_the_operator_sets(v2: Api, v1: Api) -> None:
    server = v2.server
    server.admin("stop-list", "set", "--brand", "openapitest", "54", "--limit", "0")
    server.admin("stop-list", "set", "--brand", "openapitest", "3", "--limit", "5")
    items = ok(v2.get("/products/stop-list"))["data"]
    for item in items:
        StopListItem.model_validate(item)
        assert item["timestamp"] > 1_600_000_000_000  # milliseconds
    assert {(i["id"], i["limit"]) for i in items} >= {(54, 0), (3, 5)}
    only = ok(
        v1.get(
            "/products/stop-list",
            **{"filters[0][0]": "id", "filters[0][1][0]": "3", "filters[0][1][1]": "332"},
        )
    )
    assert [(i["id"], i["limit"]) for i in only["data"]] == [(3, 5)]
    ranged = ok(
        v2.get(
            "/products/stop-list",
            **{"filters[0][0]": "limit", "filters[0][1][0]": "1", "filters[0][1][1]": ""},
        )
    )
    assert {i["id"] for i in ranged["data"]} == {3}
    invalid(v2.get("/products/stop-list", **{"filters[0][0]": "id"}), "Invalid filter parameters")
    server.admin("stop-list", "clear", "--brand", "openapitest")
    assert ok(v2.get("/products/stop-list"))["data"] == []


def test_the_stop_list_is_per_venue(v2: Api, other_brand: dict[str, str]) -> None:
    """Issue 8: a real stop list is per venue. The operator names one (`--venue`, `?venue=`;
    the brand's first by default); integrators read their request's venue (x-venue). On the
    second brand, which the other tests leave with one venue."""
    server = v2.server
    server.admin("venue", "create", "Second", "--brand", "other", "--id", "2")
    server.admin("client", "grant", other_brand["client_id"], "--venue", "2")
    headers = server.v2_headers(brand="other", **other_brand)
    at_first = Api(server, v2.base, {**headers, "x-venue": "1"})
    at_second = Api(server, v2.base, {**headers, "x-venue": "2"})

    def listed(api: Api) -> list[tuple[int, int]]:
        return [(i["id"], i["limit"]) for i in ok(api.get("/products/stop-list"))["data"]]

    brand = ("--brand", "other")
    server.admin("stop-list", "set", *brand, "--venue", "2", "1", "--limit", "2")
    server.admin("stop-list", "set", *brand, "1", "--limit", "0")  # the first venue
    assert listed(at_second) == [(1, 2)] and listed(at_first) == [(1, 0)]
    shown = server.admin_json("stop-list", "show", *brand, "--venue", "2")
    assert [(i["id"], i["limit"]) for i in shown] == [(1, 2)]
    missing = server.admin("stop-list", "show", *brand, "--venue", "999", check=False)
    assert missing.exit_code != 0 and "Venue not found" in missing.output
    operator = {"authorization": "Bearer operator-secret"}
    path = "/admin/api/brands/other/stop-list"
    answer = server.http.get(path, params={"venue": 2}, headers=operator)
    assert [(i["id"], i["limit"]) for i in answer.json()["data"]] == [(1, 2)], answer.text
    put = server.http.put(f"{path}/1", params={"venue": 2}, json={"limit": 4}, headers=operator)
    assert put.json()["data"]["limit"] == 4, put.text
    assert listed(at_second) == [(1, 4)] and listed(at_first) == [(1, 0)]
    removed = server.http.delete(f"{path}/1", params={"venue": 2}, headers=operator)
    assert removed.json()["data"] == {"removed": 1}, removed.text
    assert listed(at_second) == [] and listed(at_first) == [(1, 0)]
    server.admin("stop-list", "clear", *brand)
    assert listed(at_first) == []


def test_price_lists_v2_only(v1: Api, v2: Api) -> None:
    body = v2.get(
        "/price-lists", **{"with[]": "prices", "sort[0][0]": "name", "sort[0][1]": "desc"}
    ).json()
    assert set(body) >= {"data", "pagination"}
    assert [p["name"] for p in body["data"]] == ["Staff Prices", "Delivery Prices"]
    assert body["pagination"] == {"page": 1, "per_page": 50, "total": 2, "total_pages": 1}
    assert all(
        isinstance(p["status"], bool) and isinstance(p["prices"], list) for p in body["data"]
    )
    slim = v2.get("/price-lists", selects="id,name").json()["data"][0]
    assert set(slim) == {"id", "name"}
    prices = v2.get(
        "/price-lists/prices", limit=3, **{"with[0]": "product", "with[1]": "list"}
    ).json()
    assert prices["pagination"] == {"page": 1, "per_page": 3, "total": 6, "total_pages": 2}
    assert all(
        p["product"]["id"] == p["product_id"] and p["list"]["id"] == p["list_id"]
        for p in prices["data"]
    )
    one_list = v2.get(
        "/price-lists/prices", **{"filters[0][0]": "list_id", "filters[0][1]": "2"}
    ).json()
    assert {p["list_id"] for p in one_list["data"]} == {2} and len(one_list["data"]) == 2
    invalid(v2.get("/price-lists", limit=1000), "The 'limit' parameter must be between 1 and 999")
    invalid(v2.get("/price-lists", **{"sort[0][0]": "price"}))
    assert v1.get("/price-lists").status_code == 404


@pytest.mark.parametrize("path", ["/stations", "/products", "/users", "/price-lists/prices"])
def test_a_page_far_past_the_end_is_empty(v2: Api, path: str) -> None:
    """The largest page number makes an offset past 32 bits: an empty page, on PostgreSQL
    too (a 32-bit offset parameter answered 500 there)."""
    answer = ok(v2.get(path, page=1_000_000_000, limit=50))
    assert answer["data"] == []
