"""The stop list: products with a limited (0 = none left) stock."""

from __future__ import annotations

from pydantic import Field

from clopos.schemas.common import WireModel


class StopListItem(WireModel):
    """`id` is the product id; `timestamp` the last change in Unix milliseconds."""

    id: int
    limit: int
    timestamp: int


class StopListUpdate(WireModel):
    """Body of the operator's `PUT /admin/api/brands/{brand}/stop-list/{product_id}`."""

    # Strict: `true` is not one unit, nor `"3"` three; the column holds 64 bits.
    limit: int = Field(
        ge=0, le=2**63 - 1, strict=True, description="Units left; 0 means out of stock"
    )


class StopListRemoval(WireModel):
    """Answer of the operator's stop-list DELETEs: how many entries were removed."""

    removed: int
