"""The sandbox controls on the operator API, for test suites in any language.

Only with the operator token, only when `CLOPOS_SANDBOX_CONTROLS` is set (else 403
`sandbox_disabled`), and only for brands in test mode (else 403 `sandbox_forbidden`):

- `POST /admin/api/sandbox/reset`: back to the state the server started with;
- `GET|POST /admin/api/sandbox/snapshots` (`{"name": ...}`),
  `POST /admin/api/sandbox/snapshots/{name}/restore`;
- `GET|POST|DELETE /admin/api/sandbox/brands/{brand}/faults`: list, arm
  (`{"status": 504, "count": 1, "path": "/orders", "method": "POST", "retry_after": 1}` or
  `{"latency": 2.5, "count": null, "path": ...}`), clear;
- `GET /admin/api/sandbox/brands/{brand}/clock`,
  `POST /admin/api/sandbox/brands/{brand}/clock/advance` (`{"seconds": 3600}`);
- `GET /admin/api/sandbox/brands/{brand}/events[?type=T&after=EVENT_ID&wait=SECONDS]`: the
  webhook events made for the brand, oldest first; with `wait`, waits up to that many
  seconds (at most 30) for at least one to be made.

Reset, snapshots and restores copy the whole database: refused while any brand is in
production mode. These are test facilities, not part of the documented API: served by the
pipeline's Faults piece (pipeline/faults.py), apart from the app's routes and its OpenAPI
document.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import Field, ValidationError
from starlette.requests import Request
from starlette.routing import Route, Router
from starlette.types import Receive, Scope, Send

from clopos.core.errors import DomainError
from clopos.schemas.common import WireModel
from clopos.server.api._common import body_of
from clopos.server.api.deps import require_operator
from clopos.server.errors import ApiError, to_api_error
from clopos.server.fault_statuses import status_refusal
from clopos.server.pipeline.faults import Fault, Latency
from clopos.server.responses import JSON, envelope, refuse
from clopos.server.sandbox import SandboxControls

M = TypeVar("M", bound=WireModel)

PREFIX = "/admin/api/sandbox"


class SnapshotIn(WireModel):
    name: str = Field(min_length=1, max_length=64)


class FaultIn(WireModel):
    status: int | None = None
    latency: float | None = Field(None, ge=0, le=120)
    count: int | None = Field(1, ge=1)
    path: str | None = Field(None, max_length=500)
    method: str | None = Field(None, max_length=10)
    retry_after: int = Field(1, ge=0, le=3600)


class AdvanceIn(WireModel):
    seconds: float = Field(gt=0, le=10 * 365 * 86400)


async def _controls(request: Request) -> SandboxControls:
    await require_operator(request)
    controls: SandboxControls | None = request.app.state.server.sandbox
    if controls is None:
        raise ApiError(
            403,
            "sandbox_disabled",
            "The sandbox controls are disabled on this server (set CLOPOS_SANDBOX_CONTROLS)",
        )
    return controls


async def _body(request: Request, model: type[M]) -> M:
    raw = await body_of(request)
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ApiError(
            400, "invalid_parameter", f"{where}: {first['msg']}" if where else first["msg"]
        ) from None


async def reset(request: Request) -> JSON:
    controls = await _controls(request)
    return envelope(request.scope, await controls.reset(), message="Sandbox reset")


async def snapshots(request: Request) -> JSON:
    controls = await _controls(request)
    if request.method == "POST":
        body = await _body(request, SnapshotIn)
        return envelope(request.scope, await controls.snapshot(body.name), status=201)
    return envelope(request.scope, controls.snapshots())


async def restore(request: Request) -> JSON:
    controls = await _controls(request)
    return envelope(request.scope, await controls.restore(request.path_params["name"]))


async def faults(request: Request) -> JSON:
    controls = await _controls(request)
    brand = request.path_params["brand"]
    await controls.test_brand(brand)
    if request.method == "POST":
        body = await _body(request, FaultIn)
        armed: Fault | Latency
        if (body.status is None) == (body.latency is None):
            raise ApiError(400, "invalid_parameter", "Give either status or latency")
        if body.status is not None:
            refusal = status_refusal(body.status)
            if refusal is not None:
                raise ApiError(400, "invalid_parameter", refusal)
            armed = Fault(body.status, body.count, body.path, body.method, body.retry_after)
        else:
            assert body.latency is not None
            armed = Latency(body.latency, body.count, body.path, body.method)
        controls.faults.arm(brand, armed)
        return envelope(request.scope, controls.faults.listing(brand), status=201)
    if request.method == "DELETE":
        controls.faults.clear(brand)
    return envelope(request.scope, controls.faults.listing(brand))


async def events(request: Request) -> JSON:
    controls = await _controls(request)
    brand = request.path_params["brand"]
    await controls.test_brand(brand)
    query = request.query_params
    try:
        wait = min(30.0, max(0.0, float(query.get("wait", "0"))))
    except ValueError:
        raise ApiError(400, "invalid_parameter", "wait: a number of seconds") from None
    found = await controls.events(brand, query.get("type"), query.get("after"), wait)
    return envelope(request.scope, found, total=len(found))


async def clock(request: Request) -> JSON:
    controls = await _controls(request)
    brand = request.path_params["brand"]
    await controls.test_brand(brand)
    return envelope(request.scope, controls.clock(brand))


async def advance(request: Request) -> JSON:
    controls = await _controls(request)
    body = await _body(request, AdvanceIn)
    result: dict[str, Any] = await controls.advance(request.path_params["brand"], body.seconds)
    return envelope(request.scope, result)


ROUTES = Router(
    [
        Route("/reset", reset, methods=["POST"]),
        Route("/snapshots", snapshots, methods=["GET", "POST"]),
        Route("/snapshots/{name}/restore", restore, methods=["POST"]),
        Route("/brands/{brand}/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/brands/{brand}/clock", clock, methods=["GET"]),
        Route("/brands/{brand}/events", events, methods=["GET"]),
        Route("/brands/{brand}/clock/advance", advance, methods=["POST"]),
    ]
)


async def answer(scope: Scope, receive: Receive, send: Send) -> None:
    """Serve a request for `/admin/api/sandbox/...` (the pipeline's Faults piece hands them
    here, so they exist apart from the app's routes and its OpenAPI document)."""
    inner = dict(scope)
    inner["path"] = scope["path"][len(PREFIX) :] or "/"
    inner["root_path"] = scope.get("root_path", "") + PREFIX
    try:
        await ROUTES(inner, receive, send)
    except ApiError as error:
        await refuse(error, scope, send)
    except DomainError as error:
        await refuse(to_api_error(error), scope, send)
