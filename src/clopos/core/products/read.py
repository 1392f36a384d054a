"""Products as the API answers them: the list with the documented filters, lookup by id or
`cid`, and the relations asked for (products/relations.py).

A product's own fields come from its read model (`PRODUCT`): the wire model's fields, each a
column, an SQL source or a computation declared once below. Rendered once per change of
the brand's products and shared; a page copies them only to add to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from clopos.core.errors import Invalid, bad_request, not_found
from clopos.core.formats import is_uuid, parse_id
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
from clopos.core.products.relations import Relations, tops
from clopos.core.products.table import (
    Product,
    ProductCode,
    ProductModifierGroup,
    ProductTag,
    RecipeItem,
)
from clopos.core.products.types import PRODUCT_TYPES, VARIANT
from clopos.core.products.venues import at_venue
from clopos.core.query import ListQuery, Paging
from clopos.core.readmodel import ReadModel, kept
from clopos.core.venues.service import VENUE, VENUES
from clopos.schemas.products import ProductFields

RESOURCE = Product.__tablename__
ALWAYS_SELECTED = ("id", "name", "type")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _full_name(row: Any) -> str:
    return f"{row.parent_name} {row.name}".strip() if row.parent_name else str(row.name)


def _margin(row: Any) -> float:
    return round((row.price - row.cost_price) / row.price * 100 if row.price else 0.0, 2)


_Parent = aliased(Product)
_Variant = aliased(Product)

PRODUCT = ReadModel(
    Product,
    ProductFields,
    sources={
        # "" without a parent, as the reference's field table says.
        "parent_name": func.coalesce(
            select(_Parent.name)
            .where(_Parent.brand_id == Product.brand_id, _Parent.id == Product.parent_id)
            .scalar_subquery(),
            "",
        ),
        "has_modifications": exists().where(
            _Variant.brand_id == Product.brand_id,
            _Variant.parent_id == Product.id,
            _Variant.deleted_at.is_(None),
        ),
    },
    computed={
        "full_name": _full_name,
        "gross_margin": _margin,
        "slug": lambda row: _slug(_full_name(row)),
        "name_slug": lambda row: _slug(row.name),
        # `langs` and `availability` always there, as in the reference's real example.
        "meta": lambda row: {"langs": {}, "availability": None, **row.meta},
    },
    inputs=("meta",),
)


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
        "type": one_of(Product.type, PRODUCT_TYPES),
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
    selects=frozenset(PRODUCT.fields),
    date_column=Product.created_at,
    default_sort=((Product.position, False),),
)


# The products' answers without relations: their own fields with `venues[]` named. Kept
# once per change of the brand's products or venues (a renamed venue shows at once) and
# shared, so a page of them is the bytes made once per render (server/responses.py).
_ANSWERED = "products with their venues named"


class _Products:
    """Renders products with their relations: the shared answers, and the relations per
    page."""

    def __init__(self, session: Session, brand_id: int) -> None:
        self.session = session
        self.brand_id = brand_id

    def answers(self, ids: list[int]) -> list[dict[str, Any]]:
        """The products `ids`, in that order, without relations (shared: copy to change)."""
        known = kept(self.session, RESOURCE, self.brand_id, ids, self._named, _ANSWERED, (VENUES,))
        return [known[record_id] for record_id in ids if record_id in known]

    def render(self, ids: list[int], relations: Iterable[str]) -> list[dict[str, Any]]:
        """The products `ids`, in that order, with `relations` (copies)."""
        items = [dict(row) for row in self.answers(ids)]
        if items:
            names = {relation.split(":", 1)[0] for relation in relations}
            Relations(self.session, self.brand_id, self.render).add(items, names)
        return items

    def _named(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        items = {
            record_id: dict(row)
            for record_id, row in PRODUCT.renders(self.session, self.brand_id, ids).items()
        }
        self._venues(list(items.values()))
        return items

    def _venues(self, items: list[dict[str, Any]]) -> None:
        """`venues[]`: each override as the venue it is for (`id`, `name`, which clients
        parse) with `venue_id`, `price` and `status` there. The names come from the
        venues' renders, kept until the brand's venues change, so a renamed venue shows at
        once."""
        wanted = {o["venue_id"] for item in items for o in item.get("venues") or ()}
        if not wanted:
            return
        names = {
            venue["id"]: venue["name"]
            for venue in VENUE.rendered(self.session, self.brand_id, sorted(wanted))
        }
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


# The ids a page of products is chosen from: top-level products (variants appear under their
# parent's `modifications`); templates for `fetch_page`, built once. A `type` filter that
# asks for variants chooses among all products.
_BRAND_PRODUCTS = select(Product.id).where(
    Product.brand_id == bindparam("brand_id"),
    Product.parent_id.is_(None),
    Product.deleted_at.is_(None),
)
_BRAND_PRODUCTS_AND_VARIANTS = select(Product.id).where(
    Product.brand_id == bindparam("brand_id"), Product.deleted_at.is_(None)
)


def _asks_for_variants(query: ListQuery) -> bool:
    for item in query.filters:
        if item.field == "type":
            values = (item.value,) if isinstance(item.value, str) else item.value
            if any(value.strip().upper() == VARIANT for value in values):
                return True
    return False


def list_products(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """Top-level products (variants appear under their parent's `modifications`)."""
    template = _BRAND_PRODUCTS_AND_VARIANTS if _asks_for_variants(query) else _BRAND_PRODUCTS
    page = fetch_page(session, SPEC, query, template, {"brand_id": brand_id})
    products = _Products(session, brand_id)
    if query.selects is None and not query.relations:  # the answers as they are
        return Page(products.answers(page.rows), page.total)
    items = products.render(page.rows, query.relations)
    keep = (*ALWAYS_SELECTED, *tops(query.relations))
    for item in items:
        select_fields(item, query.selects, keep)
    return Page(list(items), page.total)


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
    return _Products(session, brand_id).render([product_id], relations)[0]


def render_products(
    session: Session, brand_id: int, ids: list[int], relations: Iterable[str]
) -> list[dict[str, Any]]:
    """Products by id (deleted ones too) with `relations`: what receipts show they sold."""
    return _Products(session, brand_id).render(ids, relations)
