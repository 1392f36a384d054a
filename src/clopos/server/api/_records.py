"""Routes of a resource read through `core.records.Records`: its list (with `total` and
`sorts`), one record by id, and sums over what a list query matches. Written once for the
finance and inventory resources, whose routes differ only in path, scope and shape.

This module keeps its annotations evaluated (no `from __future__ import annotations`):
FastAPI reads the routes' signatures, which name the wire model given to each call.
"""

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from clopos.core.formats import parse_id
from clopos.core.listing import ListSpec
from clopos.core.query import ListQuery
from clopos.core.records import Records
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import RecordId
from clopos.server.responses import JSON, envelope


def _listed(wire: type[BaseModel]) -> Any:
    return ListEnvelope[wire]  # type: ignore[valid-type]


def _single(wire: type[BaseModel]) -> Any:
    return Envelope[wire]  # type: ignore[valid-type]


def list_route(
    router: APIRouter, path: str, records: Records, scope: str, wire: type[BaseModel]
) -> None:
    """`path` answers a page of `records`."""
    listed_route(router, path, scope, wire, records.page, records.spec)


def item_route(
    router: APIRouter, path: str, records: Records, scope: str, wire: type[BaseModel]
) -> None:
    """`path` answers one of `records` by its id."""

    async def one(request: Request, record_id: RecordId) -> JSON:
        principal, db = granted(request, scope), database(request)
        found = await db.read(records.one, principal.brand_id, parse_id(record_id))
        return envelope(request.scope, found)

    router.add_api_route(
        path, one, methods=["GET"], response_model=_single(wire), name=f"get {path}"
    )


def sums_route(
    router: APIRouter,
    path: str,
    records: Records,
    scope: str,
    wire: type[BaseModel],
    columns: Mapping[str, Any],
    shape: Callable[[dict[str, Any]], dict[str, Any]] = dict,
) -> None:
    """`path` answers `{"count": n, <name>: sum ...}` over what the list query matches
    (`shape` renames or rounds the sums)."""

    def sums(session: Session, brand_id: int, query: ListQuery) -> dict[str, Any]:
        return shape(records.sums(session, brand_id, query, columns))

    object_route(router, path, scope, wire, sums, records.spec, name=f"total {path}")


def listed_route(
    router: APIRouter,
    path: str,
    scope: str,
    wire: type[BaseModel],
    read: Callable[..., Any],
    spec: ListSpec,
) -> None:
    """`path` answers a page a core function makes of a query `spec` parses."""

    async def listing(request: Request) -> JSON:
        principal, db = granted(request, scope), database(request)
        query = spec.parse(request.query_params.multi_items())
        page = await db.read(read, principal.brand_id, query)
        return envelope(request.scope, page.rows, total=page.total, sorts=spec.sort_names)

    declare(listing, spec)
    router.add_api_route(
        path, listing, methods=["GET"], response_model=_listed(wire), name=f"list {path}"
    )


def object_route(
    router: APIRouter,
    path: str,
    scope: str,
    wire: type[BaseModel],
    read: Callable[..., Any],
    spec: ListSpec,
    name: str | None = None,
) -> None:
    """`path` answers one object a core function makes of a query `spec` parses (its
    filters and dates narrow what it sums)."""

    async def one(request: Request) -> JSON:
        principal, db = granted(request, scope), database(request)
        query = spec.parse(request.query_params.multi_items())
        return envelope(request.scope, await db.read(read, principal.brand_id, query))

    declare(one, spec)
    router.add_api_route(
        path, one, methods=["GET"], response_model=_single(wire), name=name or f"object {path}"
    )


def declare(handler: Any, spec: ListSpec) -> None:
    """Say which list spec `handler` parses its query with: the OpenAPI document declares
    its parameters, and the unknown-parameter check knows them (server/openapi.py)."""
    handler.list_spec = (spec, True)
