"""Refusals that say what would have been accepted: an unknown payment method at the venue's
side lists the venue's methods; a number too large to be an integer names the field's bound,
as a number just over it does; an empty order names its minimum."""

from __future__ import annotations

import pytest

from tests.orders.conftest import Cafe
from tests.orders.test_orders import V2, count, data, refused

ADMIN = "/admin/api/brands/openapitest"


def test_an_unknown_payment_method_lists_the_venue_s(cafe: Cafe) -> None:
    order = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order()), 201)
    accepted = cafe.http.post(f"{ADMIN}/orders/{order['id']}/accept", headers=cafe.operator)
    receipt_id = data(accepted)["receipt_id"]
    answer = cafe.http.post(
        f"{ADMIN}/receipts/{receipt_id}/close",
        headers=cafe.operator,
        json={"payment_method": "Bitcoin"},
    )
    assert answer.status_code == 400, answer.text
    message = answer.json()["message"]
    assert message.startswith("No payment method 'Bitcoin' at venue 1; its payment methods are ")
    for name, method_id in cafe.payment_methods.items():
        assert f"{name} (id {method_id})" in message
    cli = cafe.server.admin(
        "receipt",
        "close",
        str(receipt_id),
        "--brand",
        "openapitest",
        "--payment-method",
        "Bitcoin",
        check=False,
    )
    assert cli.exit_code == 1 and message in cli.output


def test_an_unknown_payment_method_id_lists_the_venue_s(cafe: Cafe) -> None:
    order = data(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order()), 201)
    accepted = cafe.http.post(f"{ADMIN}/orders/{order['id']}/accept", headers=cafe.operator)
    receipt_id = data(accepted)["receipt_id"]
    body = {"payment_methods": [{"id": 10**6, "amount": 100}]}
    answer = cafe.http.post(f"{V2}/receipts/{receipt_id}/close", headers=cafe.v2, json=body)
    offered = ", ".join(f"{name} (id {id_})" for name, id_ in cafe.payment_methods.items())
    refused(
        answer,
        f"The selected payment_methods.0.id is invalid. Payment methods at venue 1: {offered}.",
    )


@pytest.mark.parametrize("number", [1e9, 1e30, 10**40])
def test_a_count_too_large_names_the_bound(cafe: Cafe, number: float) -> None:
    before = count(cafe)
    body = cafe.v2_order(
        products=[{"product_id": cafe.products["Espresso"], "product_name": "E", "count": number}]
    )
    refused(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body),
        "The products.0.count field must not be greater than 10000.",
    )
    assert count(cafe) == before


def test_an_unbounded_integer_too_large_says_so(cafe: Cafe) -> None:
    refused(
        cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=cafe.v2_order(sale_type_id=1e30)),
        "The sale_type_id field is too large.",
    )


def test_an_order_without_products_names_the_minimum(cafe: Cafe) -> None:
    for body in (cafe.v2_order(products=[]),):
        refused(
            cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body),
            "The products field must have at least 1 item.",
        )
