"""What every route asks of its request: the caller, its scope check, the database.

Routes call these themselves rather than declaring them as FastAPI dependencies: a route
that takes only the request and its path parameters is called by the route index directly,
without FastAPI's dependency solving (server/route_index.py)."""

from __future__ import annotations

import hmac

from fastapi import Request

from clopos.server.auth.principal import Principal
from clopos.server.errors import ApiError
from clopos.server.idempotency import database_for
from clopos.server.pipeline.context import request_context
from clopos.store.db import Database


def current_principal(request: Request) -> Principal:
    """The caller the pipeline authenticated; it runs before any route."""
    context = request_context(request.scope)
    principal = context.principal if context is not None else None
    if principal is None:  # only reachable if a route escaped the pipeline
        raise ApiError(401, "unauthorized", "Missing authentication headers")
    return principal


def granted(request: Request, scope: str) -> Principal:
    """The caller, if its client holds `scope`; else 403."""
    principal = current_principal(request)
    if scope not in principal.scopes:
        raise ApiError(
            403,
            "insufficient_scope",
            f"This client is not granted the '{scope}' scope",
            extra={"required_scope": scope},
        )
    return principal


async def require_operator(request: Request) -> None:
    """The operator API answers only `Authorization: Bearer <CLOPOS_ADMIN_TOKEN>`."""
    configured = request.app.state.server.settings.admin_token
    if configured is None:
        raise ApiError(404, "not_found", "The operator API is disabled (set CLOPOS_ADMIN_TOKEN)")
    scheme, _, supplied = request.headers.get("authorization", "").partition(" ")
    expected = configured.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(supplied.strip().encode(), expected):
        raise ApiError(
            401,
            "unauthorized",
            "Missing or invalid operator token",
            headers={"WWW-Authenticate": 'Bearer realm="clopos-operator"'},
        )


def database(request: Request) -> Database:
    """The database; under a claimed `Idempotency-Key`, one whose writes also mark the claim
    committed in their own transaction (see idempotency.py)."""
    db: Database = request.app.state.db
    return database_for(request.scope, db)
