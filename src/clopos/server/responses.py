"""JSON responses in the documented envelopes, serialised with orjson."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response
from starlette.types import Scope, Send

from clopos.core.readmodel import Rendered
from clopos.server.errors import ApiError, error_body
from clopos.server.pipeline.context import request_context

# The options every answer is serialised with; a rendered row's bytes, embedded in a page,
# are the bytes the page would have made.
JSON_OPTIONS = orjson.OPT_NON_STR_KEYS


def encoded(row: Rendered) -> orjson.Fragment:
    """A rendered row's JSON, made once per render (kept with it) and embedded as it is:
    serialising a page's rows cost more than the rest of its unit of work
    (docs/performance.md)."""
    fragment: orjson.Fragment | None = row.encoded
    if fragment is None:  # two requests may both make it: the same bytes
        fragment = row.encoded = orjson.Fragment(orjson.dumps(row, option=JSON_OPTIONS))
    return fragment


def _embedded(data: Any) -> Any:
    """A list of rendered rows as their bytes; anything else as it is."""
    if type(data) is list and data and type(data[0]) is Rendered:
        return [encoded(row) if type(row) is Rendered else row for row in data]
    return data


class JSON(Response):
    """A JSON response rendered by orjson (datetimes, dataclasses and non-str keys allowed)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):  # already rendered (see `cacheable`)
            return content
        return orjson.dumps(content, option=JSON_OPTIONS)


def request_started(scope: Scope) -> float:
    """When the pipeline first saw this request (monotonic seconds)."""
    context = request_context(scope)
    return context.started if context is not None else time.perf_counter()


# The envelope's `timestamp` and `unix` of the current second, rendered once a second instead
# of at every answer (datetime.now and strftime cost about 4 us of a cached answer's 60).
_this_second: tuple[int, bytes] = (-1, b"")


def stamp_suffix(scope: Scope) -> bytes:
    """The tail of every envelope: `time` (server ms), `timestamp` (UTC), `unix` (seconds).

    Rendered apart from the rest so that a cached body can get fresh values (see cache.py).
    """
    global _this_second
    now = time.time()
    elapsed_ms = int((time.perf_counter() - request_started(scope)) * 1000)
    second, tail = _this_second
    if int(now) != second:
        second = int(now)
        moment = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(second))
        tail = b',"timestamp":"%s","unix":%d}' % (moment.encode(), second)
        _this_second = (second, tail)
    return b',"time":%d%s' % (elapsed_ms, tail)


def cacheable(scope: Scope, body: dict[str, Any], *, stamped: bool, status: int = 200) -> JSON:
    """A JSON answer the response cache may keep if it is a 200 to a GET; `stamped` ones end
    with the time fields, which a cached copy gets afresh."""
    rendered = orjson.dumps(body, option=JSON_OPTIONS)
    suffix = b""
    if stamped:
        suffix = stamp_suffix(scope)
        rendered = rendered[:-1] + suffix
    context = request_context(scope)
    if context is not None:
        context.stamp_suffix = suffix
    return JSON(rendered, status_code=status)


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
    """The documented success envelope: `success`, `data`, [`total`, `sorts`], time fields."""
    body: dict[str, Any] = {"success": True, "data": _embedded(data)}
    if message is not None:
        body["message"] = message
    if total is not None:
        body["total"] = total
    if sorts is not None:
        body["sorts"] = sorts
    if extra:
        body.update(extra)
    return cacheable(scope, body, stamped=True, status=status)


async def refuse(error: ApiError, scope: Scope, send: Send) -> None:
    """Answer `error` from inside the pipeline, noting its id for the audit trail."""
    context = request_context(scope)
    if context is not None:
        context.error_id = error.error
    await send_json(send, error.status, orjson.dumps(error_body(error, scope)), error.headers)


def error_response(error: ApiError, scope: Scope) -> JSON:
    return JSON(error_body(error, scope), status_code=error.status, headers=error.headers)


async def send_json(
    send: Send, status: int, body: bytes, headers: Mapping[str, str] | None = None
) -> None:
    """Send a complete JSON answer straight to the ASGI server, past the framework."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
