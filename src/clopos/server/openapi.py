"""The OpenAPI document: what FastAPI derives from the routes, plus what it cannot know.

FastAPI documents a 422 for every validated route, but every malformed request here answers
400; and it cannot know the guard's answers (401, 403, 429), the operator API's (401, 404),
or the `x-token` and operator schemes. This fills them in, so the document (and the
"Authorize" button of /docs) matches the wire.

Response schemas are closed (`additionalProperties: false` on every object schema with
declared properties): the answers carry exactly the declared fields, which
tests/conformance checks for every route and tests/fuzz for generated requests. The wire
models themselves stay open, so the Python client tolerates newer servers; request bodies
and free-form objects (`meta`, `media`, ...) are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel

from clopos.core.listing import ListSpec
from clopos.core.query import MAX_PAGE
from clopos.schemas.common import ErrorBody, LaravelErrorBody
from clopos.server.errors import is_v1_api
from clopos.server.route_index import listed_routes

_ERRORS = {
    "400": "Malformed or out-of-range parameters or body",
    "401": "Missing, invalid, expired or revoked token",
    "403": "A valid token used outside its brand, venue, stage or scopes",
    "404": "No such resource",
    "429": "Too many requests: see `Retry-After` and the rate-limit headers",
}
_OPERATOR_ERRORS = {
    "400": "Malformed product id or body",
    "401": "Missing or invalid operator token",
    "404": "Unknown brand or product, or the operator API is disabled (no CLOPOS_ADMIN_TOKEN)",
}
_SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    name: {"type": "apiKey", "in": "header", "name": header, "description": text}
    for name, header, text in (
        ("token", "x-token", "The token from /open-api/auth or /open-api/v2/auth"),
        ("brand", "x-brand", "v1: the brand the token was issued for"),
        ("venue", "x-venue", "v1: the venue the token was issued for; v2: another venue"),
    )
}
_SECURITY_SCHEMES["operator"] = {
    "type": "http",
    "scheme": "bearer",
    "description": "The operator API: `Authorization: Bearer <CLOPOS_ADMIN_TOKEN>`",
}
_EXCHANGES = ("/open-api/auth", "/open-api/v2/auth")
# pipeline/query_names.py: what an answer says of the query parameters its route ignored.
_IGNORED = {
    "description": "The query parameters this operation does not read and ignored, as sent "
    "(comma-separated; absent when none). With CLOPOS_UNKNOWN_QUERY_PARAMETERS=reject they "
    "are refused with a 400 `unknown_parameter` instead.",
    "schema": {"type": "string"},
}
_OPERATOR = "/admin/api/"
_REF = "#/components/schemas/"


def _error(description: str, body: str = "ErrorBody") -> dict[str, Any]:
    schema = {"$ref": f"{_REF}{body}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _add_model(schemas: dict[str, Any], model: type[BaseModel]) -> None:
    """`model`'s schema and those it uses as components (not as a schema's own `$defs`)."""
    schema = model.model_json_schema(ref_template=_REF + "{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema


# Refusals of the request's shape (pipeline/limits.py), on every operation.
_SHAPE_ERRORS = {
    "414": "The request target (path and query) is longer than 8 KiB",
    "431": "The request headers are larger than 16 KiB, or more than 100",
}
_BODY_ERRORS = {
    "408": "The request body did not arrive within CLOPOS_BODY_TIMEOUT",
    "413": "The request body is larger than CLOPOS_MAX_BODY_BYTES (4 KiB on the exchanges)",
}


def _shape_errors(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    errors = dict(_SHAPE_ERRORS)
    if method in ("post", "put", "patch") or "requestBody" in operation:
        errors.update(_BODY_ERRORS)
    for code, description in errors.items():
        responses.setdefault(code, _error(description))


def _api_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    _shape_errors(method, operation)
    responses = operation.setdefault("responses", {})
    wanted = ["400", "429"] if path in _EXCHANGES else list(_ERRORS)
    if method == "post" and path not in _EXCHANGES:
        wanted.append("409")
    for code in wanted:
        responses.setdefault(code, _error(_ERRORS.get(code, "Conflict with a record")))
    if path == "/open-api/v2/auth":
        # Documented: a test integrator on a production brand is refused with a 200.
        content = responses["200"]["content"]["application/json"]
        content["schema"] = {"anyOf": [content["schema"], {"$ref": f"{_REF}ErrorBody"}]}
    if path in _EXCHANGES:
        return
    for code, answer in responses.items():
        if code.startswith("2"):
            answer.setdefault("headers", {})["X-Clopos-Ignored-Parameters"] = _IGNORED
    v1 = is_v1_api(path)
    if v1:  # the real v1 backend's Laravel list (server/errors.py `error_body`)
        description = responses["404"].get("description", _ERRORS["404"])
        responses["404"] = _error(description, "LaravelErrorBody")
    operation["security"] = [{"token": [], "brand": [], "venue": []} if v1 else {"token": []}]


def _operator_operation(path: str, method: str, operation: dict[str, Any]) -> None:
    _shape_errors(method, operation)
    responses = operation.setdefault("responses", {})
    wanted = ["401", "404"]
    if "{product_id}" in path or "requestBody" in operation:
        wanted.insert(0, "400")
    for code in wanted:
        responses.setdefault(code, _error(_OPERATOR_ERRORS[code]))
    operation["security"] = [{"operator": []}]


def _refs(node: Any) -> Iterator[str]:
    """The component names `node` refers to, at any depth."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            yield ref.removeprefix(_REF)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _reachable(schemas: dict[str, Any], roots: Iterator[str]) -> set[str]:
    found: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in found or name not in schemas:
            continue
        found.add(name)
        pending.extend(_refs(schemas[name]))
    return found


def _close(node: Any) -> None:
    """`additionalProperties: false` on every object schema in `node` that lists properties."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            node["additionalProperties"] = False
            for value in node["properties"].values():
                _close(value)
        for key in ("items", "anyOf", "oneOf", "allOf", "prefixItems"):
            _close(node.get(key))
    elif isinstance(node, list):
        for item in node:
            _close(item)


def _answers(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                for media in response.get("content", {}).values():
                    if "schema" in media:
                        yield media["schema"]


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _relations(spec: ListSpec) -> list[dict[str, Any]]:
    if not spec.relations:
        return []
    parameter = _query(
        "with[]",
        {"type": "array", "items": {"type": "string", "enum": sorted(spec.relations)}},
        "Relations to include, one `with[]=` each",
    )
    return [{**parameter, "style": "form", "explode": True}]


def _list_parameters(spec: ListSpec, path: str) -> list[dict[str, Any]]:
    """The list-query language (core/query.py) as this list accepts it, in the documented
    bracket syntax, with its bounds."""
    paging = spec.paging
    limit = {
        "type": "integer",
        "minimum": paging.minimum,
        "maximum": paging.maximum,
        "default": paging.default,
    }
    parameters = [
        _query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            "Page number, from 1",
        ),
        _query("limit", limit, f"Rows per page, {paging.minimum} to {paging.maximum}"),
        *_relations(spec),
    ]
    if spec.sorts:
        fields = {"type": "string", "enum": spec.sort_names}
        if "/price-lists" in path:  # sort[N][0]=field&sort[N][1]=asc
            parameters += [
                _query("sort[0][0]", fields, "Sort field"),
                _query("sort[0][1]", {"type": "string", "enum": ["asc", "desc"]}, "Direction"),
            ]
        else:  # sort[0]=field&sort[1]=-1
            parameters += [
                _query("sort[0]", fields, "Sort field"),
                _query(
                    "sort[1]",
                    {"type": "string", "enum": ["1", "-1"]},
                    "Direction: 1 ascending, -1 descending (the default)",
                ),
            ]
    if spec.filters:
        parameters += [
            _query(
                "filters[0][0]",
                {"type": "string", "enum": sorted(spec.filters)},
                "Filter field (further filters: filters[1][0], ...)",
            ),
            _query(
                "filters[0][1]",
                {"type": "string", "maxLength": 255},
                "Filter value (a list: filters[0][1][0], filters[0][1][1], ...)",
            ),
        ]
        if path == "/open-api/products":
            parameters.append(
                _query(
                    "filters",
                    {"type": "string", "maxLength": 4096},
                    'v1: the filters as one JSON value, `[["field", value], ...]`',
                )
            )
    if spec.date_column is not None:
        day = {"type": "string", "format": "date"}
        parameters += [
            _query("date[0]", day, "From this day (YYYY-MM-DD), inclusive"),
            _query("date[1]", day, "Up to this day (YYYY-MM-DD), inclusive"),
        ]
    if spec.selects:
        parameters.append(
            _query(
                "selects",
                {"type": "string", "maxLength": 1024},
                "Comma-separated fields to answer, among: " + ", ".join(sorted(spec.selects)),
            )
        )
    for name in sorted(spec.named):
        parameters.append(_query(name, {"type": "string", "maxLength": 255}, f"Filter on {name}"))
    return parameters


def _route_spec(route: APIRoute) -> tuple[ListSpec | None, bool]:
    """The list spec a handler reads its query with (`<service>.<SPEC>.parse(...)`, or
    `parse_relations` then `check_relations(..., <service>.<SPEC>.relations)`), and whether
    it is a list (else a single record, which takes `with[]` only)."""
    declared = getattr(route.endpoint, "list_spec", None)
    if declared is not None:  # a handler made for a resource says it (server/api/_records.py)
        spec_of, is_list = declared
        return spec_of, is_list
    code = getattr(route.endpoint, "__code__", None)
    if code is None:
        return None, False
    names = code.co_names
    namespace = getattr(route.endpoint, "__globals__", {})
    listing = "parse_relations" not in names and "parse" in names
    modules = [namespace[name] for name in names if isinstance(namespace.get(name), ModuleType)]
    for module in modules:
        for attribute in names:
            spec = getattr(module, attribute, None)
            if isinstance(spec, ListSpec):
                return spec, listing
    if "parse_relations" in names:  # the service checks them against its `SPEC`
        for module in modules:
            spec = getattr(module, "SPEC", None)
            if isinstance(spec, ListSpec):
                return spec, False
    return None, False


# Plain flags single-record handlers read (`request.query_params.get("include_children")`).
_FLAGS = {
    "include_children": "Include the category's children: 1 (the default) or 0",
}


# Plain values operator handlers read (`request.query_params.get("status")`).
_OPERATOR_VALUES = {
    "status": "Only the records in this status",
}


def _flags(route: APIRoute) -> list[dict[str, Any]]:
    constants = getattr(getattr(route.endpoint, "__code__", None), "co_consts", ())
    return [
        _query(name, {"type": "string", "enum": ["1", "0"]}, text)
        for name, text in _FLAGS.items()
        if name in constants
    ]


def _operator_values(route: APIRoute) -> list[dict[str, Any]]:
    code = getattr(route.endpoint, "__code__", None)
    if code is None or "query_params" not in code.co_names:
        return []
    return [
        _query(name, {"type": "string", "maxLength": 255}, text)
        for name, text in _OPERATOR_VALUES.items()
        if name in code.co_consts
    ]


def route_queries(app: FastAPI) -> Iterator[tuple[str, frozenset[str], list[dict[str, Any]]]]:
    """Each API and operator route's path, methods and the query parameters its handler
    parses itself (GETs only: no other route reads its query). What the document declares,
    and what pipeline/query_names.py checks requests against, without building the document
    (nor FastAPI's route contexts: route_index.listed_routes)."""
    for listed in listed_routes(app.routes):
        route, path = listed.route, listed.path
        if not isinstance(route, APIRoute) or not path.startswith(("/open-api", _OPERATOR)):
            continue
        methods = frozenset(route.methods or ())
        declared: list[dict[str, Any]] = []
        if "GET" not in methods:
            pass
        elif path.startswith(_OPERATOR):  # they pass their own fixed query to the lists
            declared = _operator_values(route)
        else:
            spec, listing = _route_spec(route)
            declared = _flags(route)
            if spec is not None:
                declared += _list_parameters(spec, path) if listing else _relations(spec)
        yield path, methods, declared


def _declare_queries(app: FastAPI, paths: dict[str, Any]) -> None:
    """Declare the query parameters the handlers parse themselves."""
    for path, methods, declared in route_queries(app):
        operation = paths.get(path, {}).get("get")
        if operation is None or "GET" not in methods:
            continue
        present = {parameter["name"] for parameter in operation.get("parameters", [])}
        operation["parameters"] = [
            *operation.get("parameters", []),
            *(parameter for parameter in declared if parameter["name"] not in present),
        ]


def document(app: FastAPI) -> dict[str, Any]:
    """Build (once) and answer the app's OpenAPI document."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    _add_model(schemas, ErrorBody)
    _add_model(schemas, LaravelErrorBody)
    components["securitySchemes"] = _SECURITY_SCHEMES
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            if path.startswith("/open-api"):
                operation.get("responses", {}).pop("422", None)
                _api_operation(path, method, operation)
            elif path.startswith(_OPERATOR):
                operation.get("responses", {}).pop("422", None)
                _operator_operation(path, method, operation)
    _declare_queries(app, spec.get("paths", {}))
    answers = list(_answers(spec))
    # Components nothing refers to any more (FastAPI's 422 body) are dropped.
    used = _reachable(schemas, _refs(spec.get("paths", {})))
    for name in set(schemas) - used:
        del schemas[name]
    for schema in answers:
        _close(schema)
    for name in _reachable(schemas, _refs(answers)):
        _close(schemas[name])
    app.openapi_schema = spec
    return spec
