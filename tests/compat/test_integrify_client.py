"""The third-party client `integrify-clopos` 0.1.0 (PyPI), built against the real service, runs
unchanged against our server: every method we serve, on both databases, and each answer passes
the client's own (strict pydantic) validation. Issue 8.

Where the client contradicts the reference, the reference wins and the test runs on data where
both agree (see `CLIENT_DEFECTS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import SANDBOX, Backend, LiveServer, serve_in_process

clopos = pytest.importorskip("integrify.clopos")

DEMO = Path(__file__).parents[2] / "src/clopos/store/data/demo_catalogue.yaml"

# The client's defects against the reference (reference wins; these tests avoid the data):
CLIENT_DEFECTS = {
    # Product.unit_weight is `int` in the client; the reference gives it in kg, fractional
    # (the demo's 0.1). The client's product list runs on a brand with whole unit weights.
    "unit_weight": "Product.unit_weight: int (reference: kg, may be fractional)",
    # ModifierGroup has `modifiers`; the reference's groups carry `modificators`. The client's
    # field is optional, so the reference's key passes unread; nothing to avoid.
    "modifiers": "ModifierGroup.modifiers (reference: modificators)",
    # Group.system_type is `str`; the reference has string|null, null for a brand's own groups.
    "system_type": "Group.system_type: str (reference: string|null)",
    # OrderStatus lacks DELIVERED, the reference's status of an order whose receipt closed
    # (its v2 lifecycle). This module closes receipts, so its order lists ask for PENDING.
    "delivered": "OrderStatus: no DELIVERED (reference: PENDING, RECEIVED, IGNORE, DELIVERED)",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    """A server of its own: the client creates customers and orders. Without the sandbox's
    seeded history: its delivered orders carry the documented status DELIVERED, which this
    client's enum lacks (its defect, docs/compatibility.md)."""
    directory = tmp_path_factory.mktemp("integrify")
    with serve_in_process(
        directory, backend, admin_token="operator-secret", seed_demo_history=False
    ) as server:
        yield server


@pytest.fixture(scope="module")
def client(live: LiveServer) -> Any:
    return clopos.CloposClientClass(base_url=live.url + "/open-api/v2/")


@pytest.fixture(scope="module")
def headers(client: Any) -> dict[str, str]:
    answer = client.auth(
        client_id=SANDBOX["client_id"],
        client_secret=SANDBOX["client_secret"],
        brand=SANDBOX["brand"],
        integrator_id=SANDBOX["integrator_id"],
    )
    assert answer.ok and answer.body.success, answer
    return {"x-token": answer.body.token}


def _ok(answer: Any) -> Any:
    """The client raised nothing (its validation passed) and the call succeeded."""
    assert answer.ok, (answer.status_code, answer.body)
    assert answer.body.success is True
    return answer.body


Call = Callable[[Any, dict[str, str]], Any]

CALLS: dict[str, Call] = {
    "get_venues": lambda c, h: c.get_venues(headers=h),
    "get_users": lambda c, h: c.get_users(headers=h),
    "get_user_by_id": lambda c, h: c.get_user_by_id(1, headers=h),
    "get_customers": lambda c, h: c.get_customers(headers=h),
    "get_customers_with": lambda c, h: c.get_customers(
        with_=["group", "balance", "cashback_balance"], headers=h
    ),
    "get_customer_by_id": lambda c, h: c.get_customer_by_id(1, headers=h),
    "get_customer_groups": lambda c, h: c.get_customer_groups(headers=h),
    "get_categories": lambda c, h: c.get_categories(headers=h),
    "get_category_by_id": lambda c, h: c.get_category_by_id(1, headers=h),
    "get_stations": lambda c, h: c.get_stations(headers=h),
    "get_station_by_id": lambda c, h: c.get_station_by_id(1, headers=h),
    "get_product_by_id": lambda c, h: c.get_product_by_id(1, headers=h),
    "get_stop_list": lambda c, h: c.get_stop_list(headers=h),
    "get_sale_types": lambda c, h: c.get_sale_types(headers=h),
    "get_payment_methods": lambda c, h: c.get_payment_methods(headers=h),
    "get_price_lists": lambda c, h: c.get_price_lists(headers=h),
    "get_price_list_prices": lambda c, h: c.get_price_list_prices(headers=h),
    "get_orders": lambda c, h: c.get_orders(status="PENDING", headers=h),
    "get_receipts": lambda c, h: c.get_receipts(headers=h),
}

# Failing before issue 8's fixes, row by row (strict: a pass here fails the run).
# Failing before issue 8's fixes, row by row (strict: a pass here fails the run). Before:
# get_users (pin null), get_customers, get_customer_by_id, create_customer (no balance_id,
# venue_id null), get_customers_with (with[]=balance refused), get_customer_groups
# (discount_type "percent"), get_payment_methods (balance without amount, position,
# timestamps), get_price_lists and get_price_list_prices (no time, timestamp, unix).
BEFORE_FIX: dict[str, str] = {}

# Calls whose answers carry a customer group: the client needs `system_type` as a string,
# the reference has string|null (null for a brand's own groups). They run on the agreeing
# brand, whose only group is the system group "My Customers" (CLIENT_DEFECTS).
ON_AGREEING = {"get_customer_groups", "get_customers_with"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_method_passes_client_validation(
    name: str,
    client: Any,
    headers: dict[str, str],
    agreeing: dict[str, str],
    request: pytest.FixtureRequest,
) -> None:
    if name in BEFORE_FIX:
        request.applymarker(pytest.mark.xfail(reason=BEFORE_FIX[name], strict=True))
    _ok(CALLS[name](client, agreeing if name in ON_AGREEING else headers))


@pytest.fixture(scope="module")
def agreeing(
    live: LiveServer, client: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Headers for a second brand holding the demo café with whole unit weights and no group
    but the system one: the data where the client and the reference agree (CLIENT_DEFECTS)."""
    catalogue = yaml.safe_load(DEMO.read_text())
    for product in catalogue["products"]:
        if product.get("unit_weight") is not None:
            product["unit_weight"] = 1
    catalogue["customer_groups"] = []
    for customer in catalogue["customers"]:
        customer.pop("group", None)
    path = tmp_path_factory.mktemp("agreeing") / "catalogue.yaml"
    path.write_text(yaml.safe_dump({"brand": "agreeing", **catalogue}))
    live.admin("brand", "create", "agreeing", "--mode", "test")
    credential = live.admin_json("client", "create", "--brand", "agreeing")
    live.admin("import", str(path))
    answer = client.auth(
        client_id=credential["client_id"],
        client_secret=credential["client_secret"],
        brand="agreeing",
        integrator_id=SANDBOX["integrator_id"],
    )
    assert answer.ok and answer.body.success, answer
    return {"x-token": answer.body.token}


def test_get_products(
    client: Any,
    headers: dict[str, str],
    agreeing: dict[str, str],
    live: LiveServer,
    request: pytest.FixtureRequest,
) -> None:
    """The client's product list refuses the reference's fractional kilograms (the demo's
    banana bread, 0.1 kg): the list runs on the agreeing brand; every product of the demo
    brand that both accept is read one by one. The client's filters and paging go as a JSON
    string under an unknown key, so it always gets the first page."""
    if "get_products" in BEFORE_FIX:
        request.applymarker(pytest.mark.xfail(reason=BEFORE_FIX["get_products"], strict=True))
    raw = live.http.get("/open-api/v2/products", headers=headers, params={"limit": 100}).json()[
        "data"
    ]
    fractional = {p["id"] for p in raw if float(p.get("unit_weight") or 0) % 1}
    assert fractional, "the demo data has a fractional unit weight (the reference's kg)"
    page = _ok(client.get_products(headers=agreeing))
    assert page.data
    for product in raw:
        if product["id"] not in fractional:
            _ok(client.get_product_by_id(product["id"], headers=headers))
    for product in page.data:
        _ok(client.get_product_by_id(product.id, headers=agreeing))


def test_create_customer(
    client: Any, headers: dict[str, str], request: pytest.FixtureRequest
) -> None:
    if "create_customer" in BEFORE_FIX:
        request.applymarker(pytest.mark.xfail(reason=BEFORE_FIX["create_customer"], strict=True))
    created = _ok(
        client.create_customer(name="Integrify customer", phone="+994700000801", headers=headers)
    ).data
    assert created.balance_id
    again = _ok(client.get_customer_by_id(created.id, headers=headers)).data
    assert again.balance_id == created.balance_id


def _order(client: Any, headers: dict[str, str], live: LiveServer) -> Any:
    products = live.http.get("/open-api/v2/products", headers=headers, params={"limit": 100})
    product = next(p for p in products.json()["data"] if p["type"] in ("GOODS", "DISH"))
    customer = live.http.get("/open-api/v2/customers/1", headers=headers).json()["data"]
    sale_type = live.http.get("/open-api/v2/sale-types", headers=headers).json()["data"][0]
    venue = live.http.get("/open-api/v2/venues", headers=headers).json()["data"][0]
    return _ok(
        client.create_order(
            customer_id=customer["id"],
            payload={
                "service": {
                    "sale_type_id": sale_type["id"],
                    "sale_type_name": sale_type["name"],
                    "venue_id": venue["id"],
                    "venue_name": venue["name"],
                },
                "customer": {"id": customer["id"], "name": customer["name"]},
                "products": [{"product_id": product["id"], "count": 1}],
            },
            headers=headers,
        )
    ).data


def test_orders_and_receipts(client: Any, headers: dict[str, str], live: LiveServer) -> None:
    """Orders made, read, listed and ignored through the client; one accepted by the
    operator, its receipt read, its order status moved, closed, and its stock operations read."""
    made = _order(client, headers, live)
    _ok(client.get_order_by_id(made.id, headers=headers))
    listed = _ok(client.get_orders(status="PENDING", headers=headers)).data
    assert made.id in {order.id for order in listed}
    ignored = _order(client, headers, live)
    assert _ok(client.update_order(ignored.id, status="IGNORE", headers=headers)).data
    operator = {"authorization": "Bearer operator-secret"}
    accepted = live.http.post(
        f"/admin/api/brands/{SANDBOX['brand']}/orders/{made.id}/accept", headers=operator
    )
    assert accepted.status_code == 200, accepted.text
    receipt = accepted.json()["data"]["receipt"]
    _ok(client.get_receipts(headers=headers))
    _ok(client.get_receipt_by_id(receipt["id"], headers=headers))
    _ok(client.update_closed_receipt(receipt["id"], order_status="IN_PROGRESS", headers=headers))
    # Closed directly here; the client's own close is test_close_receipt.
    closed = live.http.post(
        f"/open-api/v2/receipts/{receipt['id']}/close",
        headers=headers,
        json={
            "cid": receipt["cid"],
            "payment_methods": [{"id": 1, "name": "Cash", "amount": receipt["total"]}],
        },
    )
    assert closed.status_code == 200, closed.text
    _ok(client.get_receipt_stock_operations(receipt["id"], headers=headers))


def test_modifier_groups_carry_modificators(headers: dict[str, str], live: LiveServer) -> None:
    """The reference's `modificators`, which the client reads as `modifiers` (its defect)."""
    from integrify.clopos.schemas.common.object import ModifierGroup

    assert "modificators" not in ModifierGroup.model_fields
    assert "modifiers" in ModifierGroup.model_fields
    products = live.http.get(
        "/open-api/v2/products",
        headers=headers,
        params={"limit": 100, "with[]": "modificator_groups"},
    ).json()["data"]
    groups = [group for product in products for group in product["modificator_groups"]]
    assert groups and all("modificators" in g and "modifiers" not in g for g in groups)
    ModifierGroup.model_validate(groups[0])  # passes: its `modifiers` is optional


def test_close_receipt(client: Any, headers: dict[str, str], live: LiveServer) -> None:
    """The client's close passes; then its defect, as served: the order of a closed receipt
    is DELIVERED (documented), and the client's validation refuses it, alone or listed."""
    from pydantic import ValidationError

    made = _order(client, headers, live)
    operator = {"authorization": "Bearer operator-secret"}
    accepted = live.http.post(
        f"/admin/api/brands/{SANDBOX['brand']}/orders/{made.id}/accept", headers=operator
    )
    receipt = accepted.json()["data"]["receipt"]
    _ok(
        client.close_receipt(
            id=receipt["id"],
            cid=receipt["cid"],
            payment_methods=[{"id": 1, "name": "Cash", "amount": receipt["total"]}],
            headers=headers,
        )
    )
    served = live.http.get(f"/open-api/v2/orders/{made.id}", headers=headers).json()["data"]
    assert served["status"] == "DELIVERED"
    with pytest.raises(ValidationError, match="DELIVERED"):
        client.get_order_by_id(made.id, headers=headers)
    with pytest.raises(ValidationError, match="DELIVERED"):
        client.get_orders(headers=headers)


def test_defects_named() -> None:
    assert set(CLIENT_DEFECTS) == {"unit_weight", "modifiers", "system_type", "delivered"}


def test_the_client_is_the_pinned_one() -> None:
    from importlib.metadata import version

    assert version("integrify-clopos") == "0.1.0"
