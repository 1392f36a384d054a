"""The token exchange: credentials in, a token out (`POST /auth`, `POST /v2/auth`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from clopos.schemas.auth import V1AuthRequest, V2AuthRequest
from clopos.server.auth.access import ClientAccess, integrator_refusal
from clopos.server.auth.audit import AuditRecord
from clopos.server.auth.ratelimit import RATE_LIMITED_MESSAGE, Decision, v1_headers, v2_headers
from clopos.server.auth.tokens import TokenGrant
from clopos.server.errors import ApiError
from clopos.server.state import ServerState

INVALID_CREDENTIALS = "Invalid credentials"
_FIELDS = {
    1: ("client_id", "client_secret", "brand", "venue_id"),
    2: ("client_id", "client_secret", "brand", "integrator_id"),
}


@dataclass(frozen=True, slots=True)
class ExchangeResult:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    venue_id: int | None = None


class TokenExchange:
    """Checks credentials in a fixed order and answers a token or the documented error."""

    def __init__(self, server: ServerState) -> None:
        self.server = server

    async def exchange(self, version: int, body: object, ip: str) -> ExchangeResult:
        audit = AuditRecord(
            event="token_exchange",
            outcome="rejected",
            status=0,
            ip=ip,
            method="POST",
            path="/open-api/v2/auth" if version == 2 else "/open-api/auth",
        )
        if isinstance(body, dict):
            audit.client_id = _text(body.get("client_id"))
            audit.brand = _text(body.get("brand"))
            audit.venue_id = _text(body.get("venue_id"))
            audit.integrator_id = _text(body.get("integrator_id"))
        headers: dict[str, str] = {}
        try:
            decision = await self.server.limits.hit(self.server.limits.auth, ip)
            if decision is not None:
                headers = (v1_headers if version == 1 else v2_headers)(decision)
            result = await self._exchange(version, body, decision, ip)
        except ApiError as error:
            audit.status, audit.reason = error.status, error.error
            self.server.audit.record(audit)
            return ExchangeResult(error.status, error.body(), {**headers, **error.headers})
        audit.status = result.status
        audit.outcome = "issued" if result.body.get("success") else "rejected"
        audit.reason = None if result.body.get("success") else str(result.body.get("error"))
        if result.venue_id is not None:
            audit.venue_id = str(result.venue_id)
        self.server.audit.record(audit)
        return ExchangeResult(result.status, result.body, {**headers, **result.headers})

    async def _exchange(
        self, version: int, body: object, decision: Decision | None, ip: str
    ) -> ExchangeResult:
        server = self.server
        if decision is not None and not decision.allowed:
            raise ApiError(
                429,
                "rate_limited",
                RATE_LIMITED_MESSAGE,
                headers=(v1_headers if version == 1 else v2_headers)(decision),
            )
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_request", "Request body must be a JSON object")
        fields = _FIELDS[version]
        if any(body.get(name) in (None, "") for name in fields):
            raise ApiError(
                400, "missing_fields", "Missing " + ", ".join(fields[:-1]) + f", or {fields[-1]}"
            )
        try:
            request = (V1AuthRequest if version == 1 else V2AuthRequest).model_validate(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ApiError(400, "invalid_parameter", f"{where}: {first['msg']}") from None

        await server.feed.poll()
        # Lockout counts wrong secrets per client id *and* source address, for known and
        # unknown ids alike: an unknown id locks exactly as a known one does (its existence
        # does not show), and guessing from elsewhere cannot lock the integration out of its
        # own address. Secrets are 256-bit, so the lockout only slows noise down.
        lockout_key = lockout_key_of(request.client_id, ip)
        locked = await server.limits.peek(server.limits.lockout, lockout_key)
        if locked is not None and not locked.allowed:
            raise ApiError(
                429,
                "too_many_attempts",
                "Too many failed attempts for this client id; try again later",
                headers={"Retry-After": str(locked.reset_in)},
            )
        client = await server.access.client(request.client_id)
        secret_id = self._match_secret(client, request.client_secret)
        if client is None or secret_id is None:
            await server.limits.hit(server.limits.lockout, lockout_key)
            raise ApiError(400, "authentication_failed", INVALID_CREDENTIALS)
        if client.brand != request.brand:
            raise ApiError(400, "authentication_failed", INVALID_CREDENTIALS)
        await server.limits.clear(server.limits.lockout, lockout_key)
        if not client.enabled:
            raise ApiError(400, "client_disabled", "Client is disabled")
        if not client.brand_enabled:
            raise ApiError(400, "brand_disabled", "Open API access is disabled for this brand")

        if isinstance(request, V1AuthRequest):
            venue_id = _venue_id(request.venue_id)
            if venue_id not in client.venue_ids:
                raise ApiError(
                    400, "venue_not_granted", f"This client is not granted venue {venue_id}"
                )
            integrator_id = None
        else:
            integrator = await server.access.integrator(request.integrator_id)
            refusal = integrator_refusal(integrator, client)
            if refusal is not None and refusal[0] == "integrator_mode_mismatch":
                # Documented: "for historical reasons" this refusal is a 200 with success false.
                body = {"success": False, "error": refusal[0], "message": refusal[1]}
                return ExchangeResult(200, body, {})
            if refusal is not None:
                raise ApiError(400, *refusal)
            venue_id = _default_venue(client)
            integrator_id = request.integrator_id

        issued = server.tokens.issue(
            TokenGrant(
                version=version,
                client_id=client.client_id,
                brand=client.brand,
                stage=client.brand_mode,
                venue_id=venue_id,
                secret_id=secret_id,
                epoch=client.epoch,
                integrator_id=integrator_id,
            )
        )
        response: dict[str, Any] = {
            "success": True,
            "token": issued.token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
        }
        if version == 2:
            response["expires_at"] = issued.expires_at
        response["message"] = "Authentication successful"
        return ExchangeResult(200, response, {"Cache-Control": "no-store"}, venue_id)

    def _match_secret(self, client: ClientAccess | None, secret: str) -> str | None:
        """The id of the client's secret that `secret` is, comparing in constant time."""
        if client is None:
            # The same HMAC and comparison a known client with one secret costs.
            self.server.hasher.matches(secret, None)
            return None
        found = None
        for secret_id, digest in client.secrets.items():
            if self.server.hasher.matches(secret, digest):
                found = secret_id
        return found


def lockout_key_of(client_id: str, ip: str) -> str:
    """The lockout counter of one client id from one address (the id trimmed: a counter key
    is not a place to store whatever an attacker sends)."""
    return f"{ip} {client_id[:128]}"


def _venue_id(raw: str) -> int:
    try:
        venue = int(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", "venue_id must be a numeric venue id") from None
    if venue < 1:
        raise ApiError(400, "invalid_parameter", "venue_id must be a numeric venue id")
    return venue


def _default_venue(client: ClientAccess) -> int:
    if client.default_venue_id is not None and client.default_venue_id in client.venue_ids:
        return client.default_venue_id
    if not client.venue_ids:
        raise ApiError(400, "venue_not_granted", "This client is not granted any venue")
    return min(client.venue_ids)


def _text(value: object) -> str | None:
    # Whatever a caller sent, trimmed to fit the audit column and without NUL characters.
    return None if value is None else str(value).replace("\x00", "")[:64]
