"""`GET /orders`, `GET /orders/{id}`, `POST /orders` (v1 body; v2 flat body or v1 body),
`PUT /orders/{id}` (only `{"status": "IGNORE"}`)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.formats import parse_id
from clopos.core.listing import check_relations
from clopos.core.orders import intake, life
from clopos.core.orders import read as orders
from clopos.core.query import parse_relations
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.orders import (
    Order,
    OrderCreateV1,
    OrderCreateV2,
    OrderStatusChange,
    OrderUpdate,
)
from clopos.server.api import order_bodies
from clopos.server.api._bodies import body_schema, parsed, refusals
from clopos.server.api._common import body_of
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import RecordId
from clopos.server.auth.principal import Principal
from clopos.server.pipeline.context import request_context
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["orders"])
v1_router = APIRouter(tags=["orders"])
v2_router = APIRouter(tags=["orders"])


@router.get("/orders", response_model=ListEnvelope[Order])
async def list_orders(request: Request) -> JSON:
    principal = granted(request, scopes.ORDERS_READ)
    db = database(request)
    query = orders.SPEC.parse(request.query_params.multi_items())
    page = await db.read(orders.list_orders, principal.brand_id, query)
    return envelope(request.scope, page.rows, total=page.total, sorts=orders.SPEC.sort_names)


@router.get("/orders/{order_id}", response_model=Envelope[Order])
async def get_order(request: Request, order_id: RecordId) -> JSON:
    principal = granted(request, scopes.ORDERS_READ)
    db = database(request)
    relations = parse_relations(request.query_params.multi_items())
    check_relations(relations, orders.SPEC.relations)
    order = await db.read(orders.get_order, principal.brand_id, parse_id(order_id), relations)
    return envelope(request.scope, order)


async def _create(request: Request, principal: Principal, v1: bool) -> JSON:
    if v1:
        draft = order_bodies.draft_v1(await parsed(request, OrderCreateV1))
    else:
        try:
            raw = orjson.loads(await body_of(request) or b"{}")
        except orjson.JSONDecodeError:
            raw = None
        # Clients in the wild send the v1 body to v2: its `payload` tells them apart.
        if isinstance(raw, dict) and "payload" in raw:
            draft = order_bodies.draft_v1(await parsed(request, OrderCreateV1))
        else:
            draft = order_bodies.draft_v2(await parsed(request, OrderCreateV2))
    order, created = await database(request).write(
        intake.create_order, principal.brand_id, principal.venue_id, draft
    )
    if created:
        context = request_context(request.scope)
        if context is not None and context.server is not None:
            context.server.metrics.orders_created += 1
        return envelope(request.scope, order, message="Order created", status=201)
    return envelope(request.scope, order, message="Order already exists")


_REPEAT: dict[int | str, dict[str, Any]] = {
    200: {"model": Envelope[Order], "description": "A repeated integration_uuid"}
}


@v1_router.post(
    "/orders",
    status_code=201,
    response_model=Envelope[Order],
    responses=_REPEAT,
    openapi_extra=body_schema(OrderCreateV1),
)
async def create_order_v1(request: Request) -> JSON:
    return await _create(request, granted(request, scopes.ORDERS_WRITE), v1=True)


@v2_router.post(
    "/orders",
    status_code=201,
    response_model=Envelope[Order],
    responses=_REPEAT,
    openapi_extra=body_schema(OrderCreateV2, OrderCreateV1),
)
async def create_order_v2(request: Request) -> JSON:
    return await _create(request, granted(request, scopes.ORDERS_WRITE), v1=False)


async def _update(request: Request, order_id: str, principal: Principal) -> dict[str, Any]:
    body = await parsed(request, OrderUpdate)
    return await database(request).write(
        life.update_order, principal.brand_id, parse_id(order_id), body.status.upper()
    )


@v1_router.put(
    "/orders/{order_id}",
    response_model=Envelope[OrderStatusChange],
    responses=refusals(409),
    openapi_extra=body_schema(OrderUpdate),
)
async def update_order_v1(request: Request, order_id: RecordId) -> JSON:
    order = await _update(request, order_id, granted(request, scopes.ORDERS_WRITE))
    return envelope(request.scope, {"id": order["id"], "status": order["status"]})


@v2_router.put(
    "/orders/{order_id}",
    response_model=Envelope[Order],
    responses=refusals(409),
    openapi_extra=body_schema(OrderUpdate),
)
async def update_order_v2(request: Request, order_id: RecordId) -> JSON:
    order = await _update(request, order_id, granted(request, scopes.ORDERS_WRITE))
    return envelope(request.scope, order)
