"""Bodies of the order and receipt writes: refusals in the orders pages' shape
(`{"error": "validation_failed", "message": "<why>"}`), and schemas for the document."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel

from clopos.core.errors import Invalid, ValidationFailed
from clopos.schemas.common import ErrorBody
from clopos.server.api._common import validated_body

M = TypeVar("M", bound=BaseModel)


async def parsed(request: Request, model: type[M], message: str | None = None) -> M:
    """The body as `model`; a malformed one is 400 `validation_failed` naming the field (or
    saying `message`, where the reference documents one)."""
    try:
        return await validated_body(request, model)
    except ValidationFailed as refusal:
        raise Invalid(message or refusal.error, error="validation_failed") from None


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """`model`'s JSON schema with its `$defs` written in place (the document has no
    components for request bodies)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(definitions[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def body_schema(*models: type[BaseModel], required: bool = True) -> dict[str, Any]:
    """`openapi_extra` for a body the route parses itself: one model, or any of several."""
    schemas = [inline_schema(model) for model in models]
    schema = schemas[0] if len(schemas) == 1 else {"anyOf": schemas}
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": schema}},
        }
    }


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Error answers FastAPI cannot know a route gives (409s of concurrent changes...)."""
    texts = {
        400: "Malformed or refused input",
        404: "No such record",
        409: "The record's state forbids this, or another request changed it first",
    }
    return {code: {"model": ErrorBody, "description": texts[code]} for code in codes}
