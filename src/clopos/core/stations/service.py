"""Stations: where a product's order tickets print."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.errors import not_found
from clopos.core.formats import iso
from clopos.core.listing import (
    ListSpec,
    Page,
    contains,
    fetch_page,
    flag,
    int_choice,
    integers,
)
from clopos.core.query import ListQuery, Paging
from clopos.core.stations.table import Station

SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Station.id,
    sorts={
        "id": Station.id,
        "name": Station.name,
        "created_at": Station.created_at,
        "updated_at": Station.updated_at,
    },
    filters={
        "id": integers(Station.id),
        "name": contains(Station.name),
        "status": int_choice(Station.status, (1, 0)),
        "can_print": flag(Station.printable == 1),
        "type": integers(Station.type),
    },
    named=frozenset({"status", "can_print", "type"}),
    date_column=Station.created_at,
)


def serialise(station: Station) -> dict[str, Any]:
    """The v2 shape (`type`, `printable`) with v1's fields derived from the same columns."""
    return {
        "id": station.id,
        "name": station.name,
        "status": station.status,
        "type": station.type,
        "printable": station.printable,
        "can_print": station.printable == 1,
        "reminder_enabled": station.reminder_enabled,
        "description": station.description,
        "created_at": iso(station.created_at),
        "updated_at": iso(station.updated_at),
    }


def list_stations(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    statement = select(Station).where(Station.brand_id == brand_id, Station.deleted_at.is_(None))
    page = fetch_page(session, SPEC, query, statement)
    return Page([serialise(station) for station in page.rows], page.total)


def get_station(session: Session, brand_id: int, station_id: int) -> dict[str, Any]:
    station = session.get(Station, (brand_id, station_id))
    if station is None or station.deleted_at is not None:
        raise not_found("Station not found")
    return serialise(station)
