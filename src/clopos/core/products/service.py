"""Products: listing with the documented filters, lookup by id or cid, and relations.

Relations are loaded per page in batches (one query per relation and nesting level), never
per product, so a page costs the same number of queries whether it holds 1 or 100 rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.orm import Session, aliased

from clopos.core.categories.table import Category
from clopos.core.errors import Invalid, bad_request, not_found
from clopos.core.formats import is_uuid, parse_id, plain
from clopos.core.listing import (
    FilterField,
    ListSpec,
    Page,
    check_relations,
    contains,
    fetch_page,
    flag,
    int_choice,
    integers,
    one_of,
    select_fields,
)
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
from clopos.core.products.venues import at_venue
from clopos.core.query import ListQuery, Paging
from clopos.core.rendered import rendered
from clopos.core.sales.table import SaleType
from clopos.core.stations import service as stations
from clopos.core.stations.table import Station
from clopos.core.tree import nested_set
from clopos.core.venues.service import VENUES, list_venues

TYPES = ("GOODS", "DISH", "TIMER", "PREPARATION", "INGREDIENT")
RESOURCE = Product.__tablename__
ALWAYS_SELECTED = ("id", "name", "type")

_Variant = aliased(Product)


def _has_variants() -> Any:
    return exists().where(
        _Variant.brand_id == Product.brand_id,
        _Variant.parent_id == Product.id,
        _Variant.deleted_at.is_(None),
    )


def _related(table: Any, column: Any) -> Any:
    return exists().where(table.brand_id == Product.brand_id, column == Product.id)


def _tags() -> FilterField:
    def build(name: str, value: Any) -> Any:
        ids = integers(ProductTag.tag_id).build(name, value)
        return exists().where(
            ProductTag.brand_id == Product.brand_id, ProductTag.product_id == Product.id, ids
        )

    return FilterField(build)


_HAVE_INGREDIENTS = flag(_related(RecipeItem, RecipeItem.dish_id))

SPEC = ListSpec(
    paging=Paging(maximum=100),
    id_column=Product.id,
    sorts={
        "id": Product.id,
        "name": Product.name,
        "position": Product.position,
        "price": Product.price,
        "created_at": Product.created_at,
        "updated_at": Product.updated_at,
    },
    filters={
        "id": integers(Product.id),
        "type": one_of(Product.type, TYPES),
        "category_id": integers(Product.category_id),
        "station_id": integers(Product.station_id),
        "tags": _tags(),
        "name": contains(Product.name),
        "status": int_choice(Product.status, (1, 0)),
        "giftable": flag(Product.giftable.is_(True)),
        "discountable": flag(Product.discountable.is_(True)),
        "inventory_behavior": int_choice(Product.inventory_behavior, (0, 1, 3)),
        "haveIngredients": _HAVE_INGREDIENTS,
        "have_ingredients": _HAVE_INGREDIENTS,
        "sold_by_portion": flag(Product.sold_by_portion.is_(True)),
        "sold_by_weight": flag(Product.sold_by_weight.is_(True)),
        "has_variants": flag(_has_variants()),
        "has_modifiers": flag(_related(ProductModifierGroup, ProductModifierGroup.product_id)),
        "has_barcode": flag(
            or_(Product.barcode.is_not(None), _related(ProductCode, ProductCode.product_id))
        ),
        "has_service_charge": flag(Product.ignore_service_charge.is_(False)),
    },
    named=frozenset(),
    relations=frozenset(
        {
            "category",
            "station",
            "unit",
            "taxes",
            "tags",
            "codes",
            "media",
            "setting",
            "recipe",
            "recipe.unit",
            "packages",
            "modifications",
            "modifications.codes",
            "modifications.taxes",
            "modifications.unit",
            "modificator_groups",
            "modificator_groups.modificators",
            "modificator_groups.modificators.ingredient",
            "modificator_groups.modificators.ingredient.unit",
        }
    ),
    selects=frozenset(
        {
            "cid",
            "parent_id",
            "station_id",
            "category_id",
            "unit_id",
            "parent_name",
            "full_name",
            "position",
            "barcode",
            "gov_code",
            "status",
            "hidden",
            "sold_by_weight",
            "sold_by_portion",
            "discountable",
            "giftable",
            "has_modifications",
            "description",
            "price",
            "cost_price",
            "cooking_time",
            "inventory_behavior",
            "low_stock",
            "unit_weight",
            "net_output",
            "max_age",
            "markup_rate",
            "gross_margin",
            "ignore_service_charge",
            "color",
            "slug",
            "name_slug",
            "image",
            "media",
            "meta",
            "setting",
            "venues",
            "properties",
            "emenu_category_id",
            "emenu_position",
            "emenu_hidden",
            "accounting_category_id",
            "is_inventory_behavior_changeable",
            "created_at",
            "updated_at",
            "deleted_at",
            *ALWAYS_SELECTED,
        }
    ),
    date_column=Product.created_at,
    default_sort=((Product.position, False),),
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _decimal(value: float | None) -> str | None:
    return None if value is None else f"{value:.3f}"


def serialise(product: Product, parent_name: str, has_variants: bool) -> dict[str, Any]:
    full_name = f"{parent_name} {product.name}".strip() if parent_name else product.name
    margin = (product.price - product.cost_price) / product.price * 100 if product.price else 0.0
    return {
        "id": product.id,
        "cid": product.cid,
        "parent_id": product.parent_id,
        "station_id": product.station_id,
        "category_id": product.category_id,
        "unit_id": product.unit_id,
        "type": product.type,
        "name": product.name,
        "parent_name": parent_name,
        "full_name": full_name,
        "position": product.position,
        "barcode": product.barcode,
        "gov_code": product.gov_code,
        "status": product.status,
        "hidden": product.hidden,
        "sold_by_weight": product.sold_by_weight,
        "sold_by_portion": product.sold_by_portion,
        "discountable": product.discountable,
        "giftable": product.giftable,
        "has_modifications": has_variants,
        "description": product.description,
        "price": product.price,
        "cost_price": product.cost_price,
        "cooking_time": product.cooking_time,
        "inventory_behavior": product.inventory_behavior,
        "low_stock": product.low_stock,
        "unit_weight": product.unit_weight,
        "net_output": product.net_output,
        "max_age": product.max_age,
        "markup_rate": product.markup_rate,
        "gross_margin": round(margin, 2),
        "ignore_service_charge": product.ignore_service_charge,
        "color": product.color,
        "slug": _slug(full_name),
        "name_slug": _slug(product.name),
        "image": product.image,
        "media": product.media,
        # `langs` and `availability` always there, as in the reference's real example.
        "meta": {"langs": {}, "availability": None, **product.meta},
        "setting": product.setting,
        # Per-venue overrides of price and status: [{venue_id, price, status}].
        "venues": product.venues,
        "properties": product.properties,
        "emenu_category_id": product.emenu_category_id,
        "emenu_position": product.emenu_position,
        "emenu_hidden": product.emenu_hidden,
        "accounting_category_id": product.accounting_category_id,
        "is_inventory_behavior_changeable": product.is_inventory_behavior_changeable,
        "created_at": plain(product.created_at),
        "updated_at": plain(product.updated_at),
        "deleted_at": plain(product.deleted_at),
    }


def _nested(relations: Iterable[str], prefix: str) -> set[str]:
    start = prefix + "."
    return {relation[len(start) :] for relation in relations if relation.startswith(start)}


def _tops(relations: Iterable[str]) -> set[str]:
    return {relation.split(".", 1)[0] for relation in relations}


class _Loader:
    """Renders products with their relations, one batched query per relation.

    A product's own fields, and the names of the venues it overrides, are rendered once per
    change to the brand's products (venues) and reused (core/rendered.py); relations are
    loaded per page.
    """

    def __init__(self, session: Session, brand_id: int) -> None:
        self.session = session
        self.brand_id = brand_id

    def _rows(self, model: Any, *conditions: Any) -> list[Any]:
        result = self.session.scalars(
            select(model).where(model.brand_id == self.brand_id, *conditions)
        )
        return list(result)

    def render(self, ids: list[int], relations: Iterable[str]) -> list[dict[str, Any]]:
        """The products `ids`, in that order, with `relations`."""
        items = self._own_fields(ids)
        if items:
            self._venues(items)
            self._relate(items, {relation.split(":", 1)[0] for relation in relations})
        return items

    def _venues(self, items: list[dict[str, Any]]) -> None:
        """`venues[]`: each override as the venue it is for (`id`, `name`, which clients
        parse) with `venue_id`, `price` and `status` there. The names come from the
        venues' renders, kept until the brand's venues change, so a renamed venue shows at
        once."""
        wanted = {o["venue_id"] for item in items for o in item.get("venues") or ()}
        if not wanted:
            return
        names = self._venue_names(wanted)
        for item in items:
            if item.get("venues"):
                item["venues"] = [
                    {
                        "id": override["venue_id"],
                        "name": names.get(override["venue_id"], ""),
                        "venue_id": override["venue_id"],
                        "price": override.get("price"),  # null: the product's own
                        # As an order there reads it (products/venues.py).
                        "status": at_venue(
                            item["price"], item["status"], [override], override["venue_id"]
                        )[1],
                    }
                    for override in item["venues"]
                ]

    def _venue_names(self, wanted: set[int]) -> dict[int, str]:
        venues = rendered(
            self.session,
            VENUES,
            self.brand_id,
            sorted(wanted),
            # The brand's venues all at once (a handful): the next page finds them all.
            lambda _missing: {
                venue["id"]: venue for venue in list_venues(self.session, self.brand_id)
            },
        )
        return {venue["id"]: venue["name"] for venue in venues}

    def _own_fields(self, ids: list[int]) -> list[dict[str, Any]]:
        # Copies: relations and `selects` change an item, never the shared render.
        return rendered(self.session, RESOURCE, self.brand_id, ids, self._serialise)

    def _serialise(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        products = self._rows(Product, Product.id.in_(ids))
        parent_ids = {product.parent_id for product in products if product.parent_id is not None}
        names: dict[int, str] = {}
        if parent_ids:
            rows = self.session.execute(
                select(Product.id, Product.name).where(
                    Product.brand_id == self.brand_id, Product.id.in_(parent_ids)
                )
            )
            names = {product_id: name for product_id, name in rows}
        with_variants = set(
            self.session.scalars(
                select(Product.parent_id)
                .where(
                    Product.brand_id == self.brand_id,
                    Product.parent_id.in_(ids),
                    Product.deleted_at.is_(None),
                )
                .distinct()
            )
        )
        return {
            product.id: serialise(
                product, names.get(product.parent_id or 0, ""), product.id in with_variants
            )
            for product in products
        }

    def _relate(self, items: list[dict[str, Any]], relations: set[str]) -> None:
        tops = _tops(relations)
        ids = [item["id"] for item in items]
        if "category" in tops:
            self._categories(items)
        if "station" in tops:
            self._stations(items)
        if "unit" in tops:
            self._units(items)
        if "taxes" in tops:
            self._taxes(ids, items)
        if "tags" in tops:
            self._tags(ids, items)
        if "codes" in tops:
            self._codes(ids, items)
        if "packages" in tops:
            self._packages(ids, items)
        if "recipe" in tops:
            self._recipes(ids, items, _nested(relations, "recipe"))
        if "modificator_groups" in tops:
            self._modifier_groups(ids, items, _nested(relations, "modificator_groups"))
        if "modifications" in tops:
            self._modifications(ids, items, _nested(relations, "modifications"))

    def _modifications(self, ids: list[int], items: list[dict[str, Any]], nested: set[str]) -> None:
        rows = self.session.execute(
            select(Product.id, Product.parent_id)
            .where(
                Product.brand_id == self.brand_id,
                Product.parent_id.in_(ids),
                Product.deleted_at.is_(None),
            )
            .order_by(Product.position, Product.id)
        ).all()
        variants = {item["id"]: item for item in self.render([row[0] for row in rows], nested)}
        by_parent: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for variant_id, parent_id in rows:
            if parent_id is not None and variant_id in variants:
                by_parent[parent_id].append(variants[variant_id])
        for item in items:
            item["modifications"] = by_parent.get(item["id"], [])

    def _categories(self, items: list[dict[str, Any]]) -> None:
        wanted = {item["category_id"] for item in items if item["category_id"] is not None}
        rows = self._rows(Category, Category.id.in_(wanted)) if wanted else []
        found = {
            c.id: {
                "id": c.id,
                "name": c.name,
                "parent_id": c.parent_id,
                "type": c.type,
                "color": c.color,
                "status": c.status,
            }
            for c in rows
        }
        for item in items:
            item["category"] = found.get(item["category_id"])

    def _stations(self, items: list[dict[str, Any]]) -> None:
        wanted = {item["station_id"] for item in items if item["station_id"] is not None}
        rows = self._rows(Station, Station.id.in_(wanted)) if wanted else []
        found = {station.id: stations.serialise(station) for station in rows}
        for item in items:
            item["station"] = found.get(item["station_id"])

    def _units(self, items: list[dict[str, Any]]) -> None:
        if not any(item["unit_id"] is not None for item in items):
            for item in items:
                item["unit"] = None
            return
        units = self._rows(Unit)  # the whole (small) unit tree: its numbering needs it
        positions = nested_set((u.id, u.parent_id, u.id) for u in units)
        found = {
            u.id: {
                "id": u.id,
                "_lft": positions[u.id].lft,
                "_rgt": positions[u.id].rgt,
                "parent_id": u.parent_id,
                "name": u.name,
                "type": u.type,
                "symbol": u.symbol,
                "equal": u.equal,
                "deleted_at": plain(u.deleted_at),
            }
            for u in units
        }
        for item in items:
            item["unit"] = found.get(item["unit_id"])

    def _taxes(self, ids: list[int], items: list[dict[str, Any]]) -> None:
        rows = self.session.execute(
            select(ProductTax.product_id, Tax)
            .join(Tax, (Tax.brand_id == ProductTax.brand_id) & (Tax.id == ProductTax.tax_id))
            .where(ProductTax.brand_id == self.brand_id, ProductTax.product_id.in_(ids))
            .order_by(Tax.priority, Tax.id)
        )
        pairs = list(rows)
        wanted = {i for _, tax in pairs for i in tax.sale_type_ids}
        sale_types = {
            sale_type.id: {
                "id": sale_type.id,
                "name": sale_type.name,
                "system_type": sale_type.system_type,
            }
            for sale_type in (self._rows(SaleType, SaleType.id.in_(wanted)) if wanted else [])
        }
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for product_id, tax in pairs:
            found[product_id].append(
                {
                    "id": tax.id,
                    "name": tax.name,
                    "rate": tax.rate,
                    "type_id": tax.type_id,
                    "rounding_option": tax.rounding_option,
                    "priority": tax.priority,
                    "calculation_type": tax.calculation_type,
                    "meta": tax.meta,
                    "is_default": tax.is_default,
                    "status": tax.status,
                    "created_at": plain(tax.created_at),
                    "deleted_at": plain(tax.deleted_at),
                    "type": (
                        {"id": tax.type_id, "name": tax.type_name}
                        if tax.type_id is not None
                        else None
                    ),
                    "has_sale_types": bool(tax.sale_type_ids),
                    "sale_types": [sale_types[i] for i in tax.sale_type_ids if i in sale_types],
                }
            )
        for item in items:
            item["taxes"] = found.get(item["id"], [])

    def _tags(self, ids: list[int], items: list[dict[str, Any]]) -> None:
        rows = self.session.execute(
            select(ProductTag.product_id, Tag)
            .join(Tag, (Tag.brand_id == ProductTag.brand_id) & (Tag.id == ProductTag.tag_id))
            .where(ProductTag.brand_id == self.brand_id, ProductTag.product_id.in_(ids))
            .order_by(Tag.id)
        )
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for product_id, tag in rows:
            found[product_id].append({"id": tag.id, "name": tag.name})
        for item in items:
            item["tags"] = found.get(item["id"], [])

    def _codes(self, ids: list[int], items: list[dict[str, Any]]) -> None:
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for code in self._rows(ProductCode, ProductCode.product_id.in_(ids)):
            found[code.product_id].append(
                {"id": code.id, "product_id": code.product_id, "code": code.code}
            )
        for item in items:
            item["codes"] = sorted(found.get(item["id"], []), key=lambda c: c["id"])

    def _packages(self, ids: list[int], items: list[dict[str, Any]]) -> None:
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for package in self._rows(Package, Package.product_id.in_(ids)):
            found[package.product_id].append(
                {
                    "id": package.id,
                    "product_id": package.product_id,
                    "name": package.name,
                    "equal": package.equal,
                }
            )
        for item in items:
            item["packages"] = sorted(found.get(item["id"], []), key=lambda p: p["id"])

    def _recipes(self, ids: list[int], items: list[dict[str, Any]], nested: set[str]) -> None:
        rows = self.session.execute(
            select(RecipeItem, Product)
            .join(
                Product,
                (Product.brand_id == RecipeItem.brand_id)
                & (Product.id == RecipeItem.ingredient_id),
            )
            .where(RecipeItem.brand_id == self.brand_id, RecipeItem.dish_id.in_(ids))
            .order_by(Product.name, Product.id)
        )
        pairs = [(recipe, product) for recipe, product in rows]
        units: dict[int, dict[str, Any]] = {}
        if "unit" in nested and pairs:
            with_units = self.render([p.id for _, p in pairs], ["unit"])
            units = {item["id"]: item["unit"] for item in with_units}
        # Each ingredient's own product object, from the render cache like any product.
        own = {item["id"]: item for item in self._own_fields(list({p.id for _, p in pairs}))}
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for recipe, ingredient in pairs:
            entry: dict[str, Any] = {
                **own[ingredient.id],
                "ingredient_id": ingredient.id,
                "gross": recipe.gross,
                "net": recipe.net,
                "pivot": {
                    "dish_id": recipe.dish_id,
                    "ingredient_id": recipe.ingredient_id,
                    "gross": _decimal(recipe.gross),
                    "net": _decimal(recipe.net),
                    "net_put": _decimal(recipe.net_put),
                },
            }
            if "unit" in nested:
                entry["unit"] = units.get(ingredient.id)
            found[recipe.dish_id].append(entry)
        for item in items:
            item["recipe"] = found.get(item["id"], [])

    def _modifier_groups(
        self, ids: list[int], items: list[dict[str, Any]], nested: set[str]
    ) -> None:
        rows = self.session.execute(
            select(ProductModifierGroup, ModifierGroup)
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
        )
        links = [(link, group) for link, group in rows]
        group_ids = {group.id for _, group in links}
        modifiers = (
            self._rows(Modifier, Modifier.group_id.in_(group_ids), Modifier.deleted_at.is_(None))
            if group_ids
            else []
        )
        ingredients: dict[int, dict[str, Any]] = {}
        deeper = _nested(_nested(nested, "modificators"), "ingredient")
        if "ingredient" in _tops(_nested(nested, "modificators")):
            wanted = {m.ingredient_id for m in modifiers if m.ingredient_id is not None}
            ingredients = {i["id"]: i for i in self.render(sorted(wanted), deeper)}
        by_group: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for modifier in sorted(modifiers, key=lambda m: (m.position, m.id)):
            entry = _modifier(modifier)
            if ingredients or "ingredient" in _tops(_nested(nested, "modificators")):
                entry["ingredient"] = ingredients.get(modifier.ingredient_id or 0)
            by_group[modifier.group_id].append(entry)
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for link, group in links:
            found[link.product_id].append(
                {
                    "id": group.id,
                    "name": group.name,
                    "type": group.type,
                    "min_select": group.min_select,
                    "max_select": group.max_select,
                    "status": group.status,
                    "adjust_to_portion": group.adjust_to_portion,
                    "meta": group.meta,
                    "modificators": by_group.get(group.id, []),
                    "pivot": {"product_id": link.product_id, "modificator_group_id": group.id},
                    "created_at": plain(group.created_at),
                    "updated_at": plain(group.updated_at),
                    "deleted_at": plain(group.deleted_at),
                }
            )
        for item in items:
            item["modificator_groups"] = found.get(item["id"], [])


def _modifier(modifier: Modifier) -> dict[str, Any]:
    return {
        "id": modifier.id,
        "group_id": modifier.group_id,
        # The real modifier's `dish_id`: no value is documented and a modifier belongs to a
        # group shared by dishes, so none (compatibility.md).
        "dish_id": None,
        "name": modifier.name,
        "price": modifier.price,
        "cost_price": modifier.cost_price,
        "brutto": modifier.brutto,
        "min_count": modifier.min_count,
        "max_count": modifier.max_count,
        "default_count": modifier.default_count,
        "status": modifier.status,
        "position": modifier.position,
        "ingredient_id": modifier.ingredient_id,
        "image": modifier.image,
        "media": modifier.media,
        "meta": modifier.meta,
        "created_at": plain(modifier.created_at),
        "updated_at": plain(modifier.updated_at),
        "deleted_at": plain(modifier.deleted_at),
    }


# The ids a page of products is chosen from: top-level products (variants appear under their
# parent's `modifications`); a template for `fetch_page`, built once.
_BRAND_PRODUCTS = select(Product.id).where(
    Product.brand_id == bindparam("brand_id"),
    Product.parent_id.is_(None),
    Product.deleted_at.is_(None),
)


def list_products(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """Top-level products (variants appear under their parent's `modifications`)."""
    page = fetch_page(session, SPEC, query, _BRAND_PRODUCTS, {"brand_id": brand_id})
    items = _Loader(session, brand_id).render(page.rows, query.relations)
    keep = (*ALWAYS_SELECTED, *_tops(query.relations))
    for item in items:
        select_fields(item, query.selects, keep)
    return Page(items, page.total)


def get_product(
    session: Session, brand_id: int, raw_id: str, relations: tuple[str, ...]
) -> dict[str, Any]:
    """By integer id or by `cid` (UUID); a variant answers with its parent's name."""
    check_relations(relations, SPEC.relations)
    condition = Product.cid == raw_id.lower() if is_uuid(raw_id) else None
    if condition is None:
        try:
            condition = Product.id == parse_id(raw_id)
        except Invalid:
            raise bad_request("The 'id' parameter must be an integer or a UUID") from None
    product_id = session.scalar(
        select(Product.id).where(
            Product.brand_id == brand_id, condition, Product.deleted_at.is_(None)
        )
    )
    if product_id is None:
        raise not_found("Product not found")
    return _Loader(session, brand_id).render([product_id], relations)[0]


def render_products(
    session: Session, brand_id: int, ids: list[int], relations: Iterable[str]
) -> list[dict[str, Any]]:
    """Products by id (deleted ones too) with `relations`: what receipts show they sold."""
    return _Loader(session, brand_id).render(ids, relations)
