"""Categories: listed as a tree (`children`), numbered as a nested set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.categories.table import Category
from clopos.core.errors import not_found
from clopos.core.formats import iso
from clopos.core.listing import (
    ListSpec,
    Page,
    contains,
    fetch_page,
    flag,
    integers,
    one_of,
    parse_flag,
)
from clopos.core.query import ListQuery, Paging
from clopos.core.tree import Position, nested_set

TYPES = ("PRODUCT", "INGREDIENT", "ACCOUNTING")

SPEC = ListSpec(
    paging=Paging(maximum=999),
    id_column=Category.id,
    sorts={
        "id": Category.id,
        "name": Category.name,
        "position": Category.position,
        "created_at": Category.created_at,
        "updated_at": Category.updated_at,
    },
    filters={
        "id": integers(Category.id),
        "parent_id": integers(Category.parent_id),
        "type": one_of(Category.type, TYPES),
        "name": contains(Category.name),
        "status": flag(Category.status == 1),
    },
    named=frozenset({"parent_id", "type"}),
    date_column=Category.created_at,
    default_sort=((Category.position, False),),
)


def serialise(category: Category, position: Position) -> dict[str, Any]:
    return {
        "id": category.id,
        "parent_id": category.parent_id,
        "name": category.name,
        "slug": category.slug,
        "type": category.type,
        "status": category.status,
        "position": category.position,
        "color": category.color,
        "hidden": category.hidden,
        "_lft": position.lft,
        "_rgt": position.rgt,
        "depth": position.depth,
        "media": category.media,
        "properties": category.properties,
        "children": [],
        "created_at": iso(category.created_at),
        "updated_at": iso(category.updated_at),
    }


class _Forest:
    """Every category of a brand, numbered once, from which any subtree is rendered."""

    def __init__(self, categories: list[Category]) -> None:
        self.by_id = {category.id: category for category in categories}
        self.positions = nested_set(
            (c.id, c.parent_id, (c.position if c.position is not None else 1 << 30, c.id))
            for c in categories
        )
        self.children: dict[int, list[Category]] = {}
        for category in sorted(categories, key=lambda c: self.positions[c.id].lft):
            if category.parent_id is not None:
                self.children.setdefault(category.parent_id, []).append(category)

    def render(
        self, category: Category, nested: bool, keep: Callable[[Category], bool]
    ) -> dict[str, Any]:
        item = serialise(category, self.positions[category.id])
        if nested:
            item["children"] = [
                self.render(child, True, keep)
                for child in self.children.get(category.id, [])
                if keep(child)
            ]
        return item


def _forest(session: Session, brand_id: int) -> _Forest:
    rows = session.scalars(select(Category).where(Category.brand_id == brand_id))
    return _Forest(list(rows))


def _options(query: ListQuery) -> tuple[bool, bool]:
    raw_children = query.scalar("include_children")
    raw_inactive = query.scalar("include_inactive")
    include_children = True if not raw_children else parse_flag("include_children", raw_children)
    include_inactive = False if not raw_inactive else parse_flag("include_inactive", raw_inactive)
    return include_children, include_inactive


def list_categories(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """With `include_children` (the default) the page holds the top of the tree (roots, or the
    children of `parent_id`) with descendants nested; without it, a flat page of all matches."""
    include_children, include_inactive = _options(query)
    statement = select(Category).where(Category.brand_id == brand_id, Category.deleted_at.is_(None))
    if not include_inactive:
        statement = statement.where(Category.status == 1)
    asked_parent = query.scalar("parent_id") or any(f.field == "parent_id" for f in query.filters)
    if include_children and not asked_parent:
        statement = statement.where(Category.parent_id.is_(None))
    page = fetch_page(session, SPEC, query, statement)
    if not page.rows:
        return Page([], page.total)
    forest = _forest(session, brand_id)
    types = _type_filter(query)

    def keep(category: Category) -> bool:
        return (
            category.deleted_at is None
            and (include_inactive or category.status == 1)
            and (types is None or category.type in types)
        )

    return Page([forest.render(row, include_children, keep) for row in page.rows], page.total)


def _type_filter(query: ListQuery) -> set[str] | None:
    values: set[str] = set()
    named = query.scalar("type")
    if named:
        values.add(named.strip().upper())
    for item in query.filters:
        if item.field == "type":
            values.update(
                v.strip().upper()
                for v in ((item.value,) if isinstance(item.value, str) else item.value)
            )
    return values or None


def get_category(
    session: Session, brand_id: int, category_id: int, include_children: bool = True
) -> dict[str, Any]:
    forest = _forest(session, brand_id)
    category = forest.by_id.get(category_id)
    if category is None or category.deleted_at is not None:
        raise not_found("Category not found")
    return forest.render(category, include_children, lambda child: child.deleted_at is None)
