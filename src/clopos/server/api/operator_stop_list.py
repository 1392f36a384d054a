"""The operator's stop list: `/admin/api/brands/{brand}/stop-list[/{product_id}]`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from clopos.core.access.brands import brand_id_of
from clopos.core.formats import parse_id
from clopos.core.stop_list import service as stop_list
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.stop_list import StopListItem, StopListRemoval, StopListUpdate
from clopos.server.api._bodies import body_schema, refusals
from clopos.server.api._common import validated_body
from clopos.server.api.deps import database, require_operator
from clopos.server.responses import JSON, envelope

# The operator token is checked before anything of the request is read.
router = APIRouter(
    prefix="/admin/api/brands/{brand}/stop-list",
    tags=["operator"],
    dependencies=[Depends(require_operator)],
)

# The venue whose stop list is meant; the brand's first venue without one.
Venue = Query(None, ge=1, le=2**63 - 1, description="Venue id (default: the brand's first venue)")


@router.get("", response_model=ListEnvelope[StopListItem], responses=refusals(400))
async def show(request: Request, brand: str, venue: int | None = Venue) -> JSON:
    db = database(request)
    entries = await db.read(stop_list.all_entries, await db.read(brand_id_of, brand), venue)
    return envelope(request.scope, entries, total=len(entries))


@router.put(
    "/{product_id}",
    response_model=Envelope[StopListItem],
    responses=refusals(400),
    openapi_extra=body_schema(StopListUpdate),
)
async def set_limit(
    request: Request, brand: str, product_id: str, venue: int | None = Venue
) -> JSON:
    db = database(request)
    body = await validated_body(request, StopListUpdate)
    brand_id = await db.read(brand_id_of, brand)
    entry = await db.write(stop_list.set_limit, brand_id, parse_id(product_id), body.limit, venue)
    return envelope(request.scope, entry)


@router.delete("/{product_id}", response_model=Envelope[StopListRemoval], responses=refusals(400))
async def clear_one(
    request: Request, brand: str, product_id: str, venue: int | None = Venue
) -> JSON:
    db = database(request)
    brand_id = await db.read(brand_id_of, brand)
    removed = await db.write(stop_list.clear, brand_id, parse_id(product_id), venue)
    return envelope(request.scope, {"removed": removed})


@router.delete("", response_model=Envelope[StopListRemoval], responses=refusals(400))
async def clear_all(request: Request, brand: str, venue: int | None = Venue) -> JSON:
    db = database(request)
    removed = await db.write(stop_list.clear, await db.read(brand_id_of, brand), None, venue)
    return envelope(request.scope, {"removed": removed})
