"""The route index takes the route FastAPI's own matching takes first, for every route."""

from __future__ import annotations

import re
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Path, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, _IncludedRouter, iter_route_contexts
from starlette.routing import Match

from clopos.server.app import create_app
from clopos.server.openapi import route_queries
from clopos.server.route_index import RouteIndex, _plain
from clopos.server.settings import Settings

APP = create_app(Settings())
CONTEXTS = list(iter_route_contexts(APP.routes))


def _scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def _first_full_match(scope: dict[str, Any]) -> Any | None:
    """Every route tried in the app's order, as FastAPI does: the first full match."""
    for route_context in CONTEXTS:
        context = route_context._route_context
        matcher = context if context is not None else route_context.original_route
        if matcher.matches(scope)[0] is Match.FULL:
            return matcher.original_route if context is not None else matcher
    return None


def _paths() -> list[str]:
    paths = {"/", "/nothing", "/open-api", "/open-api/v2", "/open-api/v2/nothing/here"}
    for route_context in CONTEXTS:
        path = route_context.path_format or route_context.path
        for value in ("7", "cid", "abc-1"):
            filled = re.sub(r"\{[^}]+\}", value, path)
            paths |= {filled, filled + "/", filled + "/extra", filled.rsplit("/", 1)[0]}
    return sorted(paths)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.mark.parametrize("path", _paths())
def test_the_index_selects_what_matching_every_route_selects(path: str) -> None:
    index = RouteIndex(APP)
    for method in METHODS:
        scope = _scope(method, path)
        expected = _first_full_match(scope)
        selected = index.select(scope)
        if expected is None or not isinstance(expected, APIRoute):
            assert selected is None, (method, path)
            continue
        assert selected is not None, (method, path)
        candidate, child_scope = selected
        chosen = candidate.matcher.original_route if candidate.included else candidate.matcher
        assert chosen is expected, (method, path)
        assert child_scope["endpoint"] is expected.endpoint


def test_every_api_route_is_reached_through_the_index() -> None:
    """Each API route (v1 and v2 alike) is selected for its own path and method."""
    index = RouteIndex(APP)
    reached = 0
    for route_context in CONTEXTS:
        if not isinstance(route_context.original_route, APIRoute):
            continue
        path = re.sub(r"\{[^}]+\}", "7", route_context.path_format)
        for method in route_context.methods or ():
            selected = index.select(_scope(method, path))
            assert selected is not None, (method, path)
            assert selected[0].matcher.path_format == route_context.path_format
            reached += 1
    assert reached > 60  # the v1 and v2 operations: not a loop over nothing


def test_every_open_api_route_is_called_by_the_index_itself() -> None:
    """The API's routes take only the request and their path parameters (they check their
    scope and parse their query themselves), so the index calls them without FastAPI's
    request handling; a route that declared a dependency or a parameter for FastAPI to
    parse would lose that silently, and fails here instead."""
    index = RouteIndex(APP)
    called = 0
    for route_context in CONTEXTS:
        path = route_context.path_format or ""
        if not path.startswith("/open-api") or not route_context.methods:
            continue
        method = sorted(route_context.methods)[0]
        selected = index.select(_scope(method, re.sub(r"\{[^}]+\}", "7", path)))
        assert selected is not None and selected[0].plain is not None, (method, path)
        called += 1
    assert called > 50


def test_a_request_builds_only_the_route_contexts_of_the_routers_it_tries() -> None:
    """FastAPI builds an included router's effective route contexts (pydantic fields for
    each route) when a request first tries one of its routes; neither the index nor the
    query check's list of routes may build every router's at once, which costs each new
    app about 50 ms (most of a test server's first request)."""
    app = create_app(Settings())
    included = [route for route in app.router.routes if isinstance(route, _IncludedRouter)]
    index = RouteIndex(app)
    assert len(list(route_queries(app))) > 60  # the query check's reading of every route
    assert not [router for router in included if router._effective_candidates_version is not None]
    selected = index.select(_scope("GET", "/open-api/v2/venues"))
    assert selected is not None and selected[0].plain is not None
    assert selected[0].matcher.path_format == "/open-api/v2/venues"
    built = [router for router in included if router._effective_candidates_version is not None]
    assert 0 < len(built) <= 3 < len(included)


def _route(endpoint: Any) -> Any:
    app = FastAPI()
    app.add_api_route("/things/{thing_id}", endpoint, methods=["GET"])
    return _plain(next(r for r in app.routes if isinstance(r, APIRoute)).dependant)


async def _depends_on_something() -> int:
    return 1


def test_what_fastapi_must_solve_stays_with_fastapi() -> None:
    async def plain(request: Request, thing_id: str) -> JSONResponse:
        return JSONResponse({})

    async def with_query(request: Request, thing_id: str, q: int = 0) -> JSONResponse:
        return JSONResponse({})

    async def with_dependency(
        request: Request, thing_id: str, n: Annotated[int, Depends(_depends_on_something)]
    ) -> JSONResponse:
        return JSONResponse({})

    async def with_typed_path(request: Request, thing_id: int) -> JSONResponse:
        return JSONResponse({})

    async def with_constrained_path(
        request: Request, thing_id: Annotated[str, Path(max_length=3)]
    ) -> JSONResponse:
        return JSONResponse({})

    async def answering_a_dict(request: Request, thing_id: str) -> dict[str, int]:
        return {}

    def synchronous(request: Request, thing_id: str) -> JSONResponse:
        return JSONResponse({})

    found = _route(plain)
    assert found is not None and found.request == "request"
    assert found.names == (("thing_id", "thing_id"),)
    for endpoint in (
        with_query,
        with_dependency,
        with_typed_path,
        with_constrained_path,
        answering_a_dict,
        synchronous,
    ):
        assert _route(endpoint) is None, endpoint.__name__
