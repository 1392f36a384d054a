"""What the kit's tests share: an order for the demo café, built from what the API lists."""

from __future__ import annotations

from typing import Any

from clopos import Client


def cafe_order(client: Client, **fields: Any) -> dict[str, Any]:
    """A v2 order body: two cappuccinos for delivery at venue 1."""
    products = {p.name: p.id for p in client.products.list()}
    sale_types = {s.name: s.id for s in client.sale_types.list()}
    return {
        "sale_type_id": sale_types["Delivery"],
        "venue_id": 1,
        "customer": {"name": "Rahid", "phone": "+994705401040", "address": "1 Main St"},
        "products": [
            {"product_id": products["Cappuccino"], "product_name": "Cappuccino", "count": 2}
        ],
        **fields,
    }
