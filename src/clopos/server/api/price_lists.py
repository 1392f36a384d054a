"""`GET /price-lists`, `GET /price-lists/prices` (v2 only; `{data, pagination}` bodies)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.price_lists import service as price_lists
from clopos.schemas.common import PaginatedEnvelope
from clopos.schemas.price_lists import Price, PriceList
from clopos.server.api.deps import database, granted
from clopos.server.responses import JSON, cacheable

router = APIRouter(tags=["price lists"])


@router.get("/price-lists", response_model=PaginatedEnvelope[PriceList])
async def list_price_lists(request: Request) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    query = price_lists.LIST_SPEC.parse(request.query_params.multi_items())
    page = await db.read(price_lists.list_price_lists, principal.brand_id, query)
    return _paginated(request, page.rows, price_lists.pagination(query, page.total))


@router.get("/price-lists/prices", response_model=PaginatedEnvelope[Price])
async def list_prices(request: Request) -> JSON:
    principal = granted(request, scopes.CATALOGUE_READ)
    db = database(request)
    query = price_lists.PRICE_SPEC.parse(request.query_params.multi_items())
    page = await db.read(price_lists.list_prices, principal.brand_id, query)
    return _paginated(request, page.rows, price_lists.pagination(query, page.total))


def _paginated(request: Request, rows: list[Any], pagination: dict[str, int]) -> JSON:
    """The documented `{data, pagination}` body, plus `success` and the time fields every
    other envelope has (see compatibility.md)."""
    body = {"success": True, "data": rows, "pagination": pagination}
    return cacheable(request.scope, body, stamped=True)
