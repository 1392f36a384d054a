"""Tables: a venue's tables, and the calls guests make from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import Base, Tenant, brand_fk, utcnow


class VenueTable(Tenant, Base):
    """A table of a venue (what a waiter call names)."""

    __tablename__ = "venue_tables"
    __table_args__ = (brand_fk("venue_id", target="venues", holds_brand=True),)

    venue_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(100))
    seats: Mapped[int] = mapped_column(default=4)
    status: Mapped[int] = mapped_column(default=1)


class WaiterCall(Tenant, Base):
    """A guest's call from a table: `WAITER`, or `PAY` with the method they will pay by."""

    __tablename__ = "waiter_calls"
    __table_args__ = (
        brand_fk("table_id", target="venue_tables", holds_brand=True),
        Index("ix_waiter_calls_brand_venue", "brand_id", "venue_id", "created_at"),
    )

    venue_id: Mapped[int] = mapped_column()
    table_id: Mapped[int] = mapped_column()
    type: Mapped[str] = mapped_column(String(8))
    payment_method_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
