"""Categories: listed as a tree (`children`), numbered as a nested set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, bindparam, select
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
from clopos.core.readmodel import ReadModel, Row
from clopos.core.tree import nested_set
from clopos.schemas import categories as wire

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


# A category's own fields; its place in the tree (`_lft`, `_rgt`, `depth`) and its
# `children` come from the whole brand's tree (`_Forest`), which numbers it.
CATEGORY = ReadModel(
    Category,
    wire.Category,
    filled=("_lft", "_rgt", "depth", "children"),
    inputs=("deleted_at",),  # a deleted category is numbered but never shown
    dates=iso,
)
# Every category of the brand, deleted ones too: they keep their place in the numbering.
_BRAND_TREE = CATEGORY.statement().where(Category.brand_id == bindparam("brand_id"))


class _Forest:
    """Every category of a brand, numbered once, from which any subtree is rendered."""

    def __init__(self, rows: list[Row]) -> None:
        self.by_id = {row.id: row for row in rows}
        self.positions = nested_set(
            (row.id, row.parent_id, (row.position if row.position is not None else 1 << 30, row.id))
            for row in rows
        )
        self.children: dict[int, list[Row]] = {}
        for row in sorted(rows, key=lambda row: self.positions[row.id].lft):
            if row.parent_id is not None:
                self.children.setdefault(row.parent_id, []).append(row)

    def render(self, row: Row, nested: bool, keep: Callable[[Row], bool]) -> dict[str, Any]:
        position = self.positions[row.id]
        children = self.children.get(row.id, []) if nested else []
        return {
            **CATEGORY.render(row),
            "_lft": position.lft,
            "_rgt": position.rgt,
            "depth": position.depth,
            "children": [self.render(child, True, keep) for child in children if keep(child)],
        }


def _forest(session: Session, brand_id: int) -> _Forest:
    return _Forest(list(session.execute(_BRAND_TREE, {"brand_id": brand_id})))


def _page_template(include_inactive: bool, roots_only: bool) -> Select[Any]:
    statement = select(Category.id).where(
        Category.brand_id == bindparam("brand_id"), Category.deleted_at.is_(None)
    )
    if not include_inactive:
        statement = statement.where(Category.status == 1)
    if roots_only:
        statement = statement.where(Category.parent_id.is_(None))
    return statement


# The ids a page is chosen from, by (include_inactive, roots only): templates for
# `fetch_page`, built once.
_PAGES = {
    (inactive, roots): _page_template(inactive, roots)
    for inactive in (False, True)
    for roots in (False, True)
}


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
    asked_parent = query.scalar("parent_id") or any(f.field == "parent_id" for f in query.filters)
    template = _PAGES[(include_inactive, include_children and not asked_parent)]
    page = fetch_page(session, SPEC, query, template, {"brand_id": brand_id})
    if not page.rows:
        return Page([], page.total)
    forest = _forest(session, brand_id)
    types = _type_filter(query)

    def keep(row: Row) -> bool:
        return (
            row.deleted_at is None
            and (include_inactive or row.status == 1)
            and (types is None or row.type in types)
        )

    # (A category made between the two statements is left for the next read.)
    rows = [forest.by_id[i] for i in page.rows if i in forest.by_id]
    return Page([forest.render(row, include_children, keep) for row in rows], page.total)


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
