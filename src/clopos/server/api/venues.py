"""`GET /venues`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access.scopes import VENUES_READ
from clopos.core.venues.service import list_venues
from clopos.schemas.common import ListEnvelope
from clopos.schemas.venues import Venue
from clopos.server.api.deps import database, granted
from clopos.server.responses import JSON, envelope

router = APIRouter()


@router.get("/venues", summary="List the brand's venues", response_model=ListEnvelope[Venue])
async def get_venues(request: Request) -> JSON:
    """Every venue of the token's brand; use a venue's id as `x-venue`."""
    principal = granted(request, VENUES_READ)
    db = database(request)
    venues = await db.read(list_venues, principal.brand_id)
    return envelope(request.scope, venues, total=len(venues))
