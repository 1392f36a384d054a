"""Tables: receipts, their lines and modifiers, payments; storages, stock levels and the stock
operations closing a receipt makes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clopos.core.receipts.statuses import ReceiptStatus
from clopos.store.base import Base, Tenant, Timestamped, brand_fk

# A page's share PostgreSQL fills with new rows, leaving the rest to their updated versions:
# the receipts' and orders' (migration 0017).
CLOSES_IN_PLACE = 80

# Plain integers for statements and comparisons with the column's values.
OPEN = int(ReceiptStatus.OPEN)
CLOSED = int(ReceiptStatus.CLOSED)


class Receipt(Tenant, Timestamped, Base):
    """A check: open (`status` 1) while the venue works on it, closed (2) once paid. Money is
    a JSON number, as on the wire. `version` makes concurrent closes and updates fail
    instead of overwriting each other."""

    __tablename__ = "receipts"
    __table_args__ = (
        brand_fk("venue_id", target="venues", holds_brand=True),
        brand_fk("sale_type_id", target="sale_types"),
        UniqueConstraint("brand_id", "cid"),
        Index("ix_receipts_brand_created", "brand_id", "created_at"),
        # No index covers a column a close changes (`status` above all), and a fifth of
        # each page stays free: PostgreSQL then updates the row in place (migration 0017).
        {"postgresql_with": {"fillfactor": CLOSES_IN_PLACE}},
    )

    venue_id: Mapped[int] = mapped_column()
    cid: Mapped[str] = mapped_column(String(36))
    order_id: Mapped[int | None] = mapped_column(default=None)
    customer_id: Mapped[int | None] = mapped_column(default=None)
    sale_type_id: Mapped[int | None] = mapped_column(default=None)
    user_id: Mapped[int | None] = mapped_column(default=None)
    terminal_id: Mapped[int | None] = mapped_column(default=None)
    source: Mapped[str] = mapped_column(String(16), default="web")
    guests: Mapped[int] = mapped_column(default=1)
    status: Mapped[int] = mapped_column(default=OPEN)
    order_status: Mapped[str] = mapped_column(String(16), default="NEW")
    order_number: Mapped[str | None] = mapped_column(String(64), default=None)
    lock: Mapped[bool] = mapped_column(default=False)
    subtotal: Mapped[float] = mapped_column(default=0)
    original_subtotal: Mapped[float] = mapped_column(default=0)
    gift_total: Mapped[float] = mapped_column(default=0)
    discount_type: Mapped[int] = mapped_column(default=0)
    discount_value: Mapped[float] = mapped_column(default=0)
    discount_rate: Mapped[float] = mapped_column(default=0)
    total_discount: Mapped[float] = mapped_column(default=0)
    service_charge: Mapped[float] = mapped_column(default=0)
    service_charge_value: Mapped[float] = mapped_column(default=0)
    delivery_fee: Mapped[float] = mapped_column(default=0)
    i_tax: Mapped[float] = mapped_column(default=0)
    e_tax: Mapped[float] = mapped_column(default=0)
    total_tax: Mapped[float] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0)
    remaining: Mapped[float] = mapped_column(default=0)
    by_cash: Mapped[float] = mapped_column(default=0)
    by_card: Mapped[float] = mapped_column(default=0)
    fiscal_id: Mapped[str | None] = mapped_column(String(128), default=None)
    loyalty_type: Mapped[int | None] = mapped_column(default=None)
    loyalty_value: Mapped[float | None] = mapped_column(default=None)
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # The venue's cash shift the receipt closed into (core/finance/shifts.py).
    cash_shift_id: Mapped[int | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ReceiptProduct(Tenant, Timestamped, Base):
    """A line of a receipt; `meta.product` keeps the product as it was sold."""

    __tablename__ = "receipt_products"
    __table_args__ = (
        brand_fk("receipt_id", target="receipts"),
        brand_fk("product_id", target="products", holds_brand=True),
        Index("ix_receipt_products_brand_receipt", "brand_id", "receipt_id"),
    )

    receipt_id: Mapped[int] = mapped_column()
    cid: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[int] = mapped_column()
    count: Mapped[float] = mapped_column(default=1)
    portion_size: Mapped[float] = mapped_column(default=1)
    price: Mapped[float] = mapped_column(default=0)
    subtotal: Mapped[float] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0)
    cost: Mapped[float] = mapped_column(default=0)
    is_gift: Mapped[int] = mapped_column(default=0)
    discount_type: Mapped[int] = mapped_column(default=0)
    discount_value: Mapped[float] = mapped_column(default=0)
    discount_rate: Mapped[float] = mapped_column(default=0)
    total_discount: Mapped[float] = mapped_column(default=0)
    receipt_discount: Mapped[float] = mapped_column(default=0)
    loyalty_type: Mapped[int | None] = mapped_column(default=None)
    loyalty_value: Mapped[float | None] = mapped_column(default=None)
    product_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ReceiptProductModifier(Tenant, Base):
    """A modificator on a receipt line (`with[]=receipt_products.modificators`)."""

    __tablename__ = "receipt_product_modifiers"
    __table_args__ = (
        brand_fk("receipt_id", target="receipts", holds_brand=True),
        brand_fk("receipt_product_id", target="receipt_products"),
        brand_fk("modifier_id", target="modifiers"),
        Index("ix_receipt_product_modifiers_brand_receipt", "brand_id", "receipt_id"),
    )

    receipt_id: Mapped[int] = mapped_column()
    receipt_product_id: Mapped[int] = mapped_column()
    modifier_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    count: Mapped[float] = mapped_column(default=1)
    portion_size: Mapped[float] = mapped_column(default=1)
    price: Mapped[float] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0)


class ReceiptPayment(Tenant, Base):
    """One payment of a receipt: `{id, name, amount}` on the wire (`id`: the method's)."""

    __tablename__ = "receipt_payments"
    __table_args__ = (
        brand_fk("receipt_id", target="receipts", holds_brand=True),
        Index("ix_receipt_payments_brand_receipt", "brand_id", "receipt_id"),
    )

    receipt_id: Mapped[int] = mapped_column()
    payment_method_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[float] = mapped_column(default=0)


class Storage(Tenant, Base):
    """A place stock is kept, at a venue (`venue_id`); a brand without one gets
    `Main Storage` when stock first moves."""

    __tablename__ = "storages"

    name: Mapped[str] = mapped_column(String(200))
    venue_id: Mapped[int | None] = mapped_column(default=None)


class Stock(Tenant, Base):
    """How much of a product a storage holds (negative once sold beyond what was counted)."""

    __tablename__ = "stocks"
    __table_args__ = (
        brand_fk("storage_id", target="storages"),
        brand_fk("product_id", target="products", holds_brand=True),
        UniqueConstraint("brand_id", "storage_id", "product_id"),
    )

    storage_id: Mapped[int] = mapped_column()
    product_id: Mapped[int] = mapped_column()
    quantity: Mapped[float] = mapped_column(default=0)
    cost: Mapped[float] = mapped_column(default=0)


class StockOperation(Tenant, Base):
    """One movement of stock: a receipt's deduction (`receipt_id`, `receipt_product_id`)."""

    __tablename__ = "stock_operations"
    __table_args__ = (
        brand_fk("stock_id", target="stocks", holds_brand=True),
        brand_fk("product_id", target="products"),
        Index("ix_stock_operations_brand_receipt", "brand_id", "receipt_id"),
    )

    receipt_id: Mapped[int | None] = mapped_column(default=None)
    receipt_product_id: Mapped[int | None] = mapped_column(default=None)
    operation_id: Mapped[int | None] = mapped_column(default=None)
    product_id: Mapped[int] = mapped_column()
    stock_id: Mapped[int] = mapped_column()
    storage_id: Mapped[int] = mapped_column()
    quantity: Mapped[float] = mapped_column(default=0)
    before_quantity: Mapped[float] = mapped_column(default=0)
    after_quantity: Mapped[float] = mapped_column(default=0)
    cost: Mapped[float] = mapped_column(default=0)
    before_cost: Mapped[float] = mapped_column(default=0)
    total_cost: Mapped[float] = mapped_column(default=0)
    operated_at: Mapped[datetime] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text, default=None)
