"""The venue's side on the operator API: what a terminal would do with orders and receipts.

`/admin/api/brands/{brand}/orders[?status=S]`, `.../orders/{id}/accept`,
`.../orders/{id}/ignore`, `.../receipts/{id}/status`, `.../receipts/{id}/close`,
`.../venues/{venue_id}/order-mode`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from clopos.core.errors import bad_request
from clopos.core.orders import life
from clopos.core.orders import read as orders
from clopos.core.receipts import kitchen
from clopos.core.receipts import venue_side as receipts
from clopos.schemas.common import Envelope, ListEnvelope, WireModel
from clopos.schemas.orders import Order, OrderModeIn, OrderModeOut
from clopos.schemas.receipts import Receipt, ReceiptClosed
from clopos.server.api._bodies import body_schema, parsed, refusals
from clopos.server.api._brand import in_brand, in_brand_at
from clopos.server.api.deps import database, require_operator
from clopos.server.responses import JSON, envelope

# The operator token is checked before anything of the request is read.
router = APIRouter(
    prefix="/admin/api/brands/{brand}", tags=["operator"], dependencies=[Depends(require_operator)]
)


class KitchenStatus(WireModel):
    """Body of `PUT .../receipts/{id}/status`."""

    order_status: kitchen.KitchenStatus


class VenueClose(WireModel):
    """Body of `POST .../receipts/{id}/close`: the payment method (id or name) paying the
    whole total; default the venue's first."""

    payment_method: str | None = Field(None, max_length=200)


@router.get("/orders", response_model=ListEnvelope[Order], responses=refusals(400))
async def list_orders(request: Request, brand: str) -> JSON:
    db = database(request)
    status = request.query_params.get("status")
    items = [("status", status)] if status else []
    query = orders.SPEC.parse([*items, ("limit", "100"), ("with[]", "receipt")])
    page = await in_brand(db.read, brand, orders.list_orders, query)
    return envelope(request.scope, page.rows, total=page.total)


@router.post(
    "/orders/{order_id}/accept", response_model=Envelope[Order], responses=refusals(400, 409)
)
async def accept(request: Request, brand: str, order_id: str) -> JSON:
    db = database(request)
    order = await in_brand_at(db.write, brand, order_id, life.accept_order)
    return envelope(request.scope, order, message="Order accepted")


@router.post(
    "/orders/{order_id}/ignore", response_model=Envelope[Order], responses=refusals(400, 409)
)
async def ignore(request: Request, brand: str, order_id: str) -> JSON:
    db = database(request)
    order = await in_brand_at(db.write, brand, order_id, life.ignore_order)
    return envelope(request.scope, order, message="Order ignored")


@router.put(
    "/receipts/{receipt_id}/status",
    response_model=Envelope[Receipt],
    responses=refusals(400, 409),
    openapi_extra=body_schema(KitchenStatus),
)
async def kitchen_status(request: Request, brand: str, receipt_id: str) -> JSON:
    db = database(request)
    body = await parsed(request, KitchenStatus)
    receipt = await in_brand_at(
        db.write, brand, receipt_id, receipts.set_order_status, body.order_status
    )
    return envelope(request.scope, receipt)


@router.post(
    "/receipts/{receipt_id}/close",
    response_model=Envelope[ReceiptClosed],
    responses=refusals(400, 409),
    openapi_extra=body_schema(VenueClose, required=False),
)
async def close(request: Request, brand: str, receipt_id: str) -> JSON:
    db = database(request)
    body = await parsed(request, VenueClose)
    closed = await in_brand_at(
        db.write, brand, receipt_id, receipts.close_at_venue, body.payment_method
    )
    return envelope(request.scope, closed, message="Receipt closed")


@router.get(
    "/venues/{venue_id}/order-mode", response_model=Envelope[OrderModeOut], responses=refusals(400)
)
async def show_mode(request: Request, brand: str, venue_id: str) -> JSON:
    db = database(request)
    mode = await in_brand_at(db.read, brand, venue_id, life.order_mode)
    return envelope(request.scope, mode)


@router.put(
    "/venues/{venue_id}/order-mode",
    response_model=Envelope[OrderModeOut],
    responses=refusals(400),
    openapi_extra=body_schema(OrderModeIn),
)
async def set_mode(request: Request, brand: str, venue_id: str) -> JSON:
    db = database(request)
    body = await parsed(request, OrderModeIn)
    if body.mode == "accept-after" and body.accept_after_seconds is None:
        raise bad_request("accept_after_seconds is required with accept-after")
    mode = await in_brand_at(
        db.write, brand, venue_id, life.set_order_mode, body.mode, body.accept_after_seconds
    )
    return envelope(request.scope, mode)
