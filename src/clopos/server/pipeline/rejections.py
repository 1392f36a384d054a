"""Failed API requests, counted per address, and rejections recorded in the audit trail."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.auth.audit import AuditRecord
from clopos.server.pipeline.context import request_context, serving

_AUDITED = frozenset({401, 403, 429})
_REASONS = {401: "unauthenticated", 403: "forbidden", 429: "rate_limited"}


class Rejections:
    """Every answer >= 400 to a guarded call counts towards the per-address tier checked before
    the token; every 401, 403 and 429 becomes an audit event naming its reason."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = request_context(scope)
        if context is None or not context.guarded:
            await self.app(scope, receive, send)
            return
        server = serving(context)
        audit = context.audit = AuditRecord(
            event="request",
            outcome="rejected",
            status=0,
            ip=context.ip,
            method=scope["method"],
            path=scope["path"],
        )

        async def observed(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if status >= 400:
                    await server.limits.hit(server.limits.failed, context.ip)
                if status in _AUDITED:
                    audit.status = status
                    audit.reason = context.error_id or _REASONS[status]
                    server.audit.record(audit)
            await send(message)

        await self.app(scope, receive, observed)
