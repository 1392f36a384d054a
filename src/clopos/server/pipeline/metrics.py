"""Every answer counted by route template, method and status, and timed (server/metrics.py);
and, with JSON logs, the request's id made the one its log lines carry (server/logs.py)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Receive, Scope, Send

from clopos.server.logs import REQUEST_ID
from clopos.server.metrics import Metrics, Series
from clopos.server.pipeline.context import request_context
from clopos.server.route_index import IndexedRouting
from clopos.server.state import ServerState

# Paths off the API, labelled as themselves; any other path no route takes is "unmatched"
# (one label for every 404 probe, so scanners cannot grow the metrics without bound).
_FIXED = frozenset({"/health", "/ready", "/metrics", "/openapi.json", "/docs"})
_SECTIONS = ("/console", "/docs", "/admin/api")
# Series remembered by exact path (bounded: paths carrying ids do not repeat); a path asked
# with another method than the one remembered is looked up again.
_REMEMBERED = 4096


class RequestMetrics:
    """Counts and times each answer; right after the request id piece, so that it sees
    every refusal the later pieces answer, and cached answers too. The status is the one the
    request id piece saw go out (no wrapper of `send` here: two awaits a request less)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._metrics: Metrics | None = None
        self._series: dict[str, Series] = {}
        self._log_ids = False

    def _serving(self, server: ServerState) -> None:
        """A new lifespan: new counts, and its log format."""
        self._metrics, self._series = server.metrics, {}
        # Only JSON lines show the id: text logs are spared setting it (a tenth of what
        # the metrics cost a cached answer).
        self._log_ids = server.settings.log_format == "json"

    def _series_of(self, scope: Scope, metrics: Metrics) -> Series:
        path: str = scope["path"]
        routing = getattr(scope["app"].router, "middleware_stack", None)
        route = routing.template(scope) if isinstance(routing, IndexedRouting) else None
        if route is None:
            if path in _FIXED:
                route = path
            else:
                route = next((s for s in _SECTIONS if path.startswith(s)), "unmatched")
        if len(self._series) >= _REMEMBERED:
            self._series.clear()
        series = self._series[path] = metrics.series(route, scope["method"])
        return series

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = request_context(scope)
        server = context.server if context is not None else None
        if context is None or server is None:
            await self.app(scope, receive, send)
            return
        metrics = server.metrics
        if metrics is not self._metrics:
            self._serving(server)
        if self._log_ids:
            REQUEST_ID.set(context.request_id)
        try:
            await self.app(scope, receive, send)
        finally:
            series = self._series.get(scope["path"])
            if series is None or series.method != scope["method"]:
                series = self._series_of(scope, metrics)
            # No status sent: an error escaped, which the request id piece answers 500.
            series.record(context.status or 500, time.perf_counter() - context.started)
