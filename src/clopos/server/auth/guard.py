"""The request guard: a pure ASGI middleware in front of every route.

It runs on every request under /open-api except the two token exchanges, so no route can be
added without it. It resolves the caller (token, client state, brand, venue, integrator),
applies the rate-limit tiers, and records every rejection in the audit trail. Scope checks
are per endpoint (`requires(...)` in the routers).
"""

from __future__ import annotations

import itertools
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
from clopos.server.cache import serve_cached
from clopos.server.errors import ApiError
from clopos.server.idempotency import run_idempotent
from clopos.server.responses import send_json
from clopos.server.state import ServerState

V1_PREFIX = "/open-api/"
V2_PREFIX = "/open-api/v2/"
EXCHANGES = frozenset({"/open-api/auth", "/open-api/v2/auth"})
_WANTED = frozenset(
    {b"x-token", b"x-brand", b"x-venue", b"x-stage", b"x-request-id", b"idempotency-key"}
)
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_AUDITED = frozenset({401, 403, 429})


def api_version(path: str) -> int | None:
    """1 or 2 for an API path, None for everything else (docs, health)."""
    if path.startswith(V2_PREFIX) or path == V2_PREFIX[:-1]:
        return 2
    if path.startswith(V1_PREFIX) or path == V1_PREFIX[:-1]:
        return 1
    return None


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


# Unique per process and request without a system call each time: a random prefix per
# process, then a counter.
_ID_PREFIX = secrets.token_hex(6)
_id_counter = itertools.count(1)


def _request_id(supplied: str | None) -> str:
    # Echo a caller's id when it is a sane token, so both sides can correlate logs.
    if supplied and len(supplied) <= 64 and supplied.replace("-", "").isalnum():
        return supplied
    return f"{_ID_PREFIX}{next(_id_counter):012x}"


def _parse_venue(raw: str) -> int:
    try:
        venue = int(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", "x-venue must be a numeric venue id") from None
    if venue < 1:
        raise ApiError(400, "invalid_parameter", "x-venue must be a numeric venue id")
    return venue


class Guard:
    """Authenticates and rate-limits API requests; stamps every response with a request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["started"] = time.perf_counter()
        headers: dict[bytes, str] = {}
        for name, value in scope["headers"]:
            if name in _WANTED:
                headers[name] = value.decode("latin-1")
        request_id = _request_id(headers.get(b"x-request-id"))
        path: str = scope["path"]
        version = api_version(path)
        server: ServerState = scope["app"].state.server
        if "\x00" in path or b"%00" in scope["query_string"].lower():
            # No database stores NUL characters (PostgreSQL refuses them): refuse them here.
            error = ApiError(400, "invalid_parameter", "NUL characters are not accepted")
            await self._answer(error, _stamped(send, request_id, {}))
            return
        if version is None or path in EXCHANGES:
            await self.app(scope, receive, _stamped(send, request_id, {}))
            return

        ip = client_ip(scope)
        extra_headers: dict[str, str] = {}
        audit = AuditRecord(
            event="request", outcome="rejected", status=0, ip=ip, method=scope["method"], path=path
        )
        principal: Principal | None = None
        try:
            await server.feed.poll()
            principal, decision = await self._authenticate(server, version, headers, ip, audit)
            if decision is not None:
                extra_headers = (v1_headers if version == 1 else v2_headers)(decision)
        except ApiError as error:
            state["error_id"] = error.error
            await self._answer(error, _observed(send, scope, request_id, {}, server, ip, audit))
            return
        state["principal"] = principal
        observed = _observed(send, scope, request_id, extra_headers, server, ip, audit)
        assert principal is not None
        idempotency_key = headers.get(b"idempotency-key")
        if idempotency_key is not None and scope["method"] in _WRITES:
            try:
                await run_idempotent(
                    self.app,
                    scope,
                    receive,
                    observed,
                    server.idempotency,
                    principal.client_id,
                    idempotency_key,
                )
            except ApiError as error:
                state["error_id"] = error.error
                await self._answer(error, observed)
            return
        if scope["method"] == "GET" and server.responses.enabled:
            # What an answer depends on: the caller's view (version, brand, venue, scopes) and
            # the request. Everything that could refuse the caller has already run.
            key = (
                version,
                principal.brand_id,
                principal.venue_id,
                principal.scopes,
                path,
                scope["query_string"],
            )
            await serve_cached(
                self.app, scope, receive, observed, server.responses, key, principal.brand_id
            )
            return
        await self.app(scope, receive, observed)

    async def _answer(self, error: ApiError, send: Send) -> None:
        await send_json(send, error.status, orjson.dumps(error.body()), error.headers)

    async def _authenticate(
        self,
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
        claims = self._verify(server, token, version)
        audit.client_id = claims["sub"]
        audit.brand = claims["brand"]
        audit.integrator_id = claims.get("integrator_id")
        client = await server.access.client(claims["sub"])
        self._check_client(client, claims)
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
            await self._check_integrator(server, claims.get("integrator_id"), client)
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

    @staticmethod
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

    @staticmethod
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

    @staticmethod
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


def _stamped(send: Send, request_id: str, extra: dict[str, str]) -> Send:
    encoded = [(b"x-request-id", request_id.encode())]
    encoded += [(k.lower().encode(), v.encode()) for k, v in extra.items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *encoded]
        await send(message)

    return wrapped


def _observed(
    send: Send,
    scope: Scope,
    request_id: str,
    extra: dict[str, str],
    server: ServerState,
    ip: str,
    audit: AuditRecord,
) -> Send:
    """`_stamped`, plus counting failures per IP and auditing rejections."""
    stamped = _stamped(send, request_id, extra)

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            status = int(message["status"])
            if status >= 400:
                await server.limits.hit(server.limits.failed, ip)
            if status in _AUDITED:
                audit.status = status
                audit.reason = scope["state"].get("error_id") or _reason(status)
                server.audit.record(audit)
        await stamped(message)

    return wrapped


def _reason(status: int) -> str:
    return {401: "unauthenticated", 403: "forbidden", 429: "rate_limited"}.get(status, "rejected")
