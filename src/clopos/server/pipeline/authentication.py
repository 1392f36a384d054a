"""Who is calling, and whether they may: tokens, client and integrator state, the brand and
venue headers, the stage, and the rate-limit tiers.

Runs on every request under /open-api except the two token exchanges, so no route can be
added without it. It first catches up with the change log, so a revocation made anywhere
takes effect on this request. Scope checks are per endpoint (`granted(request, scope)` in
the routes).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from clopos.server.auth.access import ClientAccess, integrator_refusal
from clopos.server.auth.audit import AuditRecord
from clopos.server.auth.principal import Principal
from clopos.server.auth.ratelimit import (
    RATE_LIMITED_MESSAGE,
    Decision,
    tightest,
    v1_headers,
    v2_headers,
)
from clopos.server.auth.tokens import TokenExpired, TokenInvalid
from clopos.server.errors import ApiError
from clopos.server.pipeline.context import request_context, serving
from clopos.server.responses import refuse
from clopos.server.state import ServerState

_WANTED = frozenset({b"x-token", b"x-brand", b"x-venue", b"x-stage"})


class Authentication:
    """Resolves the caller into `context.principal`, or answers the refusal."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = request_context(scope)
        if context is None or not context.guarded:
            await self.app(scope, receive, send)
            return
        assert context.version is not None and context.audit is not None
        server = serving(context)
        headers: dict[bytes, str] = {}
        for name, value in scope["headers"]:
            if name in _WANTED:
                headers[name] = value.decode("latin-1")
        try:
            await server.feed.poll()
            principal, decision = await authenticate(
                server, context.version, headers, context.ip, context.audit
            )
        except ApiError as error:
            await refuse(error, scope, send)
            return
        if decision is not None:
            encoded = (v1_headers if context.version == 1 else v2_headers)(decision)
            context.response_headers += [
                (name.lower().encode(), value.encode()) for name, value in encoded.items()
            ]
        context.principal = principal
        await self.app(scope, receive, send)


def _parse_venue(raw: str) -> int:
    try:
        venue = int(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", "x-venue must be a numeric venue id") from None
    if venue < 1:
        raise ApiError(400, "invalid_parameter", "x-venue must be a numeric venue id")
    return venue


async def authenticate(
    server: ServerState,
    version: int,
    headers: dict[bytes, str],
    ip: str,
    audit: AuditRecord,
) -> tuple[Principal, Decision | None]:
    limits = server.limits
    pre = await limits.peek(limits.failed, ip)
    if pre is not None and not pre.allowed:
        raise _rate_limited(pre, version)

    token = headers.get(b"x-token")
    brand_header = headers.get(b"x-brand")
    venue_header = headers.get(b"x-venue")
    missing = [
        name
        for name, value in (
            ("x-token", token),
            ("x-brand", brand_header if version == 1 else ""),
            ("x-venue", venue_header if version == 1 else ""),
        )
        if value is None
    ]
    if missing or not token:
        raise ApiError(
            401,
            "unauthorized",
            "Missing authentication headers: " + ", ".join(missing or ["x-token"]),
        )
    claims = _verify(server, token, version)
    audit.client_id = claims["sub"]
    audit.brand = claims["brand"]
    audit.integrator_id = claims.get("integrator_id")
    client = await server.access.client(claims["sub"])
    _check_client(client, claims)
    assert client is not None

    venue_id: int = claims["venue_id"]
    if version == 1:
        if brand_header != client.brand:
            raise ApiError(
                403, "brand_forbidden", "This token was not issued for the brand in x-brand"
            )
        assert venue_header is not None
        if _parse_venue(venue_header) != venue_id:
            raise ApiError(
                403, "venue_forbidden", "This token was not issued for the venue in x-venue"
            )
    else:
        if brand_header is not None and brand_header != client.brand:
            raise ApiError(
                403, "brand_forbidden", "This token was not issued for the brand in x-brand"
            )
        await _check_integrator(server, claims.get("integrator_id"), client)
        if venue_header is not None:
            venue_id = _parse_venue(venue_header)
    audit.venue_id = str(venue_id)
    if venue_id not in client.venue_ids:
        raise ApiError(403, "venue_forbidden", f"This client is not granted venue {venue_id}")
    stage = headers.get(b"x-stage")
    if stage is not None and stage != client.brand_mode:
        raise ApiError(
            403,
            "stage_mismatch",
            f"x-stage '{stage}' does not match the brand's stage '{client.brand_mode}'",
        )

    if version == 1:
        decision = tightest(
            await limits.hit(limits.v1_minute, client.client_id),
            await limits.hit(limits.v1_hour, client.client_id),
        )
    else:
        tenant_key = f"{claims.get('integrator_id')}:{client.brand}"
        decision = await limits.hit(limits.tenant, tenant_key)
    if decision is not None and not decision.allowed:
        raise _rate_limited(decision, version)
    principal = Principal(
        version=version,
        client_id=client.client_id,
        brand_id=client.brand_id,
        brand=client.brand,
        venue_id=venue_id,
        integrator_id=claims.get("integrator_id"),
        scopes=client.scopes,
        stage=client.brand_mode,
    )
    return principal, decision


def _verify(server: ServerState, token: str, version: int) -> dict[str, Any]:
    try:
        return server.tokens.verify(token, version)
    except TokenExpired as expired:
        moment = datetime.fromtimestamp(expired.expires_at, UTC)
        raise ApiError(
            401,
            "token_expired",
            "Token expired",
            extra={"expires_at": moment.isoformat().replace("+00:00", "Z")},
        ) from None
    except TokenInvalid:
        raise ApiError(401, "invalid_token", "Invalid token") from None


def _check_client(client: ClientAccess | None, claims: dict[str, Any]) -> None:
    if client is None or client.brand != claims["brand"]:
        raise ApiError(401, "token_revoked", "Token has been revoked: unknown client")
    if not client.enabled:
        raise ApiError(401, "token_revoked", "Token has been revoked: client is disabled")
    if not client.brand_enabled:
        raise ApiError(401, "token_revoked", "Token has been revoked: brand access is disabled")
    if claims["ep"] != client.epoch:
        raise ApiError(401, "token_revoked", "Token has been revoked")
    if claims["sid"] not in client.secrets:
        raise ApiError(
            401, "token_revoked", "Token has been revoked: its client secret was rotated"
        )


async def _check_integrator(
    server: ServerState, integrator_id: str | None, client: ClientAccess
) -> None:
    integrator = await server.access.integrator(integrator_id) if integrator_id else None
    refusal = integrator_refusal(integrator, client)
    if refusal is not None:
        raise ApiError(401, *refusal)


def _rate_limited(decision: Decision, version: int) -> ApiError:
    headers = (v1_headers if version == 1 else v2_headers)(decision)
    return ApiError(429, "rate_limited", RATE_LIMITED_MESSAGE, headers=headers)
