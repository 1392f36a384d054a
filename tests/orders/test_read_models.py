"""Orders and receipts answer exactly their wire models' fields (tests/catalogue/
test_read_models.py checks the catalogue's resources and the models' columns)."""

from __future__ import annotations

from typing import Any

from clopos.core.orders.read import ORDER
from clopos.core.readmodel import ReadModel
from clopos.core.receipts.read import LINE, MODIFICATOR, PAYMENT, RECEIPT
from tests.catalogue.test_read_models import strict
from tests.orders.conftest import Cafe

ADMIN = "/admin/api/brands/openapitest"


def _own(item: dict[str, Any], model: ReadModel) -> None:
    """`item` carries the model's fields in order, then only the relations asked for."""
    assert tuple(item)[: len(model.fields)] == model.fields
    assert set(item) - set(model.fields) <= model.relations
    strict(model).model_validate(item)


def test_orders_and_receipts_carry_exactly_their_wire_fields(cafe: Cafe) -> None:
    created = cafe.http.post("/open-api/v2/orders", headers=cafe.v2, json=cafe.v2_order())
    order = created.json()["data"]
    accepted = cafe.http.post(f"{ADMIN}/orders/{order['id']}/accept", headers=cafe.operator)
    assert accepted.status_code == 200, accepted.text
    receipt_id = accepted.json()["data"]["receipt_id"]
    orders = cafe.http.get("/open-api/v2/orders", headers=cafe.v2, params={"limit": 50})
    for item in orders.json()["data"]:
        _own(item, ORDER)
    receipt = cafe.http.get(
        f"/open-api/v2/receipts/{receipt_id}",
        headers=cafe.v2,
        params={"with[]": "receipt_products.modificators"},
    ).json()["data"]
    _own(receipt, RECEIPT)
    assert receipt["receipt_products"]
    for line in receipt["receipt_products"]:
        _own(line, LINE)
        for modificator in line["modificators"]:
            _own(modificator, MODIFICATOR)
    page = cafe.http.get("/open-api/v2/receipts", headers=cafe.v2, params={"limit": 50})
    for item in page.json()["data"]:
        _own(item, RECEIPT)
        for payment in item["payment_methods"]:
            _own(payment, PAYMENT)


def test_a_page_of_orders_is_rendered_once_and_kept(cafe: Cafe) -> None:
    """The page's rows are kept by the render cache after the first page, on each backend
    (a page re-rendering every row would answer the same, only slower)."""
    cafe.http.post("/open-api/v2/orders", headers=cafe.v2, json=cafe.v2_order())
    page = cafe.http.get("/open-api/v2/orders", headers=cafe.v2, params={"limit": 50}).json()
    ids = [item["id"] for item in page["data"]]
    renders = cafe.server.app.state.db.renders
    kept = renders.get(ORDER.resource, 1, ids, ORDER.shape)
    assert sorted(kept) == sorted(ids)
