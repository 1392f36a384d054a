"""A brand's webhooks on the operator API: `/admin/api/brands/{brand}/webhooks[...]`.

`GET|POST ""` list, subscribe (the answer shows the secret once); `DELETE /{id}`;
`POST /{id}/rotate-secret`; `GET /deliveries[?subscription_id=&status=&limit=]`, the
delivery log; `POST /deliveries/replay`.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Query, Request

from clopos.core.webhooks import deliveries, subscriptions
from clopos.core.webhooks.types import DeliveryStatus
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.webhooks import (
    WebhookDelivery,
    WebhookReplayed,
    WebhookReplayIn,
    WebhookRotateIn,
    WebhookSubscription,
    WebhookSubscriptionCreated,
    WebhookSubscriptionIn,
)
from clopos.server.api._bodies import body_schema, parsed, refusals
from clopos.server.api._brand import in_brand
from clopos.server.api.deps import database, require_operator
from clopos.server.responses import JSON, envelope

# The operator token is checked before anything of the request is read.
router = APIRouter(
    prefix="/admin/api/brands/{brand}/webhooks",
    tags=["operator"],
    dependencies=[Depends(require_operator)],
)


@router.get("", response_model=ListEnvelope[WebhookSubscription], responses=refusals(400))
async def list_subscriptions(request: Request, brand: str) -> JSON:
    db = database(request)
    rows = await in_brand(db.read, brand, subscriptions.listing)
    return envelope(request.scope, rows, total=len(rows))


@router.post(
    "",
    status_code=201,
    response_model=Envelope[WebhookSubscriptionCreated],
    responses=refusals(400),
    openapi_extra=body_schema(WebhookSubscriptionIn),
)
async def subscribe(request: Request, brand: str) -> JSON:
    db = database(request)
    body = await parsed(request, WebhookSubscriptionIn)
    seal = request.app.state.server.seal
    created = await in_brand(
        db.write, brand, subscriptions.add, body.url, body.events, seal, body.secret
    )
    return envelope(request.scope, {**created.subscription, "secret": created.secret}, status=201)


@router.get("/deliveries", response_model=ListEnvelope[WebhookDelivery], responses=refusals(400))
async def delivery_log(
    request: Request,
    brand: str,
    subscription_id: str | None = Query(None, max_length=40),
    status: DeliveryStatus | None = None,
    limit: int = Query(50, ge=1, le=1000),
) -> JSON:
    db = database(request)
    rows = await in_brand(db.read, brand, deliveries.listing, subscription_id, status, limit)
    return envelope(request.scope, rows, total=len(rows))


@router.post(
    "/deliveries/replay",
    response_model=Envelope[WebhookReplayed],
    responses=refusals(400),
    openapi_extra=body_schema(WebhookReplayIn),
)
async def replay(request: Request, brand: str) -> JSON:
    db = database(request)
    body = await parsed(request, WebhookReplayIn)
    count = await in_brand(
        db.write, brand, deliveries.replay, body.ids, body.subscription_id, body.status
    )
    sender = request.app.state.server.webhooks
    if sender is not None:
        sender.wake()
    return envelope(request.scope, {"replayed": count})


@router.delete(
    "/{subscription_id}", response_model=Envelope[WebhookSubscription], responses=refusals(400)
)
async def remove(request: Request, brand: str, subscription_id: str) -> JSON:
    db = database(request)
    removed = await in_brand(db.write, brand, subscriptions.remove, subscription_id)
    return envelope(request.scope, removed)


@router.post(
    "/{subscription_id}/rotate-secret",
    response_model=Envelope[WebhookSubscriptionCreated],
    responses=refusals(400),
    openapi_extra=body_schema(WebhookRotateIn, required=False),
)
async def rotate_secret(request: Request, brand: str, subscription_id: str) -> JSON:
    db = database(request)
    body = await parsed(request, WebhookRotateIn)
    seal = request.app.state.server.seal
    overlap = timedelta(hours=body.overlap_hours)
    created = await in_brand(
        db.write, brand, subscriptions.rotate_secret, subscription_id, seal, overlap
    )
    return envelope(request.scope, {**created.subscription, "secret": created.secret})
