"""A product with variants is not sold itself (the reference: "Parent is not sellable when it
has variants"): ordered by its own id, on either version and either body, it is refused with
a sentence naming its variants and nothing is written; a variant is ordered at its own price."""

from __future__ import annotations

from typing import Any

import pytest

from tests.orders.conftest import Cafe
from tests.orders.test_orders import V1, V2, count, data, refused


def fanta(cafe: Cafe) -> tuple[int, list[dict[str, Any]]]:
    """The demo Fanta's id and its variants (id, name, price), as the API answers them."""
    product = data(
        cafe.http.get(
            f"{V2}/products/{cafe.products['Fanta']}",
            headers=cafe.v2,
            params={"with[]": "modifications"},
        )
    )
    assert product["price"] == 0 and product["has_modifications"] is True
    return product["id"], product["modifications"]


def refusal(cafe: Cafe, where: str) -> str:
    parent, variants = fanta(cafe)
    named = ", ".join(f"{v['name']} (id {v['id']}, {v['price']:.2f})" for v in variants)
    return (
        f"products.{where}: product Fanta (id {parent}) has variants and is not sold itself; "
        f"order one of its variants by its id: {named}"
    )


def test_the_demo_fanta_has_two_priced_variants(cafe: Cafe) -> None:
    _, variants = fanta(cafe)
    assert [(v["name"], v["price"]) for v in variants] == [("0.33 L", 1.8), ("0.5 L", 2.4)]


@pytest.mark.parametrize("base", [V1, V2])
def test_the_v1_body_ordering_the_parent_is_refused(cafe: Cafe, base: str) -> None:
    before = count(cafe)
    body = cafe.v1_order()
    body["payload"]["products"].append(
        {"product_id": cafe.products["Fanta"], "count": 1, "meta": {"price": 0}}
    )
    headers = cafe.v1 if base == V1 else cafe.v2
    answer = cafe.http.post(f"{base}/orders", headers=headers, json=body)
    refused(answer, refusal(cafe, "1"))
    assert count(cafe) == before


def test_the_v2_body_ordering_the_parent_is_refused(cafe: Cafe) -> None:
    before = count(cafe)
    body = cafe.v2_order(
        products=[{"product_id": cafe.products["Fanta"], "product_name": "Fanta", "count": 2}]
    )
    refused(cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body), refusal(cafe, "0"))
    assert count(cafe) == before


@pytest.mark.parametrize("base", [V1, V2])
def test_a_variant_is_ordered_at_its_own_price(cafe: Cafe, base: str) -> None:
    _, variants = fanta(cafe)
    large = next(v for v in variants if v["name"] == "0.5 L")
    body = cafe.v1_order(meta={"comment": ""})  # no discount
    body["payload"]["products"] = [{"product_id": large["id"], "count": 2, "meta": {"price": 0}}]
    headers = cafe.v1 if base == V1 else cafe.v2
    order = data(cafe.http.post(f"{base}/orders", headers=headers, json=body), 201)
    assert order["payload"]["products"][0]["meta"]["price"] == 2.4
    assert order["payload"]["meta"]["orderTotal"] == "4.8000"
