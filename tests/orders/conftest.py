"""One server for the order and receipt tests (its own, so order modes and stock may change
freely), with the demo café's ids looked up by name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.support import Backend, LiveServer, serve_in_process

OPERATOR_TOKEN = "orders-operator"


@dataclass
class Cafe:
    """The sandbox server and what the tests need to know about its demo café."""

    server: LiveServer
    v1: dict[str, str]
    v2: dict[str, str]
    products: dict[str, int] = field(default_factory=dict)
    modifiers: dict[str, int] = field(default_factory=dict)
    sale_types: dict[str, int] = field(default_factory=dict)
    payment_methods: dict[str, int] = field(default_factory=dict)

    @property
    def http(self) -> httpx.Client:
        return self.server.http

    @property
    def operator(self) -> dict[str, str]:
        return {"authorization": f"Bearer {OPERATOR_TOKEN}"}

    def v2_order(self, **overrides: Any) -> dict[str, Any]:
        """A valid flat v2 body: two cappuccinos (one with oat milk) and an espresso."""
        body: dict[str, Any] = {
            "sale_type_id": self.sale_types["Delivery"],
            "venue_id": 1,
            "customer": {"name": "Rahid", "phone": "+994705401040", "address": "1 Main St"},
            "products": [
                {
                    "product_id": self.products["Cappuccino"],
                    "product_name": "Cappuccino",
                    "count": 2,
                    "modifiers": [
                        {"modifier_id": self.modifiers["Oat milk"], "modifier_name": "Oat milk"}
                    ],
                },
                {"product_id": self.products["Espresso"], "product_name": "Espresso"},
            ],
        }
        body.update(overrides)
        return body

    def v1_order(self, **overrides: Any) -> dict[str, Any]:
        """The reference's v1 body, with the demo café's ids."""
        body: dict[str, Any] = {
            "customer_id": 1,
            "payload": {
                "service": {
                    "sale_type_id": self.sale_types["Delivery"],
                    "sale_type_name": "Delivery",
                    "venue_id": 1,
                    "venue_name": "Main",
                },
                "customer": {"id": 1, "phone": "+994705401040", "name": "Rahid"},
                "products": [
                    {
                        "product_id": self.products["Latte"],
                        "count": 1,
                        "product_modificators": [
                            {"modificator_id": self.modifiers["Vanilla syrup"], "count": 1}
                        ],
                        "meta": {"price": 0, "order_product": {"status": "new"}},
                    }
                ],
            },
            "meta": {
                "comment": "",
                "discount": {"discount_type": 1, "discount_value": 10},
                "orderTotal": "16.2000",
            },
        }
        body.update(overrides)
        return body


def open_cafe(live: LiveServer) -> Cafe:
    """The demo café's ids on `live`, by name."""
    found = Cafe(live, live.v1_headers(), live.v2_headers())
    listing = live.http.get(
        "/open-api/v2/products",
        headers=found.v2,
        params={"limit": 100, "with[]": "modificator_groups.modificators"},
    ).json()["data"]
    for product in listing:
        found.products[product["name"]] = product["id"]
        for group in product.get("modificator_groups", []):
            for modifier in group["modificators"]:
                found.modifiers[modifier["name"]] = modifier["id"]
    for item in live.http.get("/open-api/v2/sale-types", headers=found.v2).json()["data"]:
        found.sale_types[item["name"]] = item["id"]
    for item in live.http.get("/open-api/v2/payment-methods", headers=found.v2).json()["data"]:
        found.payment_methods[item["name"]] = item["id"]
    return found


@pytest.fixture(scope="package")
def cafe(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Cafe]:
    directory = tmp_path_factory.mktemp("orders-server")
    with serve_in_process(directory, backend, admin_token=OPERATOR_TOKEN) as live:
        yield open_cafe(live)
