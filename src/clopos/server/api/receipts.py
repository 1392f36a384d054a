"""Receipts. Both versions: `GET /receipts`, `GET /receipts/{id}`, `PATCH /receipts/{id}`.
v1 only: `POST /receipts`, `PUT /receipts/{id}`, `DELETE /receipts/{id}`. v2 only:
`POST /receipts/{id}/close`, `GET /receipts/cid/{cid}`, `GET /receipts/{id}/stock-operations`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.formats import parse_id
from clopos.core.query import parse_relations
from clopos.core.receipts import payments, terminal, venue_side
from clopos.core.receipts import read as receipts
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.receipts import (
    Receipt,
    ReceiptClose,
    ReceiptClosed,
    ReceiptCreate,
    ReceiptPatch,
    ReceiptRemoved,
    ReceiptUpdate,
    StockOperation,
)
from clopos.server.api import receipt_bodies
from clopos.server.api._bodies import body_schema, parsed, refusals
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import RecordId
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["receipts"])
v1_router = APIRouter(tags=["receipts"])
v2_router = APIRouter(tags=["receipts"])


@router.get("/receipts", response_model=ListEnvelope[Receipt])
async def list_receipts(request: Request) -> JSON:
    principal = granted(request, scopes.RECEIPTS_READ)
    db = database(request)
    query = receipts.SPEC.parse(request.query_params.multi_items())
    page = await db.read(receipts.list_receipts, principal.brand_id, query)
    return envelope(request.scope, page.rows, total=page.total, sorts=receipts.SPEC.sort_names)


@router.get("/receipts/{receipt_id}", response_model=Envelope[Receipt])
async def get_receipt(request: Request, receipt_id: RecordId) -> JSON:
    principal = granted(request, scopes.RECEIPTS_READ)
    db = database(request)
    relations = parse_relations(request.query_params.multi_items())
    receipt = await db.read(
        receipts.get_receipt, principal.brand_id, parse_id(receipt_id), relations
    )
    return envelope(request.scope, receipt)


@router.patch(
    "/receipts/{receipt_id}",
    response_model=Envelope[Receipt],
    responses=refusals(409),
    openapi_extra=body_schema(ReceiptPatch),
)
async def patch_receipt(request: Request, receipt_id: RecordId) -> JSON:
    principal = granted(request, scopes.RECEIPTS_WRITE)
    db = database(request)
    body = await parsed(request, ReceiptPatch, "Invalid field values provided")
    receipt = await db.write(
        venue_side.patch_receipt,
        principal.brand_id,
        parse_id(receipt_id),
        receipt_bodies.patch_fields(body),
    )
    return envelope(request.scope, receipt, message="Operation completed successfully")


@v1_router.post(
    "/receipts",
    status_code=201,
    response_model=Envelope[Receipt],
    openapi_extra=body_schema(ReceiptCreate),
)
async def create_receipt(request: Request) -> JSON:
    principal = granted(request, scopes.RECEIPTS_WRITE)
    db = database(request)
    body = await parsed(request, ReceiptCreate)
    receipt = await db.write(
        terminal.create_receipt,
        principal.brand_id,
        principal.venue_id,
        receipt_bodies.terminal_receipt(body),
    )
    return envelope(request.scope, receipt, message="Receipt created", status=201)


@v1_router.put(
    "/receipts/{receipt_id}",
    response_model=Envelope[Receipt],
    responses=refusals(409),
    openapi_extra=body_schema(ReceiptUpdate),
)
async def update_receipt(request: Request, receipt_id: RecordId) -> JSON:
    principal = granted(request, scopes.RECEIPTS_WRITE)
    db = database(request)
    body = await parsed(request, ReceiptUpdate)
    receipt = await db.write(
        terminal.update_receipt,
        principal.brand_id,
        parse_id(receipt_id),
        receipt_bodies.terminal_change(body),
    )
    return envelope(request.scope, receipt, message="Operation completed successfully")


@v1_router.delete(
    "/receipts/{receipt_id}", response_model=Envelope[ReceiptRemoved], responses=refusals(409)
)
async def delete_receipt(request: Request, receipt_id: RecordId) -> JSON:
    principal = granted(request, scopes.RECEIPTS_WRITE)
    db = database(request)
    removed = await db.write(terminal.delete_receipt, principal.brand_id, parse_id(receipt_id))
    return envelope(request.scope, removed, message="Receipt removed successfully")


@v2_router.post(
    "/receipts/{receipt_id}/close",
    response_model=Envelope[ReceiptClosed],
    responses=refusals(409),
    openapi_extra=body_schema(ReceiptClose),
)
async def close_receipt(request: Request, receipt_id: RecordId) -> JSON:
    principal = granted(request, scopes.RECEIPTS_WRITE)
    db = database(request)
    body = await parsed(request, ReceiptClose)
    closed = await db.write(
        payments.close_receipt,
        principal.brand_id,
        parse_id(receipt_id),
        receipt_bodies.payments(body.payment_methods),
        body.closed_at,
        ends_unit=True,
    )
    return envelope(request.scope, closed, message="Receipt closed")


@v2_router.get("/receipts/cid/{cid}", response_model=Envelope[Receipt])
async def get_receipt_by_cid(request: Request, cid: str) -> JSON:
    principal = granted(request, scopes.RECEIPTS_READ)
    db = database(request)
    relations = parse_relations(request.query_params.multi_items())
    receipt = await db.read(receipts.get_by_cid, principal.brand_id, cid, relations)
    return envelope(request.scope, receipt)


@v2_router.get(
    "/receipts/{receipt_id}/stock-operations", response_model=Envelope[list[StockOperation]]
)
async def stock_operations(request: Request, receipt_id: RecordId) -> JSON:
    principal = granted(request, scopes.RECEIPTS_READ)
    db = database(request)
    operations = await db.read(receipts.stock_operations, principal.brand_id, parse_id(receipt_id))
    # The documented example is `{"data": [...]}`; the envelope's other fields are added,
    # since a real client requires them (compatibility.md).
    return envelope(request.scope, operations)
