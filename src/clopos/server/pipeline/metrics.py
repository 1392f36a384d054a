"""Every answer counted by route template, method and status, and timed (server/metrics.py);
and the request's id made the one its log lines carry (server/logs.py)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.logs import REQUEST_ID
from clopos.server.pipeline.context import request_context
from clopos.server.route_index import IndexedRouting

# Paths off the API, labelled as themselves; any other path no route takes is "unmatched"
# (one label for every 404 probe, so scanners cannot grow the metrics without bound).
_FIXED = frozenset({"/health", "/ready", "/metrics", "/openapi.json", "/docs"})
_SECTIONS = ("/console", "/docs", "/admin/api")
# Templates remembered by exact path (bounded: paths carrying ids do not repeat).
_REMEMBERED = 4096


class RequestMetrics:
    """Counts and times each answer; right after the request id piece, so that it sees
    every refusal the later pieces answer, and cached answers too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._templates: dict[str, str] = {}

    def _template(self, scope: Scope) -> str:
        path: str = scope["path"]
        template = self._templates.get(path)
        if template is not None:
            return template
        routing = getattr(scope["app"].router, "middleware_stack", None)
        found = routing.template(scope) if isinstance(routing, IndexedRouting) else None
        if found is None:
            if path in _FIXED:
                found = path
            else:
                found = next((s for s in _SECTIONS if path.startswith(s)), "unmatched")
        if len(self._templates) >= _REMEMBERED:
            self._templates.clear()
        self._templates[path] = found
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = request_context(scope)
        server = context.server if context is not None else None
        if context is None or server is None:
            await self.app(scope, receive, send)
            return
        REQUEST_ID.set(context.request_id)
        status = 500  # what an error escaping the app becomes (the request id piece's answer)

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            server.metrics.request(
                self._template(scope),
                scope["method"],
                status,
                time.perf_counter() - context.started,
            )
