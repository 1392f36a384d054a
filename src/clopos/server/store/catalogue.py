"""Catalogue and customer tables: what a brand sells, to whom, and who works there.

Every table is tenant-owned with a composite key (brand_id, id). Relations are plain columns
with composite foreign keys and no ORM relationships: services load related rows in batches,
so a list endpoint costs a fixed number of queries whatever the page holds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clopos.server.store.base import Base, utcnow
from clopos.server.store.models import brand_fk


class _Tenant:
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class _Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class User(_Tenant, _Timestamps, Base):
    """A staff member of the brand (back-office user)."""

    __tablename__ = "users"

    email: Mapped[str | None] = mapped_column(String(200), default=None)
    username: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100), default=None)
    last_name: Mapped[str | None] = mapped_column(String(100), default=None)
    pin: Mapped[str | None] = mapped_column(String(16), default=None)
    card: Mapped[str | None] = mapped_column(String(64), default=None)
    mobile_number: Mapped[str | None] = mapped_column(String(64), default=None)
    owner: Mapped[int] = mapped_column(default=0)
    hide: Mapped[int] = mapped_column(default=0)
    salary: Mapped[float] = mapped_column(default=0)
    barcode: Mapped[str | None] = mapped_column(String(64), default=None)
    tip_message: Mapped[str | None] = mapped_column(String(500), default=None)
    can_receive_tips: Mapped[bool] = mapped_column(default=False)
    login_at: Mapped[datetime | None] = mapped_column(default=None)
    status: Mapped[bool] = mapped_column(default=True)
    properties: Mapped[list[Any]] = mapped_column(default=list)


class CustomerGroup(_Tenant, _Timestamps, Base):
    __tablename__ = "customer_groups"

    name: Mapped[str] = mapped_column(String(200))
    discount_type: Mapped[str | None] = mapped_column(String(32), default=None)
    discount_value: Mapped[float] = mapped_column(default=0)
    system_type: Mapped[str | None] = mapped_column(String(64), default=None)
    total_amount: Mapped[float] = mapped_column(default=0)


class Customer(_Tenant, _Timestamps, Base):
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


class Category(_Tenant, _Timestamps, Base):
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


class Station(_Tenant, _Timestamps, Base):
    __tablename__ = "stations"

    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[int] = mapped_column(default=1)
    type: Mapped[int] = mapped_column(default=1)
    printable: Mapped[int] = mapped_column(default=1)
    reminder_enabled: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str | None] = mapped_column(String(500), default=None)


class Unit(_Tenant, Base):
    __tablename__ = "units"
    __table_args__ = (brand_fk("parent_id", target="units"),)

    parent_id: Mapped[int | None] = mapped_column(default=None)
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(32), default="PIECE")
    symbol: Mapped[str] = mapped_column(String(16), default="")
    equal: Mapped[float] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class Tax(_Tenant, _Timestamps, Base):
    __tablename__ = "taxes"

    name: Mapped[str] = mapped_column(String(200))
    rate: Mapped[float] = mapped_column(default=0)
    type_id: Mapped[int | None] = mapped_column(default=None)
    rounding_option: Mapped[str] = mapped_column(String(32), default="ROUND_HALF_UP")
    priority: Mapped[int] = mapped_column(default=0)
    calculation_type: Mapped[int] = mapped_column(default=0)
    is_default: Mapped[bool] = mapped_column(default=False)
    status: Mapped[int] = mapped_column(default=1)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Tag(_Tenant, Base):
    __tablename__ = "tags"

    name: Mapped[str] = mapped_column(String(100))


class Product(_Tenant, _Timestamps, Base):
    """A sellable or stocked item; variants are products of type MODIFICATION with a parent."""

    __tablename__ = "products"
    __table_args__ = (
        brand_fk("parent_id", target="products"),
        brand_fk("category_id", target="categories"),
        brand_fk("station_id", target="stations"),
        brand_fk("unit_id", target="units"),
        UniqueConstraint("brand_id", "cid"),
        Index("ix_products_brand_parent", "brand_id", "parent_id"),
        Index("ix_products_brand_category", "brand_id", "category_id"),
    )

    cid: Mapped[str] = mapped_column(String(36))
    parent_id: Mapped[int | None] = mapped_column(default=None)
    category_id: Mapped[int | None] = mapped_column(default=None)
    station_id: Mapped[int | None] = mapped_column(default=None)
    unit_id: Mapped[int | None] = mapped_column(default=None)
    type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    barcode: Mapped[str | None] = mapped_column(String(64), default=None)
    gov_code: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[int] = mapped_column(default=1)
    hidden: Mapped[int] = mapped_column(default=0)
    sold_by_weight: Mapped[bool] = mapped_column(default=False)
    sold_by_portion: Mapped[bool] = mapped_column(default=False)
    discountable: Mapped[bool] = mapped_column(default=True)
    giftable: Mapped[bool] = mapped_column(default=True)
    ignore_service_charge: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    price: Mapped[float] = mapped_column(default=0)
    cost_price: Mapped[float] = mapped_column(default=0)
    cooking_time: Mapped[int | None] = mapped_column(default=None)
    inventory_behavior: Mapped[int] = mapped_column(default=0)
    low_stock: Mapped[float | None] = mapped_column(default=None)
    unit_weight: Mapped[float | None] = mapped_column(default=None)
    net_output: Mapped[float | None] = mapped_column(default=None)
    max_age: Mapped[int | None] = mapped_column(default=None)
    markup_rate: Mapped[float | None] = mapped_column(default=None)
    color: Mapped[str | None] = mapped_column(String(16), default=None)
    image: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    media: Mapped[list[Any]] = mapped_column(default=list)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    setting: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    venues: Mapped[list[Any]] = mapped_column(default=list)
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ProductCode(_Tenant, Base):
    """A barcode of a product (`with[]=codes`); a product may have several."""

    __tablename__ = "product_codes"
    __table_args__ = (brand_fk("product_id", target="products"),)

    product_id: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(64))


class ProductTax(Base):
    __tablename__ = "product_taxes"
    __table_args__ = (
        brand_fk("product_id", target="products"),
        brand_fk("tax_id", target="taxes"),
    )

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)
    tax_id: Mapped[int] = mapped_column(primary_key=True)


class ProductTag(Base):
    __tablename__ = "product_tags"
    __table_args__ = (
        brand_fk("product_id", target="products"),
        brand_fk("tag_id", target="tags"),
    )

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(primary_key=True)


class ModifierGroup(_Tenant, _Timestamps, Base):
    """A modificator group: `type` 1 is single-choice, 0 multi-choice."""

    __tablename__ = "modifier_groups"

    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[int] = mapped_column(default=1)
    min_select: Mapped[int] = mapped_column(default=0)
    max_select: Mapped[int] = mapped_column(default=1)
    status: Mapped[int] = mapped_column(default=1)
    adjust_to_portion: Mapped[bool] = mapped_column(default=False)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Modifier(_Tenant, _Timestamps, Base):
    """A modificator: a choice inside a group, optionally consuming an ingredient."""

    __tablename__ = "modifiers"
    __table_args__ = (
        brand_fk("group_id", target="modifier_groups"),
        brand_fk("ingredient_id", target="products"),
    )

    group_id: Mapped[int] = mapped_column()
    ingredient_id: Mapped[int | None] = mapped_column(default=None)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[float] = mapped_column(default=0)
    cost_price: Mapped[float] = mapped_column(default=0)
    brutto: Mapped[float] = mapped_column(default=0)
    min_count: Mapped[int] = mapped_column(default=0)
    max_count: Mapped[int] = mapped_column(default=1)
    default_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    image: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    media: Mapped[list[Any]] = mapped_column(default=list)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ProductModifierGroup(Base):
    __tablename__ = "product_modifier_groups"
    __table_args__ = (
        brand_fk("product_id", target="products"),
        brand_fk("modifier_group_id", target="modifier_groups"),
    )

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)
    modifier_group_id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class RecipeItem(Base):
    """One ingredient of a dish or preparation, with its gross and net quantities."""

    __tablename__ = "recipe_items"
    __table_args__ = (
        brand_fk("dish_id", target="products"),
        brand_fk("ingredient_id", target="products"),
    )

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    dish_id: Mapped[int] = mapped_column(primary_key=True)
    ingredient_id: Mapped[int] = mapped_column(primary_key=True)
    gross: Mapped[float] = mapped_column(default=0)
    net: Mapped[float] = mapped_column(default=0)
    net_put: Mapped[float | None] = mapped_column(default=None)


class Package(_Tenant, Base):
    """A purchase package of an ingredient: `equal` base units per package."""

    __tablename__ = "packages"
    __table_args__ = (brand_fk("product_id", target="products"),)

    product_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    equal: Mapped[float] = mapped_column(default=1)


class StopListEntry(Base):
    """A product's stock limit (0 = out of stock); `updated_ms` is Unix milliseconds."""

    __tablename__ = "stop_list"
    __table_args__ = (brand_fk("product_id", target="products"),)

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)
    limit: Mapped[int] = mapped_column(default=0)
    updated_ms: Mapped[int] = mapped_column(BigInteger)


class PaymentMethod(_Tenant, _Timestamps, Base):
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


class SaleType(_Tenant, _Timestamps, Base):
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


class PriceList(_Tenant, _Timestamps, Base):
    __tablename__ = "price_lists"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[bool] = mapped_column(default=True)


class PriceListPrice(_Tenant, Base):
    __tablename__ = "price_list_prices"
    __table_args__ = (
        brand_fk("list_id", target="price_lists"),
        brand_fk("product_id", target="products"),
        UniqueConstraint("brand_id", "list_id", "product_id"),
    )

    list_id: Mapped[int] = mapped_column()
    product_id: Mapped[int] = mapped_column()
    price: Mapped[float] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
