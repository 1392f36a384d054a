"""`Idempotency-Key` on writes, as a piece of the pipeline (the mechanism: idempotency.py)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from clopos.server.errors import ApiError
from clopos.server.idempotency import run_idempotent
from clopos.server.pipeline.context import request_context, serving
from clopos.server.responses import refuse

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class IdempotentWrites:
    """Runs an authenticated write that carries an `Idempotency-Key` at most once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = request_context(scope)
        key = None
        if context is not None and context.principal is not None and scope["method"] in _WRITES:
            for name, value in scope["headers"]:
                if name == b"idempotency-key":
                    key = value.decode("latin-1")
        if key is None or context is None or context.principal is None:
            await self.app(scope, receive, send)
            return
        server = serving(context)
        try:
            await run_idempotent(
                self.app,
                scope,
                receive,
                send,
                server.idempotency,
                context.principal.client_id,
                key,
            )
        except ApiError as error:
            await refuse(error, scope, send)
