"""What a product answer carries when asked (`with[]`): its category, station, unit, taxes,
tags, codes, packages, recipe, modifier groups and variants.

Each relation is one batched statement per page and nesting level, never one per product,
and each related object is rendered by its read model (the wire model's fields, derived).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.categories.table import Category
from clopos.core.products.table import (
    Modifier,
    ModifierGroup,
    Package,
    Product,
    ProductCode,
    ProductModifierGroup,
    ProductTag,
    ProductTax,
    RecipeItem,
    Tag,
    Tax,
    Unit,
)
from clopos.core.readmodel import ReadModel
from clopos.core.sales.table import SaleType
from clopos.core.stations.service import STATION
from clopos.core.tree import nested_set
from clopos.schemas import products as wire

CATEGORY = ReadModel(Category, wire.ProductCategory)
UNIT = ReadModel(Unit, wire.Unit, filled=("_lft", "_rgt"))
TAX = ReadModel(
    Tax,
    wire.Tax,
    computed={
        "type": lambda row: (
            {"id": row.type_id, "name": row.type_name} if row.type_id is not None else None
        ),
        "has_sale_types": lambda row: bool(row.sale_type_ids),
    },
    filled=("sale_types",),
    inputs=("type_name", "sale_type_ids"),
)
SALE_TYPE = ReadModel(SaleType, wire.TaxSaleType)
TAG = ReadModel(Tag, wire.Tag)
CODE = ReadModel(ProductCode, wire.Code)
PACKAGE = ReadModel(Package, wire.Package)
# The real modifier's `dish_id`: no value is documented and a modifier belongs to a group
# shared by dishes, so none (compatibility.md).
MODIFIER = ReadModel(
    Modifier, wire.Modifier, computed={"dish_id": lambda _row: None}, relations=("ingredient",)
)
MODIFIER_GROUP = ReadModel(ModifierGroup, wire.ModifierGroup, filled=("modificators", "pivot"))

Items = list[dict[str, Any]]
# Renders products by id with the relations given (the read module's loader).
RenderProducts = Callable[[list[int], Iterable[str]], Items]


def nested(relations: Iterable[str], prefix: str) -> set[str]:
    start = prefix + "."
    return {relation[len(start) :] for relation in relations if relation.startswith(start)}


def tops(relations: Iterable[str]) -> set[str]:
    return {relation.split(".", 1)[0] for relation in relations}


def _decimal(value: float | None) -> str | None:
    return None if value is None else f"{value:.3f}"


class Relations:
    """Adds the asked relations to a page of product answers (copies, changed in place)."""

    def __init__(self, session: Session, brand_id: int, products: RenderProducts) -> None:
        self.session = session
        self.brand_id = brand_id
        self.products = products  # for relations that are products themselves

    def _where(self, model: ReadModel, *conditions: Any) -> list[Any]:
        table = model.table
        statement = model.statement().where(table.c.brand_id == self.brand_id, *conditions)
        return list(self.session.execute(statement))

    def add(self, items: Items, relations: set[str]) -> None:
        asked = tops(relations)
        ids = [item["id"] for item in items]
        if "category" in asked:
            self._by_column(items, "category", "category_id", CATEGORY)
        if "station" in asked:
            self._by_column(items, "station", "station_id", STATION)
        if "unit" in asked:
            self._units(items)
        if "taxes" in asked:
            self._taxes(ids, items)
        if "tags" in asked:
            self._tags(ids, items)
        if "codes" in asked:
            self._owned(ids, items, "codes", CODE, ProductCode.product_id)
        if "packages" in asked:
            self._owned(ids, items, "packages", PACKAGE, Package.product_id)
        if "recipe" in asked:
            self._recipes(ids, items, nested(relations, "recipe"))
        if "modificator_groups" in asked:
            self._modifier_groups(ids, items, nested(relations, "modificator_groups"))
        if "modifications" in asked:
            self._modifications(ids, items, nested(relations, "modifications"))

    def _by_column(self, items: Items, name: str, column: str, model: ReadModel) -> None:
        wanted = sorted({item[column] for item in items if item[column] is not None})
        found = model.renders(self.session, self.brand_id, wanted) if wanted else {}
        for item in items:
            item[name] = found.get(item[column])

    def _owned(self, ids: list[int], items: Items, name: str, model: ReadModel, owner: Any) -> None:
        found: dict[int, Items] = defaultdict(list)
        for row in sorted(self._where(model, owner.in_(ids)), key=lambda row: row.id):
            found[row.product_id].append(model.render(row))
        for item in items:
            item[name] = found.get(item["id"], [])

    def _units(self, items: Items) -> None:
        if not any(item["unit_id"] is not None for item in items):
            for item in items:
                item["unit"] = None
            return
        rows = self._where(UNIT)  # the whole (small) unit tree: its numbering needs it
        positions = nested_set((row.id, row.parent_id, row.id) for row in rows)
        found = {
            row.id: {
                **UNIT.render(row),
                "_lft": positions[row.id].lft,
                "_rgt": positions[row.id].rgt,
            }
            for row in rows
        }
        for item in items:
            item["unit"] = found.get(item["unit_id"])

    def _taxes(self, ids: list[int], items: Items) -> None:
        links = self.session.execute(
            select(ProductTax.product_id, ProductTax.tax_id)
            .join(Tax, (Tax.brand_id == ProductTax.brand_id) & (Tax.id == ProductTax.tax_id))
            .where(ProductTax.brand_id == self.brand_id, ProductTax.product_id.in_(ids))
            .order_by(Tax.priority, Tax.id)
        ).all()
        rows = TAX.rows(self.session, self.brand_id, sorted({tax for _, tax in links}))
        wanted = sorted({i for row in rows for i in row.sale_type_ids})
        sale_types = SALE_TYPE.renders(self.session, self.brand_id, wanted) if wanted else {}
        taxes = {
            row.id: {
                **TAX.render(row),
                "sale_types": [sale_types[i] for i in row.sale_type_ids if i in sale_types],
            }
            for row in rows
        }
        found: dict[int, Items] = defaultdict(list)
        for product_id, tax_id in links:
            found[product_id].append(taxes[tax_id])
        for item in items:
            item["taxes"] = found.get(item["id"], [])

    def _tags(self, ids: list[int], items: Items) -> None:
        links = self.session.execute(
            select(ProductTag.product_id, ProductTag.tag_id)
            .where(ProductTag.brand_id == self.brand_id, ProductTag.product_id.in_(ids))
            .order_by(ProductTag.tag_id)
        ).all()
        tags = TAG.renders(self.session, self.brand_id, sorted({tag for _, tag in links}))
        found: dict[int, Items] = defaultdict(list)
        for product_id, tag_id in links:
            found[product_id].append(tags[tag_id])
        for item in items:
            item["tags"] = found.get(item["id"], [])

    def _recipes(self, ids: list[int], items: Items, asked: set[str]) -> None:
        rows = self.session.execute(
            select(RecipeItem)
            .join(
                Product,
                (Product.brand_id == RecipeItem.brand_id)
                & (Product.id == RecipeItem.ingredient_id),
            )
            .where(RecipeItem.brand_id == self.brand_id, RecipeItem.dish_id.in_(ids))
            .order_by(Product.name, Product.id)
        ).scalars()
        lines = list(rows)
        ingredient_ids = list(dict.fromkeys(line.ingredient_id for line in lines))
        # Each ingredient's own product object, as any product (with its unit if asked).
        ingredients = {
            item["id"]: item
            for item in self.products(ingredient_ids, ["unit"] if "unit" in asked else [])
        }
        found: dict[int, Items] = defaultdict(list)
        for line in lines:
            entry: dict[str, Any] = {
                **ingredients[line.ingredient_id],
                "ingredient_id": line.ingredient_id,
                "gross": line.gross,
                "net": line.net,
                "pivot": {
                    "dish_id": line.dish_id,
                    "ingredient_id": line.ingredient_id,
                    "gross": _decimal(line.gross),
                    "net": _decimal(line.net),
                    "net_put": _decimal(line.net_put),
                },
            }
            if "unit" in asked:  # after the pivot, where the answer has always had it
                entry["unit"] = entry.pop("unit", None)
            found[line.dish_id].append(entry)
        for item in items:
            item["recipe"] = found.get(item["id"], [])

    def _modifier_groups(self, ids: list[int], items: Items, asked: set[str]) -> None:
        links = self.session.execute(
            select(ProductModifierGroup.product_id, ProductModifierGroup.modifier_group_id)
            .join(
                ModifierGroup,
                (ModifierGroup.brand_id == ProductModifierGroup.brand_id)
                & (ModifierGroup.id == ProductModifierGroup.modifier_group_id),
            )
            .where(
                ProductModifierGroup.brand_id == self.brand_id,
                ProductModifierGroup.product_id.in_(ids),
                ModifierGroup.deleted_at.is_(None),
            )
            .order_by(ProductModifierGroup.position, ModifierGroup.id)
        ).all()
        group_ids = sorted({group for _, group in links})
        groups = MODIFIER_GROUP.renders(self.session, self.brand_id, group_ids)
        modifiers = (
            self._where(MODIFIER, Modifier.group_id.in_(group_ids), Modifier.deleted_at.is_(None))
            if group_ids
            else []
        )
        with_ingredient = "ingredient" in tops(nested(asked, "modificators"))
        ingredients: dict[int, dict[str, Any]] = {}
        if with_ingredient:
            deeper = nested(nested(asked, "modificators"), "ingredient")
            wanted = sorted({m.ingredient_id for m in modifiers if m.ingredient_id is not None})
            ingredients = {item["id"]: item for item in self.products(wanted, deeper)}
        by_group: dict[int, Items] = defaultdict(list)
        for modifier in sorted(modifiers, key=lambda m: (m.position, m.id)):
            entry: dict[str, Any] = MODIFIER.render(modifier)
            if with_ingredient:
                entry = {**entry, "ingredient": ingredients.get(modifier.ingredient_id or 0)}
            by_group[modifier.group_id].append(entry)
        found: dict[int, Items] = defaultdict(list)
        for product_id, group_id in links:
            found[product_id].append(
                {
                    **groups[group_id],
                    "modificators": by_group.get(group_id, []),
                    "pivot": {"product_id": product_id, "modificator_group_id": group_id},
                }
            )
        for item in items:
            item["modificator_groups"] = found.get(item["id"], [])

    def _modifications(self, ids: list[int], items: Items, asked: set[str]) -> None:
        rows = self.session.execute(
            select(Product.id, Product.parent_id)
            .where(
                Product.brand_id == self.brand_id,
                Product.parent_id.in_(ids),
                Product.deleted_at.is_(None),
            )
            .order_by(Product.position, Product.id)
        ).all()
        variants = {item["id"]: item for item in self.products([row[0] for row in rows], asked)}
        by_parent: dict[int, Items] = defaultdict(list)
        for variant_id, parent_id in rows:
            if parent_id is not None and variant_id in variants:
                by_parent[parent_id].append(variants[variant_id])
        for item in items:
            item["modifications"] = by_parent.get(item["id"], [])
