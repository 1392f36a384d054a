"""`GET /stations`, `GET /stations/{id}`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.formats import parse_id
from clopos.core.stations import service as stations
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.stations import Station
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import RecordId
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["stations"])


@router.get("/stations", response_model=ListEnvelope[Station])
async def list_stations(request: Request) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    query = stations.SPEC.parse(request.query_params.multi_items())
    page = await db.read(stations.list_stations, principal.brand_id, query)
    return envelope(request.scope, page.rows, total=page.total, sorts=stations.SPEC.sort_names)


@router.get("/stations/{station_id}", response_model=Envelope[Station])
async def get_station(request: Request, station_id: RecordId) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    station = await db.read(stations.get_station, principal.brand_id, parse_id(station_id))
    return envelope(request.scope, station)
