"""Tables: suppliers, and inventory documents (operations) with their items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import Base, Tenant, Timestamped, TimestampedDeletable, brand_fk


class Supplier(Tenant, TimestampedDeletable, Base):
    """Who supplies stock; `balance_id` is its account (what the brand owes it), `spent`
    what its published supplies came to."""

    __tablename__ = "suppliers"
    __table_args__ = (brand_fk("balance_id", target="balances"),)

    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(64), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    balance_id: Mapped[int | None] = mapped_column(default=None)
    spent: Mapped[float] = mapped_column(default=0)


class Operation(Tenant, TimestampedDeletable, Base):
    """An inventory document: a supply from a supplier, a transfer between storages, waste,
    production, an inventory check or initial stock (`type`, the reference's numbers).
    Published (`status` 1) it has moved stock; a draft (2) has not."""

    __tablename__ = "operations"
    __table_args__ = (
        brand_fk("storage_id", target="storages", holds_brand=True),
        brand_fk("supplier_id", target="suppliers"),
        Index("ix_operations_brand_operated", "brand_id", "operated_at"),
    )

    type: Mapped[int] = mapped_column()
    status: Mapped[int] = mapped_column(default=1)
    venue_id: Mapped[int | None] = mapped_column(default=None)
    storage_id: Mapped[int] = mapped_column()
    to_storage_id: Mapped[int | None] = mapped_column(default=None)
    supplier_id: Mapped[int | None] = mapped_column(default=None)
    balance_id: Mapped[int | None] = mapped_column(default=None)
    total: Mapped[float] = mapped_column(default=0)
    paid: Mapped[float] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    operated_by: Mapped[str | None] = mapped_column(String(200), default=None)
    operated_at: Mapped[datetime] = mapped_column()


class OperationItem(Tenant, Timestamped, Base):
    """A line of an inventory document: a product, how much, at what unit cost."""

    __tablename__ = "operation_items"
    __table_args__ = (
        brand_fk("operation_id", target="operations", holds_brand=True),
        brand_fk("product_id", target="products"),
        Index("ix_operation_items_brand_operation", "brand_id", "operation_id"),
    )

    operation_id: Mapped[int] = mapped_column()
    product_id: Mapped[int] = mapped_column()
    quantity: Mapped[float] = mapped_column(default=0)
    cost: Mapped[float] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0)
