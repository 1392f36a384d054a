"""Strict validation of an answer against a wire model.

The wire models keep unknown keys and coerce types so that clients survive newer servers.
Checking an answer needs the opposite: `strict` JSON types (no `1` for `true`, no `"1"` for
`1`), every key known at every level (`extra="forbid"` applied recursively at validation
time), and keys matched by their wire names only (`_lft`, never `lft`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError


@cache
def adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def problems(model: Any, body: bytes) -> tuple[list[str], Any]:
    """Why `body` does not conform to `model` (one line each), and the validated value."""
    try:
        value = adapter(model).validate_json(
            body, strict=True, extra="forbid", by_alias=True, by_name=False
        )
    except ValidationError as error:
        lines = [
            f"{'.'.join(map(str, e['loc'])) or '(body)'}: {e['msg']}"
            for e in error.errors(include_url=False)
        ]
        return lines, None
    return [], value


def _models(value: Any) -> Iterator[BaseModel]:
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _models(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _models(item)


def generic_origin(model: type[BaseModel]) -> type[BaseModel]:
    """`Envelope` for `Envelope[Product]`: fields are declared once for every parameter."""
    origin = model.__pydantic_generic_metadata__["origin"]
    return origin if origin is not None else model


class FieldUse:
    """Which declared fields of each model some answer carried (by field name)."""

    def __init__(self) -> None:
        self.seen: dict[type[BaseModel], set[str]] = defaultdict(set)

    def record(self, value: Any) -> None:
        for model in _models(value):
            self.seen[generic_origin(type(model))] |= model.model_fields_set

    def never_answered(self) -> dict[str, list[str]]:
        """`{"Product": ["gov_code", ...]}`: declared fields no answer had."""
        missing = {
            model.__name__: sorted(set(model.model_fields) - fields)
            for model, fields in self.seen.items()
        }
        return {name: fields for name, fields in sorted(missing.items()) if fields}
