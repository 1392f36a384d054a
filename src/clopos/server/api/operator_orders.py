"""The venue's side on the operator API: what a terminal would do with orders and receipts.

`/admin/api/brands/{brand}/orders[?status=S]`, `.../orders/{id}/accept`,
`.../orders/{id}/ignore`, `.../receipts/{id}/status`, `.../receipts/{id}/close`,
`.../venues/{venue_id}/order-mode`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from clopos.core.access.brands import brand_id_of
from clopos.core.errors import bad_request
from clopos.core.formats import parse_id
from clopos.core.orders import life
from clopos.core.orders import read as orders
from clopos.core.receipts import kitchen
from clopos.core.receipts import venue_side as receipts
from clopos.schemas.common import Envelope, ListEnvelope, WireModel
from clopos.schemas.orders import Order, OrderModeIn, OrderModeOut
from clopos.schemas.receipts import Receipt, ReceiptClosed
from clopos.server.api._bodies import body_schema, parsed, refusals
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
    brand_id = await db.read(brand_id_of, brand)
    page = await db.read(orders.list_orders, brand_id, query)
    return envelope(request.scope, page.rows, total=page.total)


@router.post(
    "/orders/{order_id}/accept", response_model=Envelope[Order], responses=refusals(400, 409)
)
async def accept(request: Request, brand: str, order_id: str) -> JSON:
    db = database(request)
    brand_id = await db.read(brand_id_of, brand)
    order = await db.write(life.accept_order, brand_id, parse_id(order_id))
    return envelope(request.scope, order, message="Order accepted")


@router.post(
    "/orders/{order_id}/ignore", response_model=Envelope[Order], responses=refusals(400, 409)
)
async def ignore(request: Request, brand: str, order_id: str) -> JSON:
    db = database(request)
    brand_id = await db.read(brand_id_of, brand)
    order = await db.write(life.ignore_order, brand_id, parse_id(order_id))
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
    brand_id = await db.read(brand_id_of, brand)
    receipt = await db.write(
        receipts.set_order_status, brand_id, parse_id(receipt_id), body.order_status
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
    brand_id = await db.read(brand_id_of, brand)
    closed = await db.write(
        receipts.close_at_venue, brand_id, parse_id(receipt_id), body.payment_method
    )
    return envelope(request.scope, closed, message="Receipt closed")


@router.get(
    "/venues/{venue_id}/order-mode", response_model=Envelope[OrderModeOut], responses=refusals(400)
)
async def show_mode(request: Request, brand: str, venue_id: str) -> JSON:
    db = database(request)
    brand_id = await db.read(brand_id_of, brand)
    mode = await db.read(life.order_mode, brand_id, parse_id(venue_id))
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
    brand_id = await db.read(brand_id_of, brand)
    mode = await db.write(
        life.set_order_mode, brand_id, parse_id(venue_id), body.mode, body.accept_after_seconds
    )
    return envelope(request.scope, mode)
