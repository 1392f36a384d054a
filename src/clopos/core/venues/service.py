"""Venues of a brand."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import Session

from clopos.core.readmodel import ReadModel
from clopos.core.venues.table import Venue
from clopos.schemas import venues as wire
from clopos.store.direct import Direct
from clopos.store.uow import connection_of

# A venue's answer: `is_main` is stored as a boolean and answered as 1/0, as documented.
VENUE = ReadModel(
    Venue,
    wire.Venue,
    computed={"is_main": lambda row: int(row.is_main)},
    inputs=("is_main",),
    hidden=("created_at", "updated_at"),  # not in either documented venue shape
)


_VENUES: Table = Venue.__table__  # type: ignore[assignment]
# The venues' resource in the change log (and the renders kept until it changes).
VENUES = _VENUES.name
# Compiled once and run on the driver (store/direct.py): the ORM's loading of the rows cost
# more than the query.
_BRAND_VENUES = Direct(
    select(_VENUES.c.id).where(_VENUES.c.brand_id == bindparam("brand_id")).order_by(_VENUES.c.id)
)


def list_venues(session: Session, brand_id: int) -> list[dict[str, Any]]:
    """The brand's venues (a handful: no paging), rendered once per change of them."""
    ids = [row.id for row in _BRAND_VENUES.rows(connection_of(session), {"brand_id": brand_id})]
    return VENUE.rendered(session, brand_id, ids)


# The brand's main venue: its first (the one made with the brand; migration 0007 chose it
# the same way for the customers it back-filled).
_MAIN_VENUE = Direct(
    select(func.min(_VENUES.c.id)).where(_VENUES.c.brand_id == bindparam("brand_id"))
)


def main_venue_id(session: Session, brand_id: int) -> int | None:
    """The brand's main venue: where customers, stop lists... without a venue belong."""
    found = _MAIN_VENUE.scalar(connection_of(session), {"brand_id": brand_id})
    return None if found is None else int(found)
