"""Price lists (v2): named alternative prices, answered with a `pagination` object."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.formats import iso, plain
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
    selects=frozenset({"id", "name", "description", "status", "created_at", "updated_at"}),
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


def serialise_list(price_list: PriceList) -> dict[str, Any]:
    return {
        "id": price_list.id,
        "name": price_list.name,
        "description": price_list.description,
        "status": price_list.status,
        "created_at": iso(price_list.created_at),
        "updated_at": iso(price_list.updated_at),
    }


def serialise_price(price: PriceListPrice) -> dict[str, Any]:
    return {
        "id": price.id,
        "list_id": price.list_id,
        "product_id": price.product_id,
        "price": price.price,
    }


def list_price_lists(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    statement = select(PriceList).where(
        PriceList.brand_id == brand_id, PriceList.deleted_at.is_(None)
    )
    page = fetch_page(session, LIST_SPEC, query, statement)
    items = [serialise_list(row) for row in page.rows]
    if "prices" in relation_names(query.relations) and items:
        prices = session.scalars(
            select(PriceListPrice)
            .where(
                PriceListPrice.brand_id == brand_id,
                PriceListPrice.list_id.in_([item["id"] for item in items]),
            )
            .order_by(PriceListPrice.id)
        )
        grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for price in prices:
            grouped[price.list_id].append(serialise_price(price))
        for item in items:
            item["prices"] = grouped.get(item["id"], [])
    for item in items:
        select_fields(item, query.selects, ("id", *relation_names(query.relations)))
    return Page(items, page.total)


def list_prices(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    statement = select(PriceListPrice).where(PriceListPrice.brand_id == brand_id)
    page = fetch_page(session, PRICE_SPEC, query, statement)
    items = [serialise_price(row) for row in page.rows]
    relations = relation_names(query.relations)
    if "product" in relations and items:
        products = session.scalars(
            select(Product).where(
                Product.brand_id == brand_id,
                Product.id.in_({item["product_id"] for item in items}),
            )
        )
        found = {
            p.id: {"id": p.id, "name": p.name, "type": p.type, "price": p.price,
                   "updated_at": plain(p.updated_at)}
            for p in products
        }  # fmt: skip
        for item in items:
            item["product"] = found.get(item["product_id"])
    if "list" in relations and items:
        lists = session.scalars(
            select(PriceList).where(
                PriceList.brand_id == brand_id,
                PriceList.id.in_({item["list_id"] for item in items}),
            )
        )
        by_id = {row.id: serialise_list(row) for row in lists}
        for item in items:
            item["list"] = by_id.get(item["list_id"])
    return Page(items, page.total)
