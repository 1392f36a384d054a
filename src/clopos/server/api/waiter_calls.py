"""`POST /waiter-call` (v2, reference 2.12): `{"success": true}`, or 400 `{"success":
false, ...}` for an unknown table, a bad type or a missing or unusable payment method."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.errors import Invalid
from clopos.core.waiter_calls.calls import call_waiter
from clopos.schemas.waiter_calls import WaiterCallBody, WaiterCalled
from clopos.server.api._bodies import body_schema, refusals
from clopos.server.api._common import body_of
from clopos.server.api.deps import database, granted
from clopos.server.responses import JSON, cacheable

router = APIRouter(tags=["waiter call"])


@router.post(
    "/waiter-call",
    response_model=WaiterCalled,
    responses=refusals(400),
    openapi_extra=body_schema(WaiterCallBody),
)
async def waiter_call(request: Request) -> JSON:
    principal = granted(request, scopes.WAITER_CALLS_WRITE)
    db = database(request)
    raw = await body_of(request)
    try:
        body: Any = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError:
        raise Invalid("The request body must be valid JSON.", error="validation_failed") from None
    if not isinstance(body, dict):
        raise Invalid("The request body must be a JSON object.", error="validation_failed")
    await db.write(
        call_waiter,
        principal.brand_id,
        body.get("table_id"),
        body.get("type"),
        body.get("payment_method"),
    )
    return cacheable(request.scope, {"success": True}, stamped=False)
