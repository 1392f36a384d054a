"""Price lists (v2 only): alternative prices per product."""

from __future__ import annotations

from clopos.core.products.types import ProductType
from clopos.schemas.common import WireModel


class PricedProduct(WireModel):
    """The product of a price (`with[]=product`): its identity and base price."""

    id: int
    name: str
    type: ProductType
    price: float
    updated_at: str | None = None


class Price(WireModel):
    """A product's price in a list; `product` and `list` only when asked with `with[]`."""

    id: int
    list_id: int
    product_id: int
    price: float
    product: PricedProduct | None = None
    list: PriceList | None = None


class PriceList(WireModel):
    """A price list; `selects` may leave out any field but `id` (and the asked relations)."""

    id: int
    name: str | None = None
    description: str | None = None
    status: bool = True
    created_at: str | None = None
    updated_at: str | None = None
    prices: list[Price] | None = None  # with[]=prices


Price.model_rebuild()
