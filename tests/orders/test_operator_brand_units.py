"""Every operator route under `/admin/api/brands/{brand}` does its work in one unit of work,
the brand's slug resolved inside it (server/api/_brand.py), and answers an unknown brand
with the same 404 whatever else the request holds; on both databases."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import pytest

from tests.orders.conftest import OPERATOR_TOKEN, Cafe, open_cafe
from tests.support import LiveServer

BRAND = "/admin/api/brands/{brand}"
V2 = "/open-api/v2"

# The units of work (True: a write) run by the request being served, when counting.
_UNITS: ContextVar[list[bool] | None] = ContextVar("operator_test_units", default=None)


def brand_routes(live: LiveServer) -> set[str]:
    """`METHOD path` of every operator route under a brand, from the OpenAPI document."""
    paths = live.app.openapi()["paths"]
    return {
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        if path.startswith(BRAND + "/")
        for method in operations
    }


@contextlib.contextmanager
def counting_units(live: LiveServer) -> Iterator[dict[str, list[bool]]]:
    """Inside the block: for each request that reaches a route, the units of work it ran
    (past the request pipeline, so only the route's own), keyed `METHOD path`."""
    app = live.app
    if app.middleware_stack is None:  # Starlette builds it on the first request
        assert live.http.get("/health").status_code == 200
    parent = app.middleware_stack
    while getattr(parent, "app", None) is not app.router:
        parent = parent.app
    router, db = parent.app, app.state.db
    told = db.on_unit
    seen: dict[str, list[bool]] = {}

    async def counted(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await router(scope, receive, send)
            return
        units: list[bool] = []
        seen[f"{scope['method']} {scope['path']}"] = units
        token = _UNITS.set(units)
        try:
            await router(scope, receive, send)
        finally:
            _UNITS.reset(token)

    def unit(write: bool, seconds: float) -> None:
        units = _UNITS.get()
        if units is not None:
            units.append(write)
        if told is not None:
            told(write, seconds)

    parent.app, db.on_unit = counted, unit
    try:
        yield seen
    finally:
        parent.app, db.on_unit = router, told


@pytest.fixture
def cafe(make_server: Callable[..., LiveServer]) -> Cafe:
    # Its own server: this test closes and opens the shift, and changes the order mode.
    return open_cafe(make_server(admin_token=OPERATOR_TOKEN, webhooks=False))


def test_each_brand_route_runs_one_unit(cafe: Cafe) -> None:
    live, http, operator = cafe.server, cafe.http, cafe.operator
    at = "/admin/api/brands/openapitest"
    done: dict[str, str] = {}  # route -> the path it was called with

    def call(route: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        method = route.split(" ", 1)[0]
        answer = http.request(method, at + path, headers=operator, **kwargs)
        assert answer.status_code == status, (route, answer.text)
        done[route] = f"{method} {at}{path}"
        return answer.json()["data"]

    def new_order() -> int:
        made = http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order())
        assert made.status_code == 201, made.text
        return int(made.json()["data"]["id"])

    beans = cafe.products["Coffee beans"]
    with counting_units(live) as seen:
        call(f"GET {BRAND}/orders", "/orders")
        accepted = call(f"POST {BRAND}/orders/{{order_id}}/accept", f"/orders/{new_order()}/accept")
        call(f"POST {BRAND}/orders/{{order_id}}/ignore", f"/orders/{new_order()}/ignore")
        receipt = accepted["receipt_id"]
        call(
            f"PUT {BRAND}/receipts/{{receipt_id}}/status",
            f"/receipts/{receipt}/status",
            json={"order_status": "IN_PROGRESS"},
        )
        call(f"POST {BRAND}/receipts/{{receipt_id}}/close", f"/receipts/{receipt}/close", json={})
        call(f"GET {BRAND}/venues/{{venue_id}}/order-mode", "/venues/1/order-mode")
        call(
            f"PUT {BRAND}/venues/{{venue_id}}/order-mode",
            "/venues/1/order-mode",
            json={"mode": "manual"},
        )
        call(f"POST {BRAND}/venues/{{venue_id}}/shift/close", "/venues/1/shift/close", json={})
        call(
            f"POST {BRAND}/venues/{{venue_id}}/shift/open",
            "/venues/1/shift/open",
            201,
            json={"amount": 50},
        )
        call(
            f"POST {BRAND}/venues/{{venue_id}}/shift/cash",
            "/venues/1/shift/cash",
            201,
            json={"amount": 5},
        )
        draft = call(
            f"POST {BRAND}/operations",
            "/operations",
            201,
            json={
                "type": 4,
                "storage_id": 1,
                "status": 2,
                "items": [{"product_id": beans, "quantity": 1}],
            },
        )
        call(
            f"POST {BRAND}/operations/{{operation_id}}/publish",
            f"/operations/{draft['id']}/publish",
        )
        made = http.post(f"{V2}/customers", headers=cafe.v2, json={"name": "Deposits"})
        assert made.status_code == 200, made.text
        call(
            f"POST {BRAND}/customers/{{customer_id}}/deposit",
            f"/customers/{made.json()['data']['id']}/deposit",
            201,
            json={"amount": 10, "payment_method_id": cafe.payment_methods["Cash"]},
        )
        call(f"POST {BRAND}/suppliers", "/suppliers", 201, json={"name": "Roastery Three"})
        call(f"POST {BRAND}/storages", "/storages", 201, json={"name": "Cellar", "venue_id": 1})
        call(f"PUT {BRAND}/stop-list/{{product_id}}", "/stop-list/7", json={"limit": 2})
        call(f"GET {BRAND}/stop-list", "/stop-list")
        call(f"DELETE {BRAND}/stop-list/{{product_id}}", "/stop-list/7")
        call(f"DELETE {BRAND}/stop-list", "/stop-list")
        subscribed = call(
            f"POST {BRAND}/webhooks",
            "/webhooks",
            201,
            json={"url": "https://example.invalid/h", "events": ["*"]},
        )
        call(f"GET {BRAND}/webhooks", "/webhooks")
        call(f"GET {BRAND}/webhooks/deliveries", "/webhooks/deliveries")
        call(
            f"POST {BRAND}/webhooks/deliveries/replay",
            "/webhooks/deliveries/replay",
            json={"subscription_id": subscribed["id"]},
        )
        call(
            f"POST {BRAND}/webhooks/{{subscription_id}}/rotate-secret",
            f"/webhooks/{subscribed['id']}/rotate-secret",
            json={},
        )
        call(f"DELETE {BRAND}/webhooks/{{subscription_id}}", f"/webhooks/{subscribed['id']}")
    assert set(done) == brand_routes(live)  # every route, so a new one is counted too
    assert len(done) == 25
    units = {route: seen[request] for route, request in done.items()}
    expected = {route: [not route.startswith("GET ")] for route in done}
    assert units == expected


def _sample(path: str, record_id: str) -> str:
    """A route's path for the unknown brand, its other parameters `record_id`."""
    filled = path.replace("{brand}", "no-such-brand")
    for name in ("order_id", "receipt_id", "venue_id", "operation_id", "product_id", "customer_id"):
        filled = filled.replace(f"{{{name}}}", record_id)
    return filled.replace("{subscription_id}", "wh_0123456789abcdef")


# Bodies each write accepts, so only the brand is wrong.
_BODIES = {
    "/receipts/{receipt_id}/status": {"order_status": "IN_PROGRESS"},
    "/venues/{venue_id}/order-mode": {"mode": "manual"},
    "/venues/{venue_id}/shift/open": {"amount": 1},
    "/venues/{venue_id}/shift/cash": {"amount": 1},
    "/operations": {"type": 4, "storage_id": 1, "items": [{"product_id": 1, "quantity": 1}]},
    "/customers/{customer_id}/deposit": {"amount": 1, "payment_method_id": 1},
    "/suppliers": {"name": "S"},
    "/storages": {"name": "S", "venue_id": 1},
    "/stop-list/{product_id}": {"limit": 1},
    "/webhooks": {"url": "https://example.invalid/h", "events": ["*"]},
}


@pytest.mark.parametrize("record_id", ["1", "not-a-number"])
def test_an_unknown_brand_is_the_same_404_on_every_route(cafe: Cafe, record_id: str) -> None:
    """Whatever the record id in the path (a malformed one too: the brand comes first, as
    the path reads), the answer names the brand."""
    routes = sorted(brand_routes(cafe.server))
    assert len(routes) == 25
    for route in routes:
        method, path = route.split(" ", 1)
        body = _BODIES.get(path.removeprefix(BRAND), {}) if method in ("POST", "PUT") else None
        answer = cafe.http.request(
            method, _sample(path, record_id), headers=cafe.operator, json=body
        )
        assert answer.status_code == 404, (route, answer.text)
        assert answer.json() == {
            "success": False,
            "error": "resource_not_found",
            "message": "Brand 'no-such-brand' not found",
        }, route
