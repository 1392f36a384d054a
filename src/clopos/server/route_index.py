"""Finding a request's route by its path's literal segments, not by trying every route.

FastAPI matches a request against each included router in turn, and each router against
each of its routes: with every resource mounted for v1 and v2 that is a hundred and more
regular-expression matches (and as many scope bookkeeping steps) before a late route is
found. It was a third of an uncached page's CPU and most of a `/health`'s
(docs/performance.md).

The index groups the app's API routes by how many segments their path has and by the
literal segments it starts with. A request then tries only the routes that could match
its path, in the app's own order, and the first full match is handled exactly as FastAPI
handles a route it selected in an included router. Anything else (no full match: a 404,
a 405, a redirect; or a full match that is not an API route, such as a mount) goes to
FastAPI's own router, which decides as it always has: the index only ever takes the
route FastAPI itself would take first.

It hands a selected route over as FastAPI 0.163's included-router dispatch does, with the
same internals (the effective route context in the scope); FastAPI is pinned, and
tests/unit/test_route_index.py checks the choice against trying every route, for every
route, so an upgrade that moves these fails there first.

A route whose endpoint takes only the request and its path parameters as the strings
matched (the API's routes: they check their scope and read their query through the
request, see api/deps.py) has nothing for FastAPI to solve, parse or validate, so the index
calls the endpoint itself. FastAPI's request handling around such an endpoint (dependency
solving, telemetry, exit stacks) was a fifth of an uncached read's CPU. An exception goes
up to the app's exception middleware, which maps it with the same handlers FastAPI's
route wrapper would have used.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import (  # what FastAPI's own included-router dispatch uses
    _FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY,
    APIRoute,
    _get_fastapi_scope,
    _IncludedRouter,
    iter_route_contexts,
)
from fastapi.telemetry._api import _route_selected
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

# Exact paths remembered with their candidates (most paths an API sees repeat); bounded,
# since paths carrying ids do not.
_REMEMBERED = 4096


@dataclass(slots=True)
class _Candidate:
    order: int  # the route's place in the app's matching order
    included: bool  # an API route of an included router
    api: bool  # an API route (included or the app's own), which the index dispatches
    # What matches: FastAPI's effective route context for an API route of an included
    # router (the route as included, with its prefix), else the route itself. An included
    # route's is looked up when the route is first tried (`context`).
    matcher: Any = None
    plain: _Plain | None = None  # how the index calls the endpoint itself, if it may
    context: Callable[[], Any] | None = None

    def resolved(self) -> _Candidate:
        if self.matcher is None:
            assert self.context is not None
            context = self.context()
            self.plain = _plain_of(context.dependant)
            self.matcher = context  # last: a candidate with its matcher is complete
        return self


@dataclass(frozen=True, slots=True)
class _Plain:
    """An endpoint called with the request and the path's parameters, by their names."""

    endpoint: Callable[..., Awaitable[Response]]
    request: str  # the argument the request is passed as
    names: tuple[tuple[str, str], ...]  # (the endpoint's argument, the path's parameter)


def _plain(dependant: Dependant) -> _Plain | None:
    """How to call the endpoint without FastAPI: when it is a coroutine answering a Response
    and takes the request and string path parameters only (no dependency, query, header,
    cookie or body parameter, no constraint on a path parameter)."""
    if (
        dependant.dependencies
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.request_param_name is None
        or dependant.websocket_param_name
        or dependant.http_connection_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
    ):
        return None
    call = dependant.call
    if call is None or not inspect.iscoroutinefunction(call):
        return None
    answer = typing.get_type_hints(call).get("return")
    if not (isinstance(answer, type) and issubclass(answer, Response)):
        return None
    names = []
    for field in dependant.path_params:
        if field.field_info.annotation is not str or field.field_info.metadata:
            return None
        names.append((field.name, field.alias))
    return _Plain(call, dependant.request_param_name, tuple(names))


def _plain_of(dependant: Dependant | None) -> _Plain | None:
    return _plain(dependant) if dependant is not None else None


def _segments(path: str) -> list[str]:
    return path.split("/")


def _shape(path: str) -> tuple[int, tuple[str, ...]] | None:
    """How many segments `path` (a route's path format) has and its leading literal ones;
    None when its length varies (a `{name:path}` parameter)."""
    if ":path}" in path:
        return None
    segments = _segments(path)
    literal: list[str] = []
    for segment in segments:
        if "{" in segment:
            break
        literal.append(segment)
    return len(segments), tuple(literal)


def _included_context(included: _IncludedRouter, route: APIRoute) -> Any:
    """FastAPI's effective context of `route` as `included` includes it (built, for all
    of that router's routes, on first use and kept by FastAPI)."""
    for context in included.effective_candidates():
        if getattr(context, "original_route", None) is route:
            return context
    raise LookupError(f"{route.path} is no longer in its router")


@dataclass(frozen=True, slots=True)
class Listed:
    """A route of the app, listed without FastAPI's effective context where it can be."""

    route: BaseRoute  # as its router declares it
    path: str  # where the app serves it (an include's prefix added)
    included: _IncludedRouter | None  # the included router serving it, context not built
    context: Any | None  # FastAPI's effective context, where listing the route built it


def listed_routes(routes: Sequence[BaseRoute]) -> Iterator[Listed]:
    """The app's routes in FastAPI's matching order (`iter_route_contexts`').

    An included router's API routes are listed from the router itself and its prefix.
    FastAPI builds the effective contexts of an app's included routers (about 50 ms for
    this app's 131 routes, pydantic's model fields mostly) the first time a request tries
    one of each router's routes; listing them built them all, and was most of a new
    app's first request: in test modules that start a server for each test, a sixth of
    their time. A router holding anything else (a nested router, a mount) is listed as
    FastAPI lists it, contexts built."""
    for route in routes:
        if isinstance(route, _IncludedRouter):
            originals = route.original_router.routes
            apis = [original for original in originals if isinstance(original, APIRoute)]
            if len(apis) == len(originals):
                for api_route in apis:
                    yield Listed(api_route, route.include_context.path_for(api_route), route, None)
                continue
        for route_context in iter_route_contexts([route]):
            path = route_context.path or ""
            yield Listed(route_context.original_route, path, None, route_context._route_context)


def _app_candidates(routes: Sequence[BaseRoute]) -> Iterator[tuple[_Candidate, str | None]]:
    """The app's routes as the index tries them, each with its path if it is an API route
    (else None); an included API route's context is looked up when it is first tried."""
    for listed in listed_routes(routes):
        original, context = listed.route, listed.context
        if listed.included is not None and isinstance(original, APIRoute):
            lookup = functools.partial(_included_context, listed.included, original)
            yield _Candidate(0, included=True, api=True, context=lookup), listed.path
            continue
        api = isinstance(original, APIRoute) and (
            context is None or context.starlette_route is None
        )
        dependant = None
        if api and isinstance(original, APIRoute):  # as included, with its dependencies
            dependant = context.dependant if context is not None else original.dependant
        candidate = _Candidate(
            0,
            included=api and context is not None,
            api=api,
            matcher=context if api and context is not None else original,
            plain=_plain_of(dependant),
        )
        yield candidate, listed.path if api else None


class RouteIndex:
    """The app's routes, grouped by shape; built from the app as it is when first used."""

    def __init__(self, app: FastAPI) -> None:
        self._by_shape: dict[tuple[int, tuple[str, ...]], list[_Candidate]] = {}
        self._any_shape: list[_Candidate] = []
        self._longest = 0
        for order, (candidate, path) in enumerate(_app_candidates(app.routes)):
            candidate.order = order
            shape = _shape(path) if path else None
            if shape is None:
                self._any_shape.append(candidate)
                continue
            self._by_shape.setdefault(shape, []).append(candidate)
            self._longest = max(self._longest, len(shape[1]))
        self._remembered: dict[str, list[_Candidate]] = {}

    def candidates(self, path: str) -> Sequence[_Candidate]:
        """The routes that may match `path`, in the app's order."""
        found = self._remembered.get(path)
        if found is not None:
            return found
        segments = _segments(path)
        count = len(segments)
        found = list(self._any_shape)
        for length in range(min(count, self._longest) + 1):
            found += self._by_shape.get((count, tuple(segments[:length])), ())
        found.sort(key=lambda candidate: candidate.order)
        if len(self._remembered) >= _REMEMBERED:
            self._remembered.clear()
        self._remembered[path] = found
        return found

    def select(self, scope: Scope) -> tuple[_Candidate, Scope] | None:
        """The API route FastAPI would handle `scope` with, and its child scope; None when
        the first full match is not an API route, or there is none."""
        for candidate in self.candidates(scope["path"]):
            matcher = candidate.matcher
            if matcher is None:  # an included route tried for the first time
                matcher = candidate.resolved().matcher
            match, child_scope = matcher.matches(scope)
            if match is Match.FULL:
                return (candidate, child_scope) if candidate.api else None
        return None


class IndexedRouting:
    """The app's router with the index in front (installed as the router's entry point)."""

    def __init__(self, app: FastAPI, fallback: ASGIApp) -> None:
        self._app = app
        self._fallback = fallback
        self._index: RouteIndex | None = None
        self._built_for = -1

    def index(self) -> RouteIndex:
        routes = len(self._app.router.routes)
        if self._index is None or routes != self._built_for:  # routes added since
            self._index, self._built_for = RouteIndex(self._app), routes
        return self._index

    def template(self, scope: Scope) -> str | None:
        """The path format of the API route `scope` goes to (`/open-api/v2/orders/{order_id}`),
        None when it goes to none (for the metrics, which label requests by it)."""
        selected = self.index().select(scope)
        return None if selected is None else str(selected[0].matcher.path_format)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("root_path"):
            await self._fallback(scope, receive, send)
            return
        selected = self.index().select(scope)
        if selected is None:
            await self._fallback(scope, receive, send)
            return
        candidate, child_scope = selected
        # As FastAPI's router does with the route it selects (in an included router, or
        # among the app's own routes).
        scope.setdefault("router", self._app.router)
        scope.update(child_scope)
        matcher = candidate.matcher
        _route_selected(scope=scope, path=matcher.path_format)
        if candidate.included:
            _get_fastapi_scope(scope)[_FASTAPI_EFFECTIVE_ROUTE_CONTEXT_KEY] = matcher
            scope["route"] = matcher.original_route
        plain = candidate.plain
        if plain is not None:
            path = scope["path_params"]
            arguments = {name: path[alias] for name, alias in plain.names}
            arguments[plain.request] = Request(scope, receive, send)
            response = await plain.endpoint(**arguments)
            await response(scope, receive, send)
        elif candidate.included:
            await matcher.original_route.handle(scope, receive, send)
        else:
            await matcher.handle(scope, receive, send)


def install(app: FastAPI) -> None:
    """Route `app`'s requests through the index (after its routes are added)."""
    router: Any = app.router
    router.middleware_stack = IndexedRouting(app, router.middleware_stack)
