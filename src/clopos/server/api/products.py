"""`GET /products`, `GET /products/stop-list`, `GET /products/{id}`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.products import read as products
from clopos.core.query import parse_relations
from clopos.core.stop_list import service as stop_list
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.products import Product
from clopos.schemas.stop_list import StopListItem
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import ProductId
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["products"])


@router.get("/products", response_model=ListEnvelope[Product])
async def list_products(request: Request) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    query = products.SPEC.parse(request.query_params.multi_items())
    page = await db.read(products.list_products, principal.brand_id, query)
    return envelope(request.scope, page.rows, total=page.total, sorts=products.SPEC.sort_names)


# Declared before /products/{id} so that "stop-list" is never taken for an id.
@router.get("/products/stop-list", response_model=ListEnvelope[StopListItem])
async def get_stop_list(request: Request) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    query = stop_list.SPEC.parse(request.query_params.multi_items())
    # The request's venue (x-venue, or the token's): a real stop list is per venue.
    page = await db.read(stop_list.list_entries, principal.brand_id, principal.venue_id, query)
    return envelope(request.scope, page.rows, total=page.total)


@router.get("/products/{product_id}", response_model=Envelope[Product])
async def get_product(request: Request, product_id: ProductId) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    relations = parse_relations(request.query_params.multi_items())
    product = await db.read(products.get_product, principal.brand_id, product_id, relations)
    return envelope(request.scope, product)
