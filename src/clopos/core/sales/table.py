"""Tables: Sale types and payment methods."""

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


class PaymentMethod(Tenant, TimestampedDeletable, Base):
    __tablename__ = "payment_methods"

    name: Mapped[str] = mapped_column(String(200))
    # Venue id (as text) -> 0/1, the documented `{"1": 1, "2": 0}` map.
    status: Mapped[dict[str, Any]] = mapped_column(default=dict)
    split: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    customer_required: Mapped[int] = mapped_column(default=0)
    is_system: Mapped[int] = mapped_column(default=0)
    balance: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    service: Mapped[dict[str, Any] | None] = mapped_column(default=None)


class SaleType(Tenant, TimestampedDeletable, Base):
    __tablename__ = "sale_types"
    __table_args__ = (brand_fk("payment_method_id", target="payment_methods"),)

    name: Mapped[str] = mapped_column(String(200))
    system_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32), default=None)
    status: Mapped[dict[str, Any]] = mapped_column(default=dict)
    service_charge_rate: Mapped[float | None] = mapped_column(default=None)
    position: Mapped[int] = mapped_column(default=0)
    media: Mapped[list[Any]] = mapped_column(default=list)
    payment_method_id: Mapped[int | None] = mapped_column(default=None)
