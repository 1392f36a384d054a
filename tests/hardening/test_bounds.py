"""Issue 11, item 20: bounds that slipped through.

- the operator API's stop-list `limit`: 0 is a valid limit (out of stock), so -1 must not be
  refused as "at least 1"; 2**63 was a 500; `true` and `"3"` were taken as 1 and 3;
- the catalogue import took a price of 1e23 (and an infinite one);
- a re-import's ambiguity error spoke of "categorys".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import LiveServer

OPERATOR = {"Authorization": "Bearer operator-secret"}
STOP_LIST = "/admin/api/brands/openapitest/stop-list/1"


@pytest.fixture
def live(make_server: Any) -> LiveServer:
    server: LiveServer = make_server(admin_token="operator-secret")
    return server


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (-1, "The limit field must be at least 0."),
        (2**63, "The limit field must not be greater than 9223372036854775807."),
        (2**64, "The limit field must be an integer."),  # past 64 bits JSON parses a float
        (True, "The limit field must be an integer."),
        ("3", "The limit field must be an integer."),
        (1.0, "The limit field must be an integer."),
    ],
)
def test_operator_stop_list_limit_bounds(live: LiveServer, limit: Any, message: str) -> None:
    response = live.http.put(STOP_LIST, json={"limit": limit}, headers=OPERATOR)
    assert response.status_code == 400, response.text
    assert response.json() == {"success": False, "message": "Validation failed", "error": message}


@pytest.mark.parametrize("limit", [0, 1, 2**63 - 1])
def test_operator_stop_list_limits_in_range(live: LiveServer, limit: int) -> None:
    response = live.http.put(STOP_LIST, json={"limit": limit}, headers=OPERATOR)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["limit"] == limit


@pytest.mark.parametrize("price", ["1e23", "1.0e13", ".inf", "-1"])
def test_import_refuses_absurd_prices(live: LiveServer, tmp_path: Path, price: str) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text(f"products:\n  - {{name: Gold Soup, type: DISH, price: {price}}}\n")
    result = live.admin("import", str(path), "--brand", "openapitest", check=False)
    assert result.exit_code == 1, result.output
    assert "products[0] (Gold Soup).price" in result.output
    names = [
        p["name"]
        for p in live.http.get(
            "/open-api/v2/products", params={"limit": 100}, headers=live.v2_headers()
        ).json()["data"]
    ]
    assert "Gold Soup" not in names


def test_import_takes_a_large_but_plausible_price(live: LiveServer, tmp_path: Path) -> None:
    path = tmp_path / "price.yaml"
    path.write_text("products:\n  - {name: Banquet, type: DISH, price: 999999999.99}\n")
    live.admin("import", str(path), "--brand", "openapitest")
    # Stored as given, read back through the API: neither refused nor clamped nor rounded.
    products = live.http.get(
        "/open-api/v2/products", params={"limit": 100}, headers=live.v2_headers()
    ).json()["data"]
    assert [p["price"] for p in products if p["name"] == "Banquet"] == [999999999.99]


def test_reimport_ambiguity_speaks_proper_plurals(live: LiveServer, tmp_path: Path) -> None:
    categories = tmp_path / "categories.yaml"
    categories.write_text("categories:\n  - {name: Twice}\n")
    live.admin("import", str(categories), "--brand", "openapitest")
    live.admin("import", str(categories), "--brand", "openapitest")
    products = tmp_path / "products.yaml"
    products.write_text("products:\n  - {name: Orphan, type: DISH, category: Twice}\n")
    result = live.admin("import", str(products), "--brand", "openapitest", check=False)
    assert result.exit_code == 1
    assert "2 categories are named 'Twice'" in result.output
    assert "categorys" not in result.output
