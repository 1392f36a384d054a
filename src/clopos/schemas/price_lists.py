"""Price lists (v2 only): alternative prices per product."""

from __future__ import annotations

from typing import Any

from clopos.schemas.common import WireModel


class Price(WireModel):
    id: int
    list_id: int
    product_id: int
    price: float
    product: dict[str, Any] | None = None
    list: PriceList | None = None


class PriceList(WireModel):
    """A price list; `selects` may leave out any field but `id` (and the asked relations)."""

    id: int
    name: str | None = None
    description: str | None = None
    status: bool = True
    prices: list[Price] | None = None
    created_at: str | None = None
    updated_at: str | None = None


Price.model_rebuild()
