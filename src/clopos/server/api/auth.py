"""`POST /open-api/auth` (v1) and `POST /open-api/v2/auth` (v2)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request

from clopos.schemas.auth import AuthResponse, V1AuthRequest, V2AuthRequest, V2AuthResponse
from clopos.schemas.common import ErrorBody
from clopos.server.api._bodies import body_schema
from clopos.server.api._common import body_of
from clopos.server.auth.exchange import TokenExchange
from clopos.server.pipeline.context import client_ip
from clopos.server.responses import JSON

router = APIRouter(tags=["Authentication"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Missing fields or invalid credentials"},
    429: {"model": ErrorBody, "description": "Too many attempts from this IP or for this client"},
}


async def _exchange(request: Request, version: int) -> JSON:
    raw = await body_of(request)
    try:
        body: object = orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError:
        body = None
    result = await TokenExchange(request.app.state.server).exchange(
        version, body, client_ip(request.scope)
    )
    return JSON(result.body, status_code=result.status, headers=result.headers)


@router.post(
    "/open-api/auth",
    summary="Exchange credentials for a v1 token",
    response_model=AuthResponse,
    responses=_ERRORS,
    openapi_extra=body_schema(V1AuthRequest),
)
async def auth_v1(request: Request) -> JSON:
    """Answers an `oauth_…` token valid for the brand and venue asked for."""
    return await _exchange(request, 1)


@router.post(
    "/open-api/v2/auth",
    summary="Exchange credentials for a v2 token (JWT)",
    response_model=V2AuthResponse | ErrorBody,
    responses={
        **_ERRORS,
        200: {
            "model": V2AuthResponse,
            "description": "A token; or, for a test integrator on a production brand, "
            "`success: false` (documented historical behaviour)",
        },
    },
    openapi_extra=body_schema(V2AuthRequest),
)
async def auth_v2(request: Request) -> JSON:
    """Answers a JWT for the brand, attributed to the integrator."""
    return await _exchange(request, 2)
