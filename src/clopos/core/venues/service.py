"""Venues of a brand."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import Session

from clopos.core.venues.table import Venue
from clopos.store.direct import Direct
from clopos.store.uow import connection_of


def venue_json(venue: Any) -> dict[str, Any]:
    """A venue as the API shows it, from its ORM object or a row of `venues`."""
    return {
        "id": venue.id,
        "name": venue.name,
        "is_main": int(venue.is_main),
        "media": venue.media,
        "address": venue.address,
        "status": venue.status,
        "phone": venue.phone,
        "email": venue.email,
    }


_VENUES: Table = Venue.__table__  # type: ignore[assignment]
# The venues' resource in the change log (and the renders kept until it changes).
VENUES = _VENUES.name
# Compiled once and run on the driver (store/direct.py): the ORM's loading of the rows cost
# more than the query.
_BRAND_VENUES = Direct(
    select(_VENUES).where(_VENUES.c.brand_id == bindparam("brand_id")).order_by(_VENUES.c.id)
)


def list_venues(session: Session, brand_id: int) -> list[dict[str, Any]]:
    rows = _BRAND_VENUES.rows(connection_of(session), {"brand_id": brand_id})
    return [venue_json(venue) for venue in rows]


# The brand's main venue: its first (the one made with the brand; migration 0007 chose it
# the same way for the customers it back-filled).
_MAIN_VENUE = Direct(
    select(func.min(_VENUES.c.id)).where(_VENUES.c.brand_id == bindparam("brand_id"))
)


def main_venue_id(session: Session, brand_id: int) -> int | None:
    """The brand's main venue: where customers, stop lists... without a venue belong."""
    found = _MAIN_VENUE.scalar(connection_of(session), {"brand_id": brand_id})
    return None if found is None else int(found)
