"""A resource read the house's one way (docs/architecture.md): its read model, its list spec
and the template choosing a brand's ids, giving a page, one record, and sums over what a
list query matches (the `/total` endpoints)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from clopos.core.errors import not_found
from clopos.core.listing import ListSpec, Page, fetch_page
from clopos.core.query import ListQuery
from clopos.core.readmodel import ReadModel, Rendered, kept


@dataclass(frozen=True)
class Records:
    """`template` selects the ids of the brand's listed rows (`bindparam("brand_id")`);
    `missing` is the not-found message. A model whose table has `deleted_at` selects it
    (`inputs`): a deleted record is not found by id."""

    model: ReadModel
    spec: ListSpec
    template: Select[Any]
    missing: str
    # Other resources whose facts the answer embeds: their changes drop its renders.
    also: tuple[str, ...] = ()

    def page(self, session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
        found = fetch_page(session, self.spec, query, self.template, {"brand_id": brand_id})
        return Page(self.rendered(session, brand_id, found.rows), found.total)

    def rendered(self, session: Session, brand_id: int, ids: list[int]) -> list[dict[str, Any]]:
        model = self.model
        if not self.also:
            return model.rendered(session, brand_id, ids)
        known = kept(
            session,
            model.resource,
            brand_id,
            ids,
            lambda missing: model.renders(session, brand_id, missing),
            model.shape,
            self.also,
        )
        return [known[record_id] for record_id in ids if record_id in known]

    def one(self, session: Session, brand_id: int, record_id: int) -> Rendered:
        rows = self.model.rows(session, brand_id, [record_id])
        if not rows or getattr(rows[0], "deleted_at", None) is not None:
            raise not_found(self.missing)
        return self.model.render(rows[0])

    def sums(
        self,
        session: Session,
        brand_id: int,
        query: ListQuery,
        columns: Mapping[str, Any],
    ) -> dict[str, Any]:
        """`{"count": n, name: sum of column ...}` over the rows the query's filters and dates
        match (paging and sorting aside)."""
        table = self.model.table
        chosen = self.template.where(*self.spec.conditions(query))
        statement = select(
            func.count().label("count"),
            *(func.coalesce(func.sum(column), 0).label(name) for name, column in columns.items()),
        ).where(table.c.brand_id == brand_id, table.c.id.in_(chosen.scalar_subquery()))
        found = session.execute(statement, {"brand_id": brand_id}).one()._mapping
        sums = {name: round(float(found[name]), 6) for name in columns}
        return {"count": int(found["count"]), **sums}


def page_of(rows: list[dict[str, Any]], query: ListQuery) -> Page[dict[str, Any]]:
    """A page of rows made in Python (sums, vocabularies), sorted as the query asks: its sort
    names are keys of the rows (the list spec that parsed it offers no others)."""
    for sort in reversed(query.sorts):
        field = sort.field
        rows = sorted(
            rows, key=lambda row: (row[field] is None, row[field]), reverse=sort.descending
        )
    return Page(rows[query.offset : query.offset + query.limit], len(rows))
