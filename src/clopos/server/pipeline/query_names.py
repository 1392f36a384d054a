"""Query parameters a route does not read: named in a header, or refused (issue 8).

The service ignores parameters it does not know, and so do we: that is what code written
for it expects. But an ignored parameter is usually an integrator's bug (a filter sent under
a wrong key quietly answers page 1 unfiltered), so every answer names the ones it ignored in
`X-Clopos-Ignored-Parameters`. With `CLOPOS_UNKNOWN_QUERY_PARAMETERS=reject` (or
`reject-test`: test-mode brands only) the request is refused with a 400 naming them instead,
before anything runs, so a write is never half-done because of a typo.

What a route reads is what the OpenAPI document declares for it: `openapi.route_queries`
derives both from the list spec the handler parses with. A parameter counts by its root, so
`filters[3][1][0]` is known wherever `filters[0][0]` is declared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from clopos.server import openapi
from clopos.server.errors import ApiError
from clopos.server.pipeline.context import request_context, serving
from clopos.server.responses import refuse

HEADER = b"x-clopos-ignored-parameters"
# Keys named at most: a header has to stay small whatever a caller sends.
_MOST_NAMED = 20
# Requests' answers remembered (most query strings an API sees repeat: parsing one cost more
# than the rest of this piece); bounded in count and size, since a caller can send endless
# new ones.
_REMEMBERED = 4096
_REMEMBERED_LONGEST = 1024


def root(key: str) -> str:
    """`filters` for `filters[0][1]`, `with` for `with[]`: the name a parameter counts by."""
    return key.split("[", 1)[0]


@dataclass(frozen=True, slots=True)
class _Route:
    pattern: re.Pattern[str]
    known: frozenset[str]


class RouteParameters:
    """The query parameter roots each API operation reads, by method and path."""

    def __init__(self, app: Any) -> None:
        self._routes: dict[tuple[str, str], list[_Route]] = {}
        for path, methods, declared in openapi.route_queries(app):
            if not path.startswith("/open-api"):
                continue
            pattern = compile_path(path)[0]
            known = frozenset(root(parameter["name"]) for parameter in declared)
            for method in methods:
                self._routes.setdefault((method, _bucket(path)), []).append(_Route(pattern, known))

    def unknown(self, method: str, path: str, keys: Iterable[str]) -> list[str]:
        """The keys (as sent, each once) that the operation at `method path` does not read;
        none when no operation is there (the router answers 404 or 405)."""
        for route in self._routes.get((method, _bucket(path)), ()):
            if route.pattern.match(path):
                return list(dict.fromkeys(k for k in keys if root(k) not in route.known))
        return []


def _bucket(path: str) -> str:
    """`/open-api/v2/products` for every path under it: few patterns to try per request."""
    parts = path.split("/", 4)
    return "/".join(parts[:4] if len(parts) > 3 and parts[2] == "v2" else parts[:3])


def named(keys: list[str]) -> str:
    """The keys for a header or a message: percent-encoded past printable ASCII (a decoded
    key may hold line breaks), at most `_MOST_NAMED` of them."""
    shown = [quote(key, safe="[]_-.~!$'()*+:;@/?") for key in keys[:_MOST_NAMED]]
    more = len(keys) - len(shown)
    return ", ".join(shown) + (f" (and {more} more)" if more > 0 else "")


class UnknownParameters:
    """Names, or refuses, the query parameters an authenticated API call's route ignores."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._routes: RouteParameters | None = None  # from the app's routes, on first need
        # (method, path, query string) -> the keys its route ignores, as `named` shows them
        self._remembered: dict[tuple[str, str, bytes], str | None] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context = request_context(scope)
        principal = context.principal if context is not None else None
        if context is None or principal is None or not scope["query_string"]:
            await self.app(scope, receive, send)
            return
        server = serving(context)
        request = (scope["method"], scope["path"], scope["query_string"])
        try:
            names = self._remembered[request]
        except KeyError:
            names = self._ignored(scope)
            if len(request[1]) + len(request[2]) <= _REMEMBERED_LONGEST:
                if len(self._remembered) >= _REMEMBERED:
                    self._remembered.clear()
                self._remembered[request] = names
        if names is not None:
            mode = server.settings.unknown_query_parameters
            if mode == "reject" or (mode == "reject-test" and principal.stage == "test"):
                message = f"Unknown query parameters: {names}"
                await refuse(ApiError(400, "unknown_parameter", message), scope, send)
                return
            context.response_headers.append((HEADER, names.encode()))
        await self.app(scope, receive, send)

    def _ignored(self, scope: Scope) -> str | None:
        """The query keys the request's route ignores, as named in the header; None if none."""
        if self._routes is None:
            self._routes = RouteParameters(scope["app"])
        # Decoded as Starlette's `query_params` decodes them, so the keys are the handler's.
        keys = [k for k, _ in parse_qsl(scope["query_string"].decode("latin-1"), True)]
        unknown = self._routes.unknown(scope["method"], scope["path"], keys)
        return named(unknown) if unknown else None
