"""What the catalogue routers share: scope-checked callers and the body parser."""

from __future__ import annotations

from typing import Any, TypeVar, get_args

import orjson
from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect

from clopos.core.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The wire models an annotation holds (`X`, `list[X]`, `X | None`, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def _upper_bound(model: type[BaseModel], location: tuple[Any, ...]) -> Any:
    """The `le` bound of the field at `location` in `model`, or None: pydantic names it for a
    number over the bound, but not for an integer too large to parse at all (1e30)."""
    field = None
    current: Any = model
    for part in location:
        if isinstance(part, int):  # an index into a list: the item model is found below
            continue
        found = [m for m in _models_in(current) if part in m.model_fields]
        if not found:
            return None
        field = found[0].model_fields[part]
        current = field.annotation
    if field is None:
        return None
    return next((meta.le for meta in field.metadata if getattr(meta, "le", None) is not None), None)


def _sentence(error: Any, model: type[BaseModel] | None = None) -> str:
    """A pydantic error in Laravel's words: "The name field is required."."""
    location = [str(part) for part in error.get("loc", ()) if part != "__root__"]
    field = ".".join(location) or "body"
    kind = error.get("type", "")
    if kind == "missing":
        return f"The {field} field is required."
    if kind == "string_too_short":  # an empty (or blank) string counts as missing
        return f"The {field} field is required."
    texts = {
        "string_type": "must be a string",
        "int_type": "must be an integer",
        "int_parsing": "must be an integer",
        "int_from_float": "must be an integer",
        "uuid_type": "must be a valid UUID",
        "uuid_parsing": "must be a valid UUID",
        "date_type": "must be a valid date (YYYY-MM-DD)",
        "date_from_datetime_parsing": "must be a valid date (YYYY-MM-DD)",
        "date_parsing": "must be a valid date (YYYY-MM-DD)",
        "string_too_long": "is too long",
        "greater_than_equal": "must be at least 1",
    }
    bound = error.get("ctx") or {}
    if kind == "greater_than_equal" and "ge" in bound:
        return f"The {field} field must be at least {bound['ge']}."
    if kind == "less_than_equal" and "le" in bound:
        return f"The {field} field must not be greater than {bound['le']}."
    if kind == "int_parsing_size":  # too many digits to be an integer at all
        le = None if model is None else _upper_bound(model, tuple(error.get("loc", ())))
        if le is not None:
            return f"The {field} field must not be greater than {le}."
        return f"The {field} field is too large."
    if kind == "too_short" and "min_length" in bound:
        least = bound["min_length"]
        return f"The {field} field must have at least {least} item{'' if least == 1 else 's'}."
    if kind == "literal_error":
        return f"The selected {field} is invalid."
    if kind == "value_error":
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        return f"The {field} field {message}."
    return f"The {field} field {texts.get(kind, 'is invalid')}."


# Where a request's body is kept once read: after the body, the channel only ever answers the
# disconnect (a second read would wait for it), and a route may parse the body twice (v2
# order creation looks for v1's `payload` first).
_BODY = "clopos.body"


async def body_of(request: Request) -> bytes:
    """The request's body, read from the ASGI channel (through the pipeline's bounds) once.

    Starlette's `Request.body()` gathers it through an async generator and its closing
    context: a tenth of a token exchange's CPU."""
    scope = request.scope
    body: bytes | None = scope.get(_BODY)
    if body is not None:
        return body
    message = await request.receive()
    if message["type"] == "http.disconnect":
        raise ClientDisconnect()
    body = message.get("body", b"")
    while message.get("more_body", False):
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        body += message.get("body", b"")
    scope[_BODY] = body
    return body


async def validated_body(request: Request, model: type[M]) -> M:
    """The JSON body as `model`, or 400 `{"message": "Validation failed", "error": "<why>"}`."""
    raw = await body_of(request)
    try:
        payload = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError:
        raise ValidationFailed("The request body must be valid JSON.") from None
    if not isinstance(payload, dict):
        raise ValidationFailed("The request body must be a JSON object.")
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise ValidationFailed(_sentence(first, model)) from None
