"""Price lists (v2): named alternative prices, answered with a `pagination` object."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from clopos.core.formats import iso
from clopos.core.listing import (
    ListSpec,
    Page,
    contains,
    fetch_page,
    flag,
    integers,
    relation_names,
    select_fields,
)
from clopos.core.price_lists.table import PriceList, PriceListPrice
from clopos.core.products.table import Product
from clopos.core.query import ListQuery, Paging
from clopos.core.readmodel import ReadModel
from clopos.schemas import price_lists as wire

PRICE_LIST = ReadModel(
    PriceList, wire.PriceList, relations=("prices",), hidden=("deleted_at",), dates=iso
)
PRICE = ReadModel(
    PriceListPrice,
    wire.Price,
    relations=("product", "list"),
    hidden=("created_at", "updated_at"),  # not in the documented price
)
# A price's product (`with[]=product`): rendered here, never through the products' shared
# renders, which are the full product's.
PRICED_PRODUCT = ReadModel(Product, wire.PricedProduct)

LIST_SPEC = ListSpec(
    paging=Paging(maximum=999),
    id_column=PriceList.id,
    sorts={"id": PriceList.id, "name": PriceList.name, "created_at": PriceList.created_at},
    filters={
        "id": integers(PriceList.id),
        "name": contains(PriceList.name),
        "status": flag(PriceList.status.is_(True)),
    },
    relations=frozenset({"prices"}),
    selects=frozenset(PRICE_LIST.fields),
    date_column=PriceList.created_at,
)

PRICE_SPEC = ListSpec(
    paging=Paging(maximum=999),
    id_column=PriceListPrice.id,
    sorts={
        "id": PriceListPrice.id,
        "price": PriceListPrice.price,
        "product_id": PriceListPrice.product_id,
        "list_id": PriceListPrice.list_id,
    },
    filters={
        "id": integers(PriceListPrice.id),
        "product_id": integers(PriceListPrice.product_id),
        "list_id": integers(PriceListPrice.list_id),
    },
    relations=frozenset({"product", "list"}),
)


def pagination(query: ListQuery, total: int) -> dict[str, int]:
    return {
        "page": query.page,
        "per_page": query.limit,
        "total": total,
        "total_pages": math.ceil(total / query.limit) if total else 0,
    }


# The ids a page is chosen from: templates for `fetch_page`, built once.
_BRAND_LISTS = select(PriceList.id).where(
    PriceList.brand_id == bindparam("brand_id"), PriceList.deleted_at.is_(None)
)
_BRAND_PRICES = select(PriceListPrice.id).where(PriceListPrice.brand_id == bindparam("brand_id"))


def list_price_lists(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    page = fetch_page(session, LIST_SPEC, query, _BRAND_LISTS, {"brand_id": brand_id})
    rendered = PRICE_LIST.rendered(session, brand_id, page.rows)
    relations = relation_names(query.relations)
    if query.selects is None and "prices" not in relations:
        return Page(rendered, page.total)
    items = [dict(item) for item in rendered]
    if "prices" in relations and items:
        statement = PRICE.statement().where(
            PriceListPrice.brand_id == brand_id,
            PriceListPrice.list_id.in_([item["id"] for item in items]),
        )
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for price in session.execute(statement.order_by(PriceListPrice.id)):
            grouped[price.list_id].append(PRICE.render(price))
        for item in items:
            item["prices"] = grouped.get(item["id"], [])
    for item in items:
        select_fields(item, query.selects, ("id", *relations))
    return Page(items, page.total)


def list_prices(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    page = fetch_page(session, PRICE_SPEC, query, _BRAND_PRICES, {"brand_id": brand_id})
    rendered = PRICE.rendered(session, brand_id, page.rows)
    relations = relation_names(query.relations) & PRICE.relations
    if not relations or not rendered:
        return Page(rendered, page.total)
    items = [dict(item) for item in rendered]
    if "product" in relations:
        wanted = sorted({item["product_id"] for item in items})
        products = PRICED_PRODUCT.renders(session, brand_id, wanted)
        for item in items:
            item["product"] = products.get(item["product_id"])
    if "list" in relations:
        wanted = sorted({item["list_id"] for item in items})  # deleted lists too
        lists = {row["id"]: row for row in PRICE_LIST.rendered(session, brand_id, wanted)}
        for item in items:
            item["list"] = lists.get(item["list_id"])
    return Page(items, page.total)
