"""`GET /venues`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from clopos.core.access.scopes import VENUES_READ
from clopos.core.venues.service import list_venues
from clopos.schemas.common import ListEnvelope
from clopos.schemas.venues import Venue
from clopos.server.api.deps import DatabaseDep, requires
from clopos.server.auth.principal import Principal
from clopos.server.responses import JSON, envelope

router = APIRouter()


@router.get("/venues", summary="List the brand's venues", response_model=ListEnvelope[Venue])
async def get_venues(
    request: Request,
    principal: Annotated[Principal, Depends(requires(VENUES_READ))],
    db: DatabaseDep,
) -> JSON:
    """Every venue of the token's brand; use a venue's id as `x-venue`."""
    venues = await db.read(list_venues, principal.brand_id)
    return envelope(request.scope, venues, total=len(venues))
