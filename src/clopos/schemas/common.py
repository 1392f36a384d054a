"""Envelopes and error bodies that every endpoint shares."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are kept, so newer servers never break clients."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ErrorBody(WireModel):
    """`{"success": false, "error": "<machine id>", "message": "<text>"}`."""

    success: Literal[False] = False
    error: Any = None
    message: str | None = None


class Envelope(WireModel, Generic[T]):
    """The documented success envelope of a single-object endpoint."""

    success: bool = True
    data: T
    time: int | None = None
    timestamp: str | None = None
    unix: int | None = None
    message: str | None = None


class ListEnvelope(WireModel, Generic[T]):
    """The documented success envelope of a list endpoint."""

    success: bool = True
    data: list[T]
    total: int | None = None
    time: int | None = None
    timestamp: str | None = None
    unix: int | None = None
    sorts: list[str] | None = None


class Pagination(WireModel):
    """The `pagination` object that price lists answer instead of `total`."""

    page: int
    per_page: int
    total: int
    total_pages: int


class PaginatedEnvelope(WireModel, Generic[T]):
    """`{data, pagination}`: the price-list variant of a list envelope."""

    data: list[T]
    pagination: Pagination
