"""Tables: The stop list: products with limited stock left."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
)
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import (
    Base,
    Branded,
    brand_fk,
)


class StopListEntry(Branded, Base):
    """A product's stock limit at one venue (0 = out of stock); `updated_ms` is Unix
    milliseconds. A real stop list is per venue (issue 8)."""

    __tablename__ = "stop_list"
    __table_args__ = (
        brand_fk("product_id", target="products"),
        brand_fk("venue_id", target="venues", holds_brand=True),
    )

    venue_id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)
    limit: Mapped[int] = mapped_column(default=0)
    updated_ms: Mapped[int] = mapped_column(BigInteger)
