"""What operators and their tools ask a server, off the API and its authentication:
`/ready` (may it take traffic) and `/metrics` (Prometheus). `/health`, liveness, is in app.py.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from clopos.schemas.common import Readiness
from clopos.server.metrics import CONTENT_TYPE
from clopos.server.responses import JSON
from clopos.server.state import ServerState

log = logging.getLogger("clopos.server")

# A probe answers within this, whatever it waits on.
CHECK_SECONDS = 2.0


def _loopback_caller(request: Request) -> bool:
    """The socket's peer is this machine, and no proxy forwarded the request."""
    if "x-forwarded-for" in request.headers or request.client is None:
        return False
    try:
        return ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


async def _check(name: str, probe: Any) -> str:
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            return str(await probe)
    except Exception as error:  # a probe reports what failed; it never fails itself
        # The type only: a driver's message may name the database URL, password and all.
        log.warning("readiness: %s check failed (%s)", name, type(error).__name__)
        return f"unreachable ({type(error).__name__})"


async def _database(server: ServerState) -> str:
    # Imported at the first probe, not with the app: store.schema brings Alembic (some
    # 70-100 ms of imports), which serving needs for nothing else.
    from clopos.store.schema import head_revision, recorded_revisions

    revisions = await server.db.read(recorded_revisions)
    head = head_revision()
    if revisions != (head,):
        return f"schema at {', '.join(revisions) or 'no revision'}, this code needs {head}"
    return "ok"


async def _redis(server: ServerState) -> str:
    assert server.redis is not None
    await server.redis.ping()
    return "ok"


def install(app: FastAPI) -> None:
    @app.get(
        "/ready",
        include_in_schema=False,
        response_model=Readiness,
        responses={503: {"model": Readiness}},
    )
    async def ready(request: Request) -> JSON:
        """200 when this server may take traffic: its database answers at the schema
        revision this code needs, and Redis answers when one is configured; else 503. A
        stopping worker answers 503 too, so a load balancer stops sending it requests."""
        server: ServerState = request.app.state.server
        checks = {"database": await _check("database", _database(server))}
        if server.redis is not None:
            checks["redis"] = await _check("redis", _redis(server))
        stopping = request.app.state.stopping.is_set()
        if stopping:
            checks["server"] = "stopping"
        ok = not stopping and all(value == "ok" for value in checks.values())
        body = {"status": "ready" if ok else "unready", "checks": checks}
        return JSON(body, status_code=200 if ok else 503)

    async def metrics(request: Request) -> Response:
        """Prometheus' text format. With CLOPOS_METRICS_TOKEN, for its bearer only; without,
        for callers on this machine only (any other caller is told it does not exist)."""
        server: ServerState = request.app.state.server
        token = server.settings.metrics_token
        if token is not None:
            given = request.headers.get("authorization", "").encode()
            wanted = b"Bearer " + token.get_secret_value().encode()
            if not hmac.compare_digest(given, wanted):
                return Response(
                    b"metrics need their bearer token\n",
                    status_code=401,
                    media_type="text/plain",
                    headers={"www-authenticate": 'Bearer realm="metrics"'},
                )
        elif not _loopback_caller(request):
            return Response(b"not found\n", status_code=404, media_type="text/plain")
        return Response(server.metrics.exposition(), media_type=CONTENT_TYPE)

    # A plain route, as the docs page's: its answer is Prometheus' text, not a wire model.
    app.add_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
