"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from clopos import __version__
from clopos.core.errors import DomainError
from clopos.schemas.common import Health
from clopos.server import collector, docs_ui, openapi, pipeline, probes, route_index
from clopos.server.api import auth, resources
from clopos.server.errors import ApiError, to_api_error
from clopos.server.pipeline.connections import ConnectionReaper
from clopos.server.pipeline.context import request_context
from clopos.server.pipeline.proxies import is_trusted, trusted_networks
from clopos.server.responses import JSON, error_response
from clopos.server.settings import Settings
from clopos.server.state import ServerState
from clopos.server.stopping import watch_stop_signals

log = logging.getLogger("clopos.server")

API_V1 = "/open-api"
API_V2 = "/open-api/v2"
_HTTP_ERRORS = {
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
}

DESCRIPTION = """
A self-hostable implementation of the Clopos Open API.

Exchange credentials at `POST /open-api/auth` (v1) or `POST /open-api/v2/auth` (v2) for a
token valid one hour, then send it as `x-token` (v1 also `x-brand` and `x-venue`).
"""


def _unique_id(prefix: str) -> Any:
    def generate(route: APIRoute) -> str:
        return f"{prefix}_{route.name}"

    return generate


def _mount(app: FastAPI, router: APIRouter, version: int) -> None:
    app.include_router(
        router,
        prefix=API_V1 if version == 1 else API_V2,
        tags=["v1"] if version == 1 else ["v2"],
        generate_unique_id_function=_unique_id(f"v{version}"),
    )


def create_app(settings: Settings | None = None, *, serving: bool = False) -> FastAPI:
    """Build the ASGI app; the database must already hold the schema (`clopos serve` makes it).

    `serving`: the app is a worker of `clopos serve`, whose idle connections it may close
    (pipeline/connections.py); never in a process that hosts other servers, such as tests.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = settings.open_database()
        app.state.db = db
        app.state.server = await ServerState.start(settings, db)
        # Set when the worker is asked to stop: streams end then (server/stopping.py).
        app.state.stopping = asyncio.Event()
        unwatch = watch_stop_signals(app.state.stopping) if serving else None
        sweeping = None
        if serving:
            collector.settle()  # start-up is over: keep the collector off what it built
            proxies = trusted_networks(settings.forwarded_allow_ips)
            app.state.reaper = ConnectionReaper(
                settings.header_timeout,
                settings.keep_alive_timeout,
                settings.max_silent_per_address,
                exempt=lambda address: is_trusted(address, proxies),
            )
            sweeping = asyncio.get_running_loop().create_task(app.state.reaper.run())
        try:
            yield
        finally:
            if unwatch is not None:
                unwatch()
            if sweeping is not None:
                sweeping.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeping
            await app.state.server.stop()
            await db.dispose()

    app = FastAPI(
        title="Clopos Open API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # docs_ui: from installed files, not a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        # FastAPI's own OpenTelemetry hooks asked, at every request, whether a global
        # provider had been configured (environment reads included): 5 to 10 us of a
        # cached answer's 45 in-process (docs/performance.md). Nothing here configures
        # one; the server's metrics are its own.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    pipeline.install(app)
    _install_error_handlers(app)

    app.include_router(auth.router)
    # Both versions' routers first, v1's then v2's, then each version's own, then the
    # operator API: the order requests have always been matched in.
    for version in (1, 2):
        for router, versions in resources.ROUTERS:
            if versions == resources.BOTH:
                _mount(app, router, version)
    for router, versions in resources.ROUTERS:
        if len(versions) == 1:
            _mount(app, router, next(iter(versions)))
    for router, versions in resources.ROUTERS:
        if versions == resources.OPERATOR:
            app.include_router(router)

    app.openapi = lambda: openapi.document(app)  # type: ignore[method-assign]
    docs_ui.install(app)
    from clopos import console  # imported here: at the top it would start an import cycle

    console.install(app)  # the venue console under /console (src/clopos/console)

    @app.get("/health", include_in_schema=False, response_model=Health)
    async def health() -> JSON:
        return JSON({"status": "ok", "version": __version__})

    probes.install(app)  # /ready and /metrics
    route_index.install(app)  # after every route: requests find theirs by its path
    return app


def _allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route of this path answers (for a 405's `Allow`)."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(app.state, "methods", None)
    if table is None:
        # Included routers keep their routes wrapped, with paths relative to their prefix:
        # FastAPI's route contexts carry the full path.
        table = [
            (compile_path(context.path)[0], set(context.methods or ()))
            for context in iter_route_contexts(app.routes)
            if isinstance(context.original_route, APIRoute) and context.path
        ]
        app.state.methods = table
    path = request.url.path
    allowed = (methods for pattern, methods in table if pattern.match(path))
    return sorted(set().union(*allowed))


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSON:
        context = request_context(request.scope)
        if context is not None:
            context.error_id = exc.error
        return error_response(exc, request.scope)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSON:
        return await api_error(request, to_api_error(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSON:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "Invalid request"}
        where = ".".join(str(part) for part in first["loc"] if part not in ("query", "body"))
        message = f"{where}: {first['msg']}" if where else str(first["msg"])
        return error_response(ApiError(400, "invalid_parameter", message), request.scope)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSON:
        error, message = _HTTP_ERRORS.get(exc.status_code, ("http_error", str(exc.detail)))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route matching the path; several may.
            headers["Allow"] = ", ".join(_allowed_methods(app, request))
        return error_response(
            ApiError(exc.status_code, error, message, headers=headers), request.scope
        )

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSON:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(ApiError(500, "server_error", "Internal server error"), request.scope)
