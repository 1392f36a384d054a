"""The pipeline's first piece: the request's context, its id and the hardening headers on every
answer, the caller's address (through trusted proxies only), the refusal of what no database
can store, and the last word on errors: logged once, answered in the envelope."""

from __future__ import annotations

import logging

import orjson
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.errors import ApiError
from clopos.server.pipeline.context import (
    EXCHANGES,
    RequestContext,
    api_version,
    client_ip,
    new_request_id,
)
from clopos.server.pipeline.proxies import forwarded_client, trusted_networks
from clopos.server.responses import send_json

log = logging.getLogger("clopos.server")

# On every answer: no MIME sniffing, never framed, no referrer. The API answers JSON only, so
# its policy allows nothing; the docs page runs the Swagger UI files shipped with the package.
_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
_API_POLICY = b"default-src 'none'; frame-ancestors 'none'"
# The venue console's pages run only the package's own script and style sheet: no inline
# script or style, nothing from another origin, forms post only there, never framed.
_CONSOLE_POLICY = (
    b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_DOCS_POLICY = (
    b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)
# Answers about a brand's data (customers' names, phones, ...) are never kept by a browser or
# a shared cache (an answer that sets its own, such as the console's static files, keeps it).
_NO_STORE = (b"cache-control", b"no-store")
_PRIVATE_PREFIXES = ("/open-api", "/admin/api", "/console")


def _peer(scope: Scope) -> tuple[str, int]:
    """The socket's peer as (address, port) (granian gives the port as text)."""
    client = scope.get("client")
    if not client:
        return ("unknown", 0)
    try:
        return (str(client[0]), int(client[1]))
    except (TypeError, ValueError):
        return (str(client[0]), 0)


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _hardening(path: str) -> tuple[tuple[bytes, bytes], ...]:
    policy = (
        _DOCS_POLICY
        if _under(path, "/docs")
        else _CONSOLE_POLICY
        if _under(path, "/console")
        else _API_POLICY
    )
    return _HARDENING[policy, path.startswith(_PRIVATE_PREFIXES)]


# Each policy's headers, with and without no-store, built once.
_HARDENING = {
    (policy, private): (
        *_COMMON,
        (b"content-security-policy", policy),
        *((_NO_STORE,) if private else ()),
    )
    for policy in (_API_POLICY, _CONSOLE_POLICY, _DOCS_POLICY)
    for private in (False, True)
}
# Every header this piece may add (the answer's own win).
_ADDED_NAMES = frozenset(
    {b"x-request-id", *(name for headers in _HARDENING.values() for name, _ in headers)}
)


class RequestIds:
    """Makes the request's context; stamps `x-request-id`, the hardening headers and the
    pipeline's headers; answers what escapes the app as a 500 in the envelope."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = forwarded = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                supplied = value.decode("latin-1")
            elif name == b"x-forwarded-for":  # several lines read as one list (RFC 9110)
                line = value.decode("latin-1")
                forwarded = line if forwarded is None else f"{forwarded},{line}"
        path: str = scope["path"]
        version = api_version(path)
        peer = client_ip(scope)
        raw_peer = _peer(scope)
        ip = peer
        server = getattr(scope["app"].state, "server", None)
        if forwarded is not None and server is not None:
            ip = forwarded_client(
                peer, forwarded, trusted_networks(server.settings.forwarded_allow_ips)
            )
            if ip != peer:  # what every later reader of the scope sees (the exchange too)
                scope["client"] = (ip, 0)
        context = RequestContext(
            request_id=new_request_id(supplied),
            ip=ip,
            version=version,
            guarded=version is not None and path not in EXCHANGES,
            server=server,
        )
        context.attach(scope)
        extra = ((b"x-request-id", context.request_id.encode()), *_hardening(path))

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                context.answered = True
                context.status = message["status"]
                headers = message.get("headers", [])
                present = {name.lower() for name, _ in headers}
                added = (  # an answer that sets one of them itself keeps its own
                    extra
                    if present.isdisjoint(_ADDED_NAMES)
                    else [header for header in extra if header[0] not in present]
                )
                message["headers"] = [*headers, *added, *context.response_headers]
            await send(message)

        if "\x00" in path or b"%00" in scope["query_string"].lower():
            # No database stores NUL characters (PostgreSQL refuses them): refuse them here.
            error = ApiError(400, "invalid_parameter", "NUL characters are not accepted")
            await send_json(stamped, error.status, orjson.dumps(error.body()), error.headers)
            return
        reaper = getattr(scope["app"].state, "reaper", None)
        if reaper is not None:
            reaper.started(raw_peer)
        try:
            await self.app(scope, receive, stamped)
        except ClientDisconnect:
            # The client went away while sending its body: one line, no traceback; and an
            # answer for a client that only half-closed (else the server sends a bare 500).
            log.info(
                "client went away during %s %s (request %s)",
                scope["method"],
                path,
                context.request_id,
            )
            if not context.answered:
                error = ApiError(400, "invalid_request", "The request body was not completed")
                await send_json(stamped, error.status, orjson.dumps(error.body()))
        except Exception:
            # Logged here once (nothing below re-raises it), with the request id it answers.
            log.exception(
                "unhandled error on %s %s (request %s)", scope["method"], path, context.request_id
            )
            if not context.answered:
                error = ApiError(500, "server_error", "Internal server error")
                await send_json(stamped, error.status, orjson.dumps(error.body()))
        finally:
            if reaper is not None:
                reaper.ended(raw_peer)
