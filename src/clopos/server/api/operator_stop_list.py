"""The operator's stop list: `/admin/api/brands/{brand}/stop-list[/{product_id}]`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request

from clopos.core.stop_list import service as stop_list
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.stop_list import StopListItem, StopListRemoval, StopListUpdate
from clopos.server.api._bodies import body_schema, refusals
from clopos.server.api._brand import in_brand, in_brand_at
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
    entries = await in_brand(db.read, brand, stop_list.all_entries, venue)
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
    entry = await in_brand_at(db.write, brand, product_id, stop_list.set_limit, body.limit, venue)
    return envelope(request.scope, entry)


@router.delete("/{product_id}", response_model=Envelope[StopListRemoval], responses=refusals(400))
async def clear_one(
    request: Request, brand: str, product_id: str, venue: int | None = Venue
) -> JSON:
    db = database(request)
    removed = await in_brand_at(db.write, brand, product_id, stop_list.clear, venue)
    return envelope(request.scope, {"removed": removed})


@router.delete("", response_model=Envelope[StopListRemoval], responses=refusals(400))
async def clear_all(request: Request, brand: str, venue: int | None = Venue) -> JSON:
    db = database(request)
    removed = await in_brand(db.write, brand, stop_list.clear, None, venue)
    return envelope(request.scope, {"removed": removed})
