"""Venues: a brand's physical locations."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from clopos.schemas.common import WireModel


class Venue(WireModel):
    """A venue. Carries both documented shapes: v2's `is_main`/`media` and v1's contact fields."""

    id: int
    name: str
    is_main: int = 0
    media: list[dict[str, Any]] = Field(default_factory=list)
    address: str | None = None
    status: int = 1
    phone: str | None = None
    email: str | None = None
