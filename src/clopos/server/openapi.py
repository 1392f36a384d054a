"""The OpenAPI document: what FastAPI derives from the routes, plus what it cannot know.

FastAPI documents a 422 for every validated route, but every malformed request here answers
400; and it cannot know the guard's answers (401, 403, 429) or the `x-token` scheme. This
fills both in, so the document (and the "Authorize" button of /docs) matches the wire.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from clopos.schemas.common import ErrorBody

_ERRORS = {
    "400": "Malformed or out-of-range parameters or body",
    "401": "Missing, invalid, expired or revoked token",
    "403": "A valid token used outside its brand, venue, stage or scopes",
    "404": "No such resource",
    "429": "Too many requests: see `Retry-After` and the rate-limit headers",
}
_SECURITY_SCHEMES = {
    name: {"type": "apiKey", "in": "header", "name": header, "description": text}
    for name, header, text in (
        ("token", "x-token", "The token from /open-api/auth or /open-api/v2/auth"),
        ("brand", "x-brand", "v1: the brand the token was issued for"),
        ("venue", "x-venue", "v1: the venue the token was issued for; v2: another venue"),
    )
}
_EXCHANGES = ("/open-api/auth", "/open-api/v2/auth")


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/ErrorBody"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document(app: FastAPI) -> dict[str, Any]:
    """Build (once) and answer the app's OpenAPI document."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["ErrorBody"] = ErrorBody.model_json_schema()
    components["securitySchemes"] = _SECURITY_SCHEMES
    for path, operations in spec.get("paths", {}).items():
        if not path.startswith("/open-api"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            wanted = ["400", "429"] if path in _EXCHANGES else list(_ERRORS)
            if method == "post" and path not in _EXCHANGES:
                wanted.append("409")
            for code in wanted:
                responses.setdefault(code, _error(_ERRORS.get(code, "Conflict with a record")))
            if path in _EXCHANGES:
                continue
            v1 = not path.startswith("/open-api/v2/")
            operation["security"] = [
                {"token": [], "brand": [], "venue": []} if v1 else {"token": []}
            ]
    app.openapi_schema = spec
    return spec
