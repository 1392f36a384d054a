"""JSON responses in the documented envelopes, serialised with orjson."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import Scope

from clopos.server.errors import ApiError


class JSON(Response):
    """A JSON response rendered by orjson (datetimes, dataclasses and non-str keys allowed)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def request_started(scope: Scope) -> float:
    """When the guard first saw this request (monotonic seconds)."""
    state = scope.get("state") or {}
    started = state.get("started")
    return started if isinstance(started, float) else time.perf_counter()


def stamp(scope: Scope) -> dict[str, Any]:
    """`time` (server ms), `timestamp` (UTC `YYYY-MM-DD HH:MM:SS`) and `unix` (seconds)."""
    now = datetime.now(UTC)
    elapsed_ms = int((time.perf_counter() - request_started(scope)) * 1000)
    return {
        "time": elapsed_ms,
        "timestamp": now.strftime("%Y-%m-%d %H:%M:%S"),
        "unix": int(now.timestamp()),
    }


def envelope(
    scope: Scope,
    data: Any,
    *,
    total: int | None = None,
    sorts: list[str] | None = None,
    message: str | None = None,
    status: int = 200,
    extra: Mapping[str, Any] | None = None,
) -> JSON:
    """The documented success envelope: `success`, `data`, [`total`], time fields, [`sorts`]."""
    body: dict[str, Any] = {"success": True, "data": data}
    if message is not None:
        body["message"] = message
    if total is not None:
        body["total"] = total
    body.update(stamp(scope))
    if sorts is not None:
        body["sorts"] = sorts
    if extra:
        body.update(extra)
    return JSON(body, status_code=status)


def error_response(error: ApiError) -> JSON:
    return JSON(error.body(), status_code=error.status, headers=error.headers)
