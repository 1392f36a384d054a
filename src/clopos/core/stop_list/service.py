"""The stop list: per-product stock limits set by the operator, read by integrators."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from clopos.core.errors import not_found
from clopos.core.formats import now_ms
from clopos.core.listing import ListSpec, Page, fetch_page, integer_range, integers
from clopos.core.products.table import Product
from clopos.core.query import ListQuery, Paging
from clopos.core.readmodel import ReadModel
from clopos.core.stop_list.table import StopListEntry
from clopos.core.venues.service import main_venue_id
from clopos.core.venues.table import Venue
from clopos.schemas import stop_list as wire

SPEC = ListSpec(
    paging=Paging(maximum=1000, default=1000),
    id_column=StopListEntry.product_id,
    sorts={"id": StopListEntry.product_id, "timestamp": StopListEntry.updated_ms},
    filters={
        "id": integers(StopListEntry.product_id),
        "limit": integer_range(StopListEntry.limit),
        "timestamp": integer_range(StopListEntry.updated_ms),
    },
)


# An entry answers its product's id as its own, and its last change (Unix ms) as
# `timestamp`. Entries are per venue, so they are read by their own statements below, never
# by id through the render cache (which keeps one render per id in a brand).
ENTRY = ReadModel(
    StopListEntry,
    wire.StopListItem,
    computed={"id": lambda row: row.product_id, "timestamp": lambda row: row.updated_ms},
    inputs=("product_id", "updated_ms"),
    hidden=("venue_id",),  # the venue is the request's
)
_AT_VENUE = (
    StopListEntry.brand_id == bindparam("brand_id"),
    StopListEntry.venue_id == bindparam("venue_id"),
)
# The product ids a page is chosen from (a template for `fetch_page`), the entries of a page
# and a venue's whole list: built once.
_VENUE_PRODUCTS = select(StopListEntry.product_id).where(*_AT_VENUE)
_PAGE_ENTRIES = ENTRY.statement().where(
    *_AT_VENUE, StopListEntry.product_id.in_(bindparam("product_ids", expanding=True))
)
_VENUE_ENTRIES = ENTRY.statement().where(*_AT_VENUE).order_by(StopListEntry.product_id)


def venue_of(session: Session, brand_id: int, venue_id: int | None) -> int:
    """`venue_id` if the brand has it (404 otherwise); without one, the brand's first venue."""
    if venue_id is None:
        found = main_venue_id(session, brand_id)
        if found is None:
            raise not_found("Venue not found")
        return found
    if session.get(Venue, (brand_id, venue_id)) is None:
        raise not_found("Venue not found")
    return venue_id


def list_entries(
    session: Session, brand_id: int, venue_id: int, query: ListQuery
) -> Page[dict[str, Any]]:
    at_venue = {"brand_id": brand_id, "venue_id": venue_id}
    page = fetch_page(session, SPEC, query, _VENUE_PRODUCTS, at_venue)
    if not page.rows:
        return Page([], page.total)
    rows = session.execute(_PAGE_ENTRIES, {**at_venue, "product_ids": page.rows})
    found = {row.product_id: ENTRY.render(row) for row in rows}
    return Page([found[i] for i in page.rows if i in found], page.total)


def all_entries(
    session: Session, brand_id: int, venue_id: int | None = None
) -> list[dict[str, Any]]:
    """The venue's stop list (the brand's first venue's without one)."""
    venue_id = venue_of(session, brand_id, venue_id)
    rows = session.execute(_VENUE_ENTRIES, {"brand_id": brand_id, "venue_id": venue_id})
    return [ENTRY.render(row) for row in rows]


def set_limit(
    session: Session, brand_id: int, product_id: int, limit: int, venue_id: int | None = None
) -> dict[str, Any]:
    """Put a product on a venue's stop list (or change its limit; the brand's first venue
    without one); stamps the change in ms."""
    venue_id = venue_of(session, brand_id, venue_id)
    product = session.get(Product, (brand_id, product_id))
    if product is None or product.deleted_at is not None:
        raise not_found("Product not found")
    entry = session.get(StopListEntry, (brand_id, venue_id, product_id))
    if entry is None:
        entry = StopListEntry(
            brand_id=brand_id, venue_id=venue_id, product_id=product_id, limit=limit
        )
        session.add(entry)
    entry.limit = limit
    entry.updated_ms = now_ms()
    session.flush()
    return ENTRY.render(entry)


def clear(
    session: Session, brand_id: int, product_id: int | None = None, venue_id: int | None = None
) -> int:
    """Take one product (or, without an id, every product) off a venue's stop list (the
    brand's first venue's without one); answers how many."""
    venue_id = venue_of(session, brand_id, venue_id)
    statement = delete(StopListEntry).where(
        StopListEntry.brand_id == brand_id, StopListEntry.venue_id == venue_id
    )
    if product_id is not None:
        statement = statement.where(StopListEntry.product_id == product_id)
    result = session.execute(statement)
    return int(result.rowcount)  # type: ignore[attr-defined]
