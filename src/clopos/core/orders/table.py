"""Tables: orders, their product lines, and each venue's way of answering new orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clopos.core.receipts.table import CLOSES_IN_PLACE
from clopos.store.base import Base, Branded, Tenant, Timestamped, brand_fk


class Order(Tenant, Timestamped, Base):
    """An order as an integrator sent it (`payload`, stored in the v1 shape the reference's
    GET shows) and where the venue is with it (`status`). `version` makes concurrent
    transitions fail instead of overwriting each other."""

    __tablename__ = "orders"
    __table_args__ = (
        brand_fk("venue_id", target="venues", holds_brand=True),
        brand_fk("sale_type_id", target="sale_types"),
        UniqueConstraint("brand_id", "integration_uuid"),
        Index("ix_orders_brand_created", "brand_id", "created_at"),
        Index("ix_orders_accept_at", "accept_at"),
        # As the receipts': a close updates the order in place (migration 0017).
        {"postgresql_with": {"fillfactor": CLOSES_IN_PLACE}},
    )

    venue_id: Mapped[int] = mapped_column()
    sale_type_id: Mapped[int] = mapped_column()
    customer_id: Mapped[int | None] = mapped_column(default=None)
    type: Mapped[str] = mapped_column(String(32), default="CALL_CENTER_ORDER")
    integration: Mapped[str] = mapped_column(String(64), default="call_center_new")
    integration_uuid: Mapped[str | None] = mapped_column(String(64), default=None)
    integration_id: Mapped[str | None] = mapped_column(String(64), default=None)
    customer_ref_id: Mapped[str | None] = mapped_column(String(64), default=None)
    integration_status: Mapped[str] = mapped_column(String(32), default="CREATED")
    integration_response: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(16), default="PENDING")
    order_number: Mapped[str | None] = mapped_column(String(20), default=None)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    subtotal: Mapped[float] = mapped_column(default=0)
    total_discount: Mapped[float] = mapped_column(default=0)
    service_charge_value: Mapped[float] = mapped_column(default=0)
    delivery_fee: Mapped[float] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    receipt_id: Mapped[int | None] = mapped_column(default=None)
    # When the sandbox venue accepts it by itself (`order-mode accept-after`).
    accept_at: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class OrderProduct(Tenant, Base):
    """One line of an order, priced by the server; `modifiers` as
    `[{modifier_id, name, count, price, portion_size}]`."""

    __tablename__ = "order_products"
    __table_args__ = (
        brand_fk("order_id", target="orders", holds_brand=True),
        brand_fk("product_id", target="products"),
        Index("ix_order_products_brand_order", "brand_id", "order_id"),
    )

    order_id: Mapped[int] = mapped_column()
    product_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    count: Mapped[float] = mapped_column(default=1)
    portion_size: Mapped[float] = mapped_column(default=1)
    price: Mapped[float] = mapped_column(default=0)
    total: Mapped[float] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(32), default="new")
    product_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    modifiers: Mapped[list[Any]] = mapped_column(default=list)


class VenueOrderMode(Branded, Base):
    """How the sandbox venue answers new orders; a venue without a row is `manual`."""

    __tablename__ = "venue_order_modes"
    __table_args__ = (brand_fk("venue_id", target="venues", holds_brand=True),)

    venue_id: Mapped[int] = mapped_column(primary_key=True)
    mode: Mapped[str] = mapped_column(String(16), default="manual")
    accept_after_seconds: Mapped[int | None] = mapped_column(default=None)
