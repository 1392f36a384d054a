"""Stations: where a product's order tickets print."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
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
from clopos.core.readmodel import ReadModel, Rendered
from clopos.core.stations.table import Station
from clopos.schemas import stations as wire

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


# The v2 shape (`type`, `printable`) with v1's `can_print` from the same column.
STATION = ReadModel(
    Station,
    wire.Station,
    computed={"can_print": lambda row: row.printable == 1},
    inputs=("deleted_at",),  # a deleted station is not found by id
    dates=iso,
)
_BRAND_STATIONS = select(Station.id).where(
    Station.brand_id == bindparam("brand_id"), Station.deleted_at.is_(None)
)


def list_stations(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    page = fetch_page(session, SPEC, query, _BRAND_STATIONS, {"brand_id": brand_id})
    return Page(STATION.rendered(session, brand_id, page.rows), page.total)


def get_station(session: Session, brand_id: int, station_id: int) -> Rendered:
    found = STATION.rows(session, brand_id, [station_id])
    if not found or found[0].deleted_at is not None:
        raise not_found("Station not found")
    return STATION.render(found[0])
