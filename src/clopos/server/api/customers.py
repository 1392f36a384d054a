"""`GET /customers`, `GET /customers/{id}`, `POST /customers`, `GET /customer-groups`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.customers import service as customers
from clopos.core.formats import parse_id
from clopos.core.listing import check_relations
from clopos.core.query import parse_relations
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.customers import Customer, CustomerCreate, CustomerGroup
from clopos.server.api._bodies import body_schema
from clopos.server.api._common import (
    validated_body,
)
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import RecordId
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["customers"])


@router.get("/customers", response_model=ListEnvelope[Customer])
async def list_customers(request: Request) -> JSON:
    principal = granted(request, scopes.CUSTOMERS_READ)
    db = database(request)
    query = customers.SPEC.parse(request.query_params.multi_items())
    page = await db.read(customers.list_customers, principal.brand_id, query)
    return envelope(request.scope, page.rows, total=page.total, sorts=customers.SPEC.sort_names)


@router.get("/customers/{customer_id}", response_model=Envelope[Customer])
async def get_customer(request: Request, customer_id: RecordId) -> JSON:
    principal = granted(request, scopes.CUSTOMERS_READ)
    db = database(request)
    relations = parse_relations(request.query_params.multi_items())
    check_relations(relations, customers.SPEC.relations)
    customer = await db.read(
        customers.get_customer, principal.brand_id, parse_id(customer_id), relations
    )
    return envelope(request.scope, customer)


@router.post(
    "/customers",
    response_model=Envelope[Customer],
    openapi_extra=body_schema(CustomerCreate),
)
async def create_customer(request: Request) -> JSON:
    principal = granted(request, scopes.CUSTOMERS_WRITE)
    db = database(request)
    body = await validated_body(request, CustomerCreate)
    customer = await db.write(
        customers.create_customer,
        principal.brand_id,
        principal.venue_id,
        body.model_dump(exclude_unset=True),
    )
    return envelope(request.scope, customer, message="Customer created successfully")


@router.get("/customer-groups", response_model=ListEnvelope[CustomerGroup])
async def list_customer_groups(request: Request) -> JSON:
    principal = granted(request, scopes.CUSTOMERS_READ)
    db = database(request)
    query = customers.GROUP_SPEC.parse(request.query_params.multi_items())
    page = await db.read(customers.list_groups, principal.brand_id, query)
    return envelope(
        request.scope, page.rows, total=page.total, sorts=customers.GROUP_SPEC.sort_names
    )
