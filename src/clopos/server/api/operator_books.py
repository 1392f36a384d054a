"""The venue's till and stock on the operator API: what a POS terminal and a back office
would do. `/admin/api/brands/{brand}/venues/{venue_id}/shift/open|close|cash`,
`.../customers/{id}/deposit`, `.../operations` (post an inventory document),
`.../operations/{id}/publish`, `.../suppliers`, `.../storages`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from clopos.core.finance import deposits, shifts
from clopos.core.inventory import documents
from clopos.core.inventory.documents import DocumentDraft, ItemDraft
from clopos.schemas.common import Envelope
from clopos.schemas.finance import (
    CashMove,
    CashMoved,
    CashShift,
    CustomerDeposit,
    CustomerDeposited,
    ShiftClose,
    ShiftClosed,
    ShiftOpen,
)
from clopos.schemas.inventory import (
    Operation,
    OperationCreate,
    Storage,
    StorageCreate,
    Supplier,
    SupplierCreate,
)
from clopos.server.api._bodies import body_schema, parsed, refusals
from clopos.server.api._brand import in_brand, in_brand_at
from clopos.server.api.deps import database, require_operator
from clopos.server.responses import JSON, envelope

# The operator token is checked before anything of the request is read.
router = APIRouter(
    prefix="/admin/api/brands/{brand}", tags=["operator"], dependencies=[Depends(require_operator)]
)


@router.post(
    "/venues/{venue_id}/shift/open",
    status_code=201,
    response_model=Envelope[CashShift],
    responses=refusals(400, 404, 409),
    openapi_extra=body_schema(ShiftOpen),
)
async def open_shift(request: Request, brand: str, venue_id: str) -> JSON:
    db = database(request)
    body = await parsed(request, ShiftOpen)
    shift = await in_brand_at(
        db.write,
        brand,
        venue_id,
        shifts.opened,
        amount=body.amount,
        by=body.by,
        description=body.description,
    )
    return envelope(request.scope, shift, message="Cash shift opened", status=201)


@router.post(
    "/venues/{venue_id}/shift/close",
    response_model=Envelope[ShiftClosed],
    responses=refusals(400, 404, 409),
    openapi_extra=body_schema(ShiftClose),
)
async def close_shift(request: Request, brand: str, venue_id: str) -> JSON:
    db = database(request)
    body = await parsed(request, ShiftClose)
    shift = await in_brand_at(
        db.write, brand, venue_id, shifts.closed, amount=body.amount, by=body.by
    )
    return envelope(request.scope, shift, message="Cash shift closed")


@router.post(
    "/venues/{venue_id}/shift/cash",
    status_code=201,
    response_model=Envelope[CashMoved],
    responses=refusals(400, 404, 409),
    openapi_extra=body_schema(CashMove),
)
async def move_cash(request: Request, brand: str, venue_id: str) -> JSON:
    db = database(request)
    body = await parsed(request, CashMove)
    moved = await in_brand_at(
        db.write, brand, venue_id, shifts.cash_move, body.amount, description=body.description
    )
    return envelope(request.scope, {"transaction_id": moved}, status=201)


@router.post(
    "/customers/{customer_id}/deposit",
    status_code=201,
    response_model=Envelope[CustomerDeposited],
    responses=refusals(400, 404),
    openapi_extra=body_schema(CustomerDeposit),
)
async def deposit(request: Request, brand: str, customer_id: str) -> JSON:
    db = database(request)
    body = await parsed(request, CustomerDeposit)
    held = await in_brand_at(
        db.write,
        brand,
        customer_id,
        deposits.deposit,
        body.amount,
        body.payment_method_id,
        venue_id=body.venue_id,
        description=body.description,
    )
    return envelope(request.scope, held, message="Deposit made", status=201)


@router.post(
    "/operations",
    status_code=201,
    response_model=Envelope[Operation],
    responses=refusals(400, 404, 409),
    openapi_extra=body_schema(OperationCreate),
)
async def post_operation(request: Request, brand: str) -> JSON:
    db = database(request)
    body = await parsed(request, OperationCreate)
    draft = DocumentDraft(
        type=body.type,
        storage_id=body.storage_id,
        items=[ItemDraft(i.product_id, i.quantity, i.cost) for i in body.items],
        to_storage_id=body.to_storage_id,
        supplier_id=body.supplier_id,
        balance_id=body.balance_id,
        paid=body.paid,
        description=body.description,
        status=body.status,
        by=body.operated_by,
    )
    operation = await in_brand(db.write, brand, documents.posted, draft)
    return envelope(request.scope, operation, message="Operation created", status=201)


@router.post(
    "/operations/{operation_id}/publish",
    response_model=Envelope[Operation],
    responses=refusals(404, 409),
)
async def publish_operation(request: Request, brand: str, operation_id: str) -> JSON:
    db = database(request)
    operation = await in_brand_at(db.write, brand, operation_id, documents.published)
    return envelope(request.scope, operation, message="Operation published")


@router.post(
    "/suppliers",
    status_code=201,
    response_model=Envelope[Supplier],
    responses=refusals(400),
    openapi_extra=body_schema(SupplierCreate),
)
async def add_supplier(request: Request, brand: str) -> JSON:
    db = database(request)
    body = await parsed(request, SupplierCreate)
    supplier = await in_brand(
        db.write,
        brand,
        documents.supplier_added,
        body.name,
        phone=body.phone,
        email=body.email,
        address=body.address,
        description=body.description,
    )
    return envelope(request.scope, supplier, status=201)


@router.post(
    "/storages",
    status_code=201,
    response_model=Envelope[Storage],
    responses=refusals(400, 404),
    openapi_extra=body_schema(StorageCreate),
)
async def add_storage(request: Request, brand: str) -> JSON:
    db = database(request)
    body = await parsed(request, StorageCreate)
    storage = await in_brand(db.write, brand, documents.storage_added, body.name, body.venue_id)
    return envelope(request.scope, storage, status=201)
