"""Tables: products and their parts: units, taxes, tags, codes, modifier groups, recipes,
packages."""

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
    Branded,
    Tenant,
    TimestampedDeletable,
    brand_fk,
)


class Unit(Tenant, Base):
    __tablename__ = "units"
    __table_args__ = (brand_fk("parent_id", target="units"),)

    parent_id: Mapped[int | None] = mapped_column(default=None)
    name: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(32), default="PIECE")
    symbol: Mapped[str] = mapped_column(String(16), default="")
    equal: Mapped[float] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


class Tax(Tenant, TimestampedDeletable, Base):
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
    # The real tax's `type {id, name}` (with `type_id`) and the sale types it is limited to.
    type_name: Mapped[str | None] = mapped_column(String(64), default=None)
    sale_type_ids: Mapped[list[Any]] = mapped_column(default=list)


class Tag(Tenant, Base):
    __tablename__ = "tags"

    name: Mapped[str] = mapped_column(String(100))


class Product(Tenant, TimestampedDeletable, Base):
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
    # Fields of the reference's full product example (issue 8).
    emenu_category_id: Mapped[int | None] = mapped_column(default=None)
    emenu_position: Mapped[int | None] = mapped_column(default=None)
    emenu_hidden: Mapped[int] = mapped_column(default=0)
    accounting_category_id: Mapped[int | None] = mapped_column(default=None)
    is_inventory_behavior_changeable: Mapped[bool] = mapped_column(default=True)


class ProductCode(Tenant, Base):
    """A barcode of a product (`with[]=codes`); a product may have several."""

    __tablename__ = "product_codes"
    __table_args__ = (brand_fk("product_id", target="products", holds_brand=True),)

    product_id: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(64))


class ProductTax(Branded, Base):
    __tablename__ = "product_taxes"
    __table_args__ = (
        brand_fk("product_id", target="products", holds_brand=True),
        brand_fk("tax_id", target="taxes"),
    )

    product_id: Mapped[int] = mapped_column(primary_key=True)
    tax_id: Mapped[int] = mapped_column(primary_key=True)


class ProductTag(Branded, Base):
    __tablename__ = "product_tags"
    __table_args__ = (
        brand_fk("product_id", target="products"),
        brand_fk("tag_id", target="tags", holds_brand=True),
    )

    product_id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(primary_key=True)


class ModifierGroup(Tenant, TimestampedDeletable, Base):
    """A modificator group: `type` 1 is single-choice, 0 multi-choice."""

    __tablename__ = "modifier_groups"

    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[int] = mapped_column(default=1)
    min_select: Mapped[int] = mapped_column(default=0)
    max_select: Mapped[int] = mapped_column(default=1)
    status: Mapped[int] = mapped_column(default=1)
    adjust_to_portion: Mapped[bool] = mapped_column(default=False)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Modifier(Tenant, TimestampedDeletable, Base):
    """A modificator: a choice inside a group, optionally consuming an ingredient."""

    __tablename__ = "modifiers"
    __table_args__ = (
        brand_fk("group_id", target="modifier_groups", holds_brand=True),
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


class ProductModifierGroup(Branded, Base):
    __tablename__ = "product_modifier_groups"
    __table_args__ = (
        brand_fk("product_id", target="products"),
        brand_fk("modifier_group_id", target="modifier_groups", holds_brand=True),
    )

    product_id: Mapped[int] = mapped_column(primary_key=True)
    modifier_group_id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class RecipeItem(Branded, Base):
    """One ingredient of a dish or preparation, with its gross and net quantities."""

    __tablename__ = "recipe_items"
    __table_args__ = (
        brand_fk("dish_id", target="products", holds_brand=True),
        brand_fk("ingredient_id", target="products"),
    )

    dish_id: Mapped[int] = mapped_column(primary_key=True)
    ingredient_id: Mapped[int] = mapped_column(primary_key=True)
    gross: Mapped[float] = mapped_column(default=0)
    net: Mapped[float] = mapped_column(default=0)
    net_put: Mapped[float | None] = mapped_column(default=None)


class Package(Tenant, Base):
    """A purchase package of an ingredient: `equal` base units per package."""

    __tablename__ = "packages"
    __table_args__ = (brand_fk("product_id", target="products", holds_brand=True),)

    product_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    equal: Mapped[float] = mapped_column(default=1)
