"""Tables: Price lists and their prices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import (
    Base,
    Tenant,
    TimestampedDeletable,
    brand_fk,
    utcnow,
)


class PriceList(Tenant, TimestampedDeletable, Base):
    __tablename__ = "price_lists"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[bool] = mapped_column(default=True)


class PriceListPrice(Tenant, Base):
    __tablename__ = "price_list_prices"
    __table_args__ = (
        brand_fk("list_id", target="price_lists"),
        brand_fk("product_id", target="products", holds_brand=True),
        UniqueConstraint("brand_id", "list_id", "product_id"),
    )

    list_id: Mapped[int] = mapped_column()
    product_id: Mapped[int] = mapped_column()
    price: Mapped[float] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
