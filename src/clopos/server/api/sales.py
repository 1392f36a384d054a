"""`GET /sale-types`, `GET /payment-methods`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.sales import service as sales
from clopos.schemas.common import ListEnvelope
from clopos.schemas.sales import PaymentMethod, SaleType
from clopos.server.api.deps import database, granted
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["sales"])


@router.get("/sale-types", response_model=ListEnvelope[SaleType])
async def list_sale_types(request: Request) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    query = sales.SALE_TYPE_SPEC.parse(request.query_params.multi_items())
    page = await db.read(sales.list_sale_types, principal.brand_id, query)
    return envelope(
        request.scope, page.rows, total=page.total, sorts=sales.SALE_TYPE_SPEC.sort_names
    )


@router.get("/payment-methods", response_model=ListEnvelope[PaymentMethod])
async def list_payment_methods(request: Request) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    query = sales.PAYMENT_METHOD_SPEC.parse(request.query_params.multi_items())
    page = await db.read(sales.list_payment_methods, principal.brand_id, query)
    return envelope(
        request.scope, page.rows, total=page.total, sorts=sales.PAYMENT_METHOD_SPEC.sort_names
    )
