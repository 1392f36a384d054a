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
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from clopos.schemas.common import ErrorBody

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
_OPERATOR = "/admin/api/"
_REF = "#/components/schemas/"


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": f"{_REF}ErrorBody"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _add_model(schemas: dict[str, Any], model: type[BaseModel]) -> None:
    """`model`'s schema and those it uses as components (not as a schema's own `$defs`)."""
    schema = model.model_json_schema(ref_template=_REF + "{model}")
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema


def _api_operation(path: str, method: str, operation: dict[str, Any]) -> None:
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
    v1 = not path.startswith("/open-api/v2/")
    operation["security"] = [{"token": [], "brand": [], "venue": []} if v1 else {"token": []}]


def _operator_operation(path: str, operation: dict[str, Any]) -> None:
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
    components["securitySchemes"] = _SECURITY_SCHEMES
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            if path.startswith("/open-api"):
                operation.get("responses", {}).pop("422", None)
                _api_operation(path, method, operation)
            elif path.startswith(_OPERATOR):
                operation.get("responses", {}).pop("422", None)
                _operator_operation(path, operation)
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
