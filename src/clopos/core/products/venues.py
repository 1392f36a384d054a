"""A product at one venue: its `venues[]` override there, else its own values.

One reading of an override for everything that needs one (the product's answer, the
pricing and checking of an order): a `price` or `status` left null means the product's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def at_venue(
    price: float, status: int, venues: Iterable[Mapping[str, Any]] | None, venue_id: int
) -> tuple[float, int]:
    """The price and status of a product (its own `price` and `status`) at `venue_id`."""
    for override in venues or ():
        if override.get("venue_id") == venue_id:
            there_price, there_status = override.get("price"), override.get("status")
            return (
                price if there_price is None else float(there_price),
                status if there_status is None else int(there_status),
            )
    return price, status
