"""Tables: Menu categories (a tree)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import (
    Base,
    Tenant,
    TimestampedDeletable,
    brand_fk,
)


class Category(Tenant, TimestampedDeletable, Base):
    """A node of the category tree; nested-set numbers are computed when serving, not stored."""

    __tablename__ = "categories"
    __table_args__ = (brand_fk("parent_id", target="categories"),)

    parent_id: Mapped[int | None] = mapped_column(default=None)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), default="")
    type: Mapped[str] = mapped_column(String(16), default="PRODUCT")
    color: Mapped[str | None] = mapped_column(String(16), default=None)
    status: Mapped[int] = mapped_column(default=1)
    position: Mapped[int | None] = mapped_column(default=None)
    hidden: Mapped[bool] = mapped_column(default=False)
    media: Mapped[list[Any]] = mapped_column(default=list)
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
