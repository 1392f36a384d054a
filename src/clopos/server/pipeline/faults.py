"""Sandbox fault injection: the next matching requests of a test-mode brand are answered
with an error (429, 500, 502, 503, 504, with the documented bodies and headers) or delayed.

Armed through the sandbox controls (`clopos.testing`, `/admin/api/sandbox/...`), which exist
only when `CLOPOS_SANDBOX_CONTROLS` is set and only for brands in test mode. The piece sits
after authentication, so a fault applies to the brand the request was authenticated for (a
token exchange: the brand its body names, for a client of that brand); without armed faults
it only looks at an empty table.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.auth.ratelimit import (
    RATE_LIMITED_MESSAGE,
    Decision,
    v1_headers,
    v2_headers,
)
from clopos.server.errors import ApiError
from clopos.server.fault_statuses import status_refusal
from clopos.server.pipeline.context import (
    EXCHANGES,
    V1_PREFIX,
    V2_PREFIX,
    RequestContext,
    request_context,
)
from clopos.server.responses import refuse

if TYPE_CHECKING:
    from clopos.server.state import ServerState

_RATE_HEADERS = (b"ratelimit-", b"x-ratelimit-", b"retry-after")
UPSTREAM_TIMEOUT_MESSAGE = "The upstream did not respond within 8 seconds"


def api_path(path: str) -> str:
    """`/open-api/v2/orders/5` and `/open-api/orders/5` -> `/orders/5`."""
    for prefix in (V2_PREFIX, V1_PREFIX):
        if path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


def _matches(pattern: str | None, path: str) -> bool:
    if pattern is None:
        return True
    pattern = "/" + pattern.strip("/")
    relative = api_path(path)
    return any(
        candidate == pattern or candidate.startswith(pattern + "/")
        for candidate in (relative, path)
    )


@dataclass
class Fault:
    """Answer `count` matching requests with `status` (None: as long as it is armed)."""

    status: int
    count: int | None
    path: str | None = None
    method: str | None = None
    retry_after: int = 1

    def to_json(self) -> dict[str, object]:
        return {
            "kind": "status",
            "status": self.status,
            "remaining": self.count,
            "path": self.path,
            "method": self.method,
            "retry_after": self.retry_after,
        }


@dataclass
class Latency:
    """Delay `count` matching requests by `seconds` (None: every one while armed)."""

    seconds: float
    count: int | None
    path: str | None = None
    method: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "kind": "latency",
            "seconds": self.seconds,
            "remaining": self.count,
            "path": self.path,
            "method": self.method,
        }


@dataclass
class BrandFaults:
    statuses: list[Fault] = field(default_factory=list)
    delays: list[Latency] = field(default_factory=list)

    def to_json(self) -> list[dict[str, object]]:
        return [f.to_json() for f in self.statuses] + [d.to_json() for d in self.delays]


class FaultPlan:
    """The armed faults, per brand slug."""

    def __init__(self) -> None:
        self.brands: dict[str, BrandFaults] = {}

    def __bool__(self) -> bool:
        return bool(self.brands)

    def arm(self, brand: str, fault: Fault | Latency) -> None:
        refusal = status_refusal(fault.status) if isinstance(fault, Fault) else None
        if refusal is not None:
            raise ValueError(refusal)
        armed = self.brands.setdefault(brand, BrandFaults())
        if isinstance(fault, Fault):
            armed.statuses.append(fault)
        else:
            armed.delays.append(fault)

    def clear(self, brand: str | None = None) -> None:
        if brand is None:
            self.brands.clear()
        else:
            self.brands.pop(brand, None)

    def listing(self, brand: str) -> list[dict[str, object]]:
        armed = self.brands.get(brand)
        return armed.to_json() if armed is not None else []

    def take(self, brand: str, method: str, path: str) -> tuple[float, Fault | None]:
        """The delay and the fault for this request; each armed item it matches is spent by
        one (of the status faults, only the first matching)."""
        armed = self.brands.get(brand)
        if armed is None:
            return 0.0, None
        delay = 0.0
        for latency in list(armed.delays):
            if _applies(latency.method, latency.path, method, path):
                delay += latency.seconds
                _spend(latency, armed.delays)
        fault = None
        for candidate in armed.statuses:
            if _applies(candidate.method, candidate.path, method, path):
                fault = candidate
                _spend(candidate, armed.statuses)
                break
        if not armed.statuses and not armed.delays:
            del self.brands[brand]
        return delay, fault


def _applies(wanted_method: str | None, pattern: str | None, method: str, path: str) -> bool:
    if wanted_method is not None and wanted_method.upper() != method:
        return False
    return _matches(pattern, path)


def _spend(item: Fault | Latency, items: list[Any]) -> None:
    if item.count is not None:
        item.count -= 1
        if item.count <= 0:
            items.remove(item)


def error_for(fault: Fault, version: int | None, limit: int) -> ApiError:
    """The documented answer for an injected status."""
    if fault.status == 429:
        decision = Decision(False, limit, 0, time.time() + fault.retry_after)
        headers = (v1_headers if version == 1 else v2_headers)(decision)
        return ApiError(429, "rate_limited", RATE_LIMITED_MESSAGE, headers=headers)
    if fault.status == 504:
        return ApiError(504, "gateway_timeout", UPSTREAM_TIMEOUT_MESSAGE)
    if fault.status == 503:
        return ApiError(
            503,
            "service_unavailable",
            "Service temporarily unavailable",
            headers={"Retry-After": str(fault.retry_after)},
        )
    if fault.status == 502:
        return ApiError(502, "bad_gateway", "Bad gateway")
    return ApiError(500, "server_error", "Internal server error")


_CONTROLS = "/admin/api/sandbox/"


class Faults:
    """Answers or delays a request of a brand with armed faults (sandbox controls only), and
    serves the controls' operator API (`/admin/api/sandbox/...`, api/operator_sandbox.py)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(_CONTROLS):
            from clopos.server.api import operator_sandbox  # imports this module

            await operator_sandbox.answer(scope, receive, send)
            return
        if scope["type"] == "http":
            context = request_context(scope)
            server = context.server if context is not None else None
            controls = server.sandbox if server is not None else None
            if server is not None and controls is not None and controls.faults and context:
                brand: str | None = None
                principal = context.principal
                if principal is not None:
                    # A brand moved to production mode since its faults were armed: none.
                    brand = principal.brand if principal.stage == "test" else None
                elif scope["path"] in EXCHANGES and scope["method"] == "POST":
                    brand, receive = await _exchanging(server, receive)
                if brand is not None:
                    delay, fault = controls.faults.take(brand, scope["method"], scope["path"])
                    if delay:
                        await asyncio.sleep(delay)
                    if fault is not None:
                        await refuse(_answer(server, context, fault), scope, send)
                        return
        await self.app(scope, receive, send)


def _answer(server: ServerState, context: RequestContext, fault: Fault) -> ApiError:
    version = context.version
    if not context.guarded:
        tier = server.limits.auth
    else:
        tier = server.limits.v1_minute if version == 1 else server.limits.tenant
    error = error_for(fault, version, tier.amount if tier is not None else 0)
    # The request never reached the API: no real tier's figures (a 429 carries its own).
    context.response_headers[:] = [
        h for h in context.response_headers if not h[0].lower().startswith(_RATE_HEADERS)
    ]
    return error


async def _exchanging(server: ServerState, receive: Receive) -> tuple[str | None, Receive]:
    """The test-mode brand a token exchange is for (from its body and the client it names),
    and a `receive` that hands the body on unread."""
    messages: list[Message] = []
    body = b""
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    try:
        fields = json.loads(body)
        brand, client_id = fields["brand"], fields["client_id"]
    except (ValueError, TypeError, KeyError):
        return None, replay
    if not isinstance(brand, str) or not isinstance(client_id, str):
        return None, replay
    client = await server.access.client(client_id)
    if client is None or client.brand != brand or client.brand_mode != "test":
        return None, replay
    return brand, replay
