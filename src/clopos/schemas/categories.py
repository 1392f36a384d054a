"""Categories: a tree (`children`) with nested-set numbers `_lft`, `_rgt` and `depth`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from clopos.schemas.common import WireModel


class Category(WireModel):
    id: int
    parent_id: int | None = None
    name: str
    slug: str = ""
    type: Literal["PRODUCT", "INGREDIENT", "ACCOUNTING"]
    status: int = 1
    position: int | None = None
    color: str | None = None
    hidden: bool = False
    lft: int = Field(alias="_lft")
    rgt: int = Field(alias="_rgt")
    depth: int = 0
    media: list[dict[str, Any]] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    children: list[Category] = Field(default_factory=list)
    created_at: str | None = None
    updated_at: str | None = None
