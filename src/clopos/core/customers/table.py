"""Tables: Customers and customer groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Index,
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
)


class CustomerGroup(Tenant, TimestampedDeletable, Base):
    __tablename__ = "customer_groups"

    name: Mapped[str] = mapped_column(String(200))
    # 0 none, 1 percent, 2 amount (issue 8); the column is new, the old text one is gone.
    discount_type: Mapped[int | None] = mapped_column("discount_kind", default=None)
    discount_value: Mapped[float] = mapped_column(default=0)
    system_type: Mapped[str | None] = mapped_column(String(64), default=None)
    total_amount: Mapped[float] = mapped_column(default=0)


class Customer(Tenant, TimestampedDeletable, Base):
    __tablename__ = "customers"
    __table_args__ = (
        brand_fk("group_id", target="customer_groups"),
        UniqueConstraint("brand_id", "cid"),
        UniqueConstraint("brand_id", "phone"),
        UniqueConstraint("brand_id", "code"),
        Index("ix_customers_brand_name", "brand_id", "name"),
    )

    cid: Mapped[str] = mapped_column(String(36))
    venue_id: Mapped[int | None] = mapped_column(default=None)
    group_id: Mapped[int | None] = mapped_column(default=None)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    phone: Mapped[str | None] = mapped_column(String(64), default=None)
    phones: Mapped[list[Any]] = mapped_column(default=list)
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    address_data: Mapped[list[Any]] = mapped_column(default=list)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    discount: Mapped[float] = mapped_column(default=0)
    spent: Mapped[float] = mapped_column(default=0)
    total_discount: Mapped[float] = mapped_column(default=0)
    total_bonus: Mapped[float] = mapped_column(default=0)
    receipt_count: Mapped[int] = mapped_column(default=0)
    gender: Mapped[int | None] = mapped_column(default=None)
    date_of_birth: Mapped[str | None] = mapped_column(String(10), default=None)
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    source: Mapped[str | None] = mapped_column(String(64), default=None)
    reference_id: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[bool] = mapped_column(default=True)
    can_use_loyalty_system: Mapped[bool] = mapped_column(default=False)
    is_verified: Mapped[bool] = mapped_column(default=False)
    phone_verified_at: Mapped[datetime | None] = mapped_column(default=None)
    # The customer's balance accounts (issue 8): ids from the brand's `balances` sequence,
    # which payment methods' balance ids also reserve; the amounts they hold.
    balance_id: Mapped[int | None] = mapped_column(default=None)
    bonus_balance_id: Mapped[int | None] = mapped_column(default=None)
    cashback_balance_id: Mapped[int | None] = mapped_column(default=None)
    balance_amount: Mapped[float] = mapped_column(default=0)
    bonus_amount: Mapped[float] = mapped_column(default=0)
    cashback_amount: Mapped[float] = mapped_column(default=0)
