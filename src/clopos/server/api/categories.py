"""`GET /categories` (a tree), `GET /categories/{id}`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.categories import service as categories
from clopos.core.formats import parse_id
from clopos.core.listing import parse_flag
from clopos.schemas.categories import Category
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import RecordId
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["categories"])


@router.get("/categories", response_model=ListEnvelope[Category])
async def list_categories(request: Request) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    query = categories.SPEC.parse(request.query_params.multi_items())
    page = await db.read(categories.list_categories, principal.brand_id, query)
    return envelope(request.scope, page.rows, total=page.total, sorts=categories.SPEC.sort_names)


@router.get("/categories/{category_id}", response_model=Envelope[Category])
async def get_category(request: Request, category_id: RecordId) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    raw = request.query_params.get("include_children")
    include_children = True if not raw else parse_flag("include_children", raw)
    category = await db.read(
        categories.get_category, principal.brand_id, parse_id(category_id), include_children
    )
    return envelope(request.scope, category)
