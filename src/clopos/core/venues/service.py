"""Venues of a brand."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.venues.table import Venue


def venue_json(venue: Venue) -> dict[str, Any]:
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


def list_venues(session: Session, brand_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(Venue).where(Venue.brand_id == brand_id).order_by(Venue.id))
    return [venue_json(venue) for venue in rows]
