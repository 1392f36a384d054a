"""A dedicated server per webhook test (its own subscriptions and sender), with retries and
polls fast enough for a test, and what a test needs to write orders and receipts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support import LiveServer

OPERATOR_TOKEN = "webhooks-operator"
FAST = {
    "admin_token": OPERATOR_TOKEN,
    "webhook_poll_seconds": 0.05,
    "webhook_retry_base_seconds": 0.05,
    "webhook_retry_cap_seconds": 0.2,
    "webhook_timeout": 2,
}


@dataclass
class Venue:
    """A server, its v2 token, and the demo café's ids."""

    server: LiveServer
    v2: dict[str, str]
    products: dict[str, int]
    sale_types: dict[str, int]

    @property
    def operator(self) -> dict[str, str]:
        return {"authorization": f"Bearer {OPERATOR_TOKEN}"}

    def subscribe(self, url: str, events: list[str] | None = None) -> dict[str, Any]:
        answer = self.server.http.post(
            "/admin/api/brands/openapitest/webhooks",
            json={"url": url, "events": events or ["*"]},
            headers=self.operator,
        )
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()["data"]
        return created

    def order(self) -> dict[str, Any]:
        body = {
            "sale_type_id": self.sale_types["Delivery"],
            "venue_id": 1,
            "customer": {"name": "Rahid", "phone": "+994705401040", "address": "1 Main St"},
            "products": [{"product_id": self.products["Espresso"], "product_name": "Espresso"}],
        }
        answer = self.server.http.post("/open-api/v2/orders", json=body, headers=self.v2)
        assert answer.status_code in (200, 201), answer.text
        order: dict[str, Any] = answer.json()["data"]
        return order

    def operator_call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        answer = self.server.http.request(
            method, f"/admin/api/brands/openapitest{path}", headers=self.operator, **kwargs
        )
        assert answer.status_code in (200, 201), answer.text
        data: dict[str, Any] = answer.json()["data"]
        return data

    def deliveries(self, **params: Any) -> list[dict[str, Any]]:
        answer = self.server.http.get(
            "/admin/api/brands/openapitest/webhooks/deliveries",
            params=params,
            headers=self.operator,
        )
        assert answer.status_code == 200, answer.text
        rows: list[dict[str, Any]] = answer.json()["data"]
        return rows


def venue_of(server: LiveServer) -> Venue:
    v2 = server.v2_headers()
    products = server.http.get("/open-api/v2/products", params={"limit": 100}, headers=v2)
    sale_types = server.http.get("/open-api/v2/sale-types", headers=v2)
    return Venue(
        server,
        v2,
        {p["name"]: p["id"] for p in products.json()["data"]},
        {s["name"]: s["id"] for s in sale_types.json()["data"]},
    )


@pytest.fixture
def make_venue(make_server: Callable[..., LiveServer]) -> Callable[..., Venue]:
    def start(**settings: Any) -> Venue:
        return venue_of(make_server(**{**FAST, **settings}))

    return start
