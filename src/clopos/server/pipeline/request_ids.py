"""The pipeline's first piece: the request's context, its id on every answer, and the refusal
of what no database can store."""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.errors import ApiError
from clopos.server.pipeline.context import (
    EXCHANGES,
    RequestContext,
    api_version,
    client_ip,
    new_request_id,
)
from clopos.server.responses import send_json


class RequestIds:
    """Makes the request's context; stamps `x-request-id` and the pipeline's headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                supplied = value.decode("latin-1")
        path: str = scope["path"]
        version = api_version(path)
        context = RequestContext(
            request_id=new_request_id(supplied),
            ip=client_ip(scope),
            version=version,
            guarded=version is not None and path not in EXCHANGES,
        )
        context.attach(scope)
        request_id = (b"x-request-id", context.request_id.encode())

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    request_id,
                    *context.response_headers,
                ]
            await send(message)

        if "\x00" in path or b"%00" in scope["query_string"].lower():
            # No database stores NUL characters (PostgreSQL refuses them): refuse them here.
            error = ApiError(400, "invalid_parameter", "NUL characters are not accepted")
            await send_json(stamped, error.status, orjson.dumps(error.body()), error.headers)
            return
        await self.app(scope, receive, stamped)
