"""The request's shape, checked before anything is read: its target and head sizes (414,
431), headers that must not repeat (400), and its body: a declared size over the limit is
refused before a byte is read (413), and the body is counted while it arrives (413), given a
deadline (408) and held to its declared length (400). On the token exchanges the cheap
checks come first: a smaller body limit, and the per-address rate limit before the body."""

from __future__ import annotations

import asyncio
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.auth.audit import AuditRecord
from clopos.server.auth.ratelimit import RATE_LIMITED_MESSAGE, v1_headers, v2_headers
from clopos.server.errors import ApiError
from clopos.server.pipeline.context import EXCHANGES, request_context
from clopos.server.responses import refuse
from clopos.server.state import ServerState

# The request target (path and query) and the head, in bytes. Below the ASGI servers' own
# limits (granian: about 400 KiB of head; uvicorn: see cli/serve.py), so what is refused is
# refused here, in the envelope, with a request id.
MAX_TARGET_BYTES = 8192
MAX_HEAD_BYTES = 16384
MAX_HEADERS = 100
# A token exchange's body is four short fields.
MAX_EXCHANGE_BODY_BYTES = 4096
# Headers whose second copy would make the answer depend on which one a reader takes.
SINGLE = frozenset(
    {
        b"x-token",
        b"x-brand",
        b"x-venue",
        b"x-stage",
        b"idempotency-key",
        b"authorization",
        b"content-length",
        b"content-type",
        b"transfer-encoding",
        b"host",
    }
)


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            "payload_too_large",
            f"The request body is larger than {limit} bytes",
            headers={"connection": "close"},
        )


class BodyTimeout(ApiError):
    def __init__(self, seconds: float) -> None:
        super().__init__(
            408,
            "request_timeout",
            f"The request body did not arrive within {seconds:g} seconds",
            headers={"connection": "close"},
        )


class BodyIncomplete(ApiError):
    def __init__(self) -> None:
        super().__init__(
            400,
            "invalid_request",
            "The request body is shorter than its Content-Length",
            headers={"connection": "close"},
        )


def _head_refusal(scope: Scope) -> tuple[ApiError | None, int | None]:
    """A refusal of the target or head, else the declared body length (if any)."""
    target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
    if target > MAX_TARGET_BYTES:
        return ApiError(
            414, "uri_too_long", f"The request target is longer than {MAX_TARGET_BYTES} bytes"
        ), None
    headers = scope["headers"]
    size = sum(len(name) + len(value) + 4 for name, value in headers)
    if size > MAX_HEAD_BYTES or len(headers) > MAX_HEADERS:
        return ApiError(
            431,
            "headers_too_large",
            f"The request headers are larger than {MAX_HEAD_BYTES} bytes "
            f"or more than {MAX_HEADERS}",
        ), None
    seen: set[bytes] = set()
    length: int | None = None
    for name, value in headers:
        if name in SINGLE:
            if name in seen:
                readable = name.decode("latin-1")
                return ApiError(
                    400, "invalid_request", f"The {readable} header must be sent once"
                ), None
            seen.add(name)
            if name == b"content-length":
                if not value.strip().isdigit() or len(value) > 18:
                    return ApiError(400, "invalid_request", "Invalid Content-Length"), None
                length = int(value)
    return None, length


class RequestLimits:
    """Refuses oversized or malformed heads and bodies; bounds the body as it arrives."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal, declared = _head_refusal(scope)
        if refusal is not None:
            await refuse(refusal, scope, send)
            return
        context = request_context(scope)
        server = context.server if context is not None else None
        if server is None:  # outside the lifespan (never when served)
            await self.app(scope, receive, send)
            return
        settings = server.settings
        exchange = scope["path"] in EXCHANGES
        limit = MAX_EXCHANGE_BODY_BYTES if exchange else settings.max_body_bytes
        if declared is not None and declared > limit:
            await refuse(BodyTooLarge(limit), scope, send)
            return
        if exchange and scope["method"] == "POST":
            refused = await _exchange_limited(server, scope)
            if refused is not None:
                await refuse(refused, scope, send)
                return
        timeout = settings.body_timeout
        deadline: float | None = None
        received = 0
        finished = False

        async def bounded() -> Message:
            nonlocal deadline, received, finished
            if finished:  # the body is read: what follows is the disconnect, whenever it comes
                return await receive()
            if deadline is None:
                deadline = time.monotonic() + timeout
            try:
                async with asyncio.timeout(max(deadline - time.monotonic(), 0)):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(timeout) from None
            if message["type"] != "http.request":
                if message["type"] == "http.disconnect" and (
                    (declared is not None and received < declared) or received > 0
                ):
                    # Gone (or half-closed) mid-body: a 400 to whoever may still read it, not
                    # a traceback and the ASGI server's own 500.
                    finished = True
                    raise BodyIncomplete()
                return message
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            if not message.get("more_body", False):
                finished = True
                if declared is not None and received < declared:
                    raise BodyIncomplete()
            return message

        try:
            await self.app(scope, bounded, send)
        except ApiError as error:  # raised while a piece outside the routes read the body
            context = request_context(scope)
            answered = context is None or context.answered
            if answered or not isinstance(error, BodyTooLarge | BodyTimeout | BodyIncomplete):
                raise
            await refuse(error, scope, send)


async def _exchange_limited(server: ServerState, scope: Scope) -> ApiError | None:
    """The per-address tier of the token exchange, checked before its body is read."""
    context = request_context(scope)
    ip = context.ip if context is not None else "unknown"
    decision = await server.limits.peek(server.limits.auth, ip)
    if decision is None or decision.allowed:
        return None
    version = 2 if scope["path"] == "/open-api/v2/auth" else 1
    headers = (v1_headers if version == 1 else v2_headers)(decision)
    server.audit.record(
        AuditRecord(
            event="token_exchange",
            outcome="rejected",
            status=429,
            ip=ip,
            method="POST",
            path=scope["path"],
            reason="rate_limited",
        )
    )
    return ApiError(429, "rate_limited", RATE_LIMITED_MESSAGE, headers=headers)
