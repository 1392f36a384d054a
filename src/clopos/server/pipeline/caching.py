"""The response cache as a piece of the pipeline (the cache itself: cache.py)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from clopos.server.cache import serve_cached
from clopos.server.pipeline.context import request_context


class ResponseCaching:
    """Answers an authenticated GET from the cache, or keeps its answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = request_context(scope)
        principal = context.principal if context is not None else None
        server = context.server if context is not None and principal else None
        if (
            principal is None
            or server is None
            or scope["method"] != "GET"
            or not server.responses.enabled
        ):
            await self.app(scope, receive, send)
            return
        # What an answer depends on: the caller's view (version, brand, venue, scopes) and the
        # request. Everything that could refuse the caller has already run.
        key = (
            principal.version,
            principal.brand_id,
            principal.venue_id,
            principal.scopes,
            scope["path"],
            scope["query_string"],
        )
        await serve_cached(
            self.app, scope, receive, send, server.responses, key, principal.brand_id
        )
