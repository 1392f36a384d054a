"""Envelopes and error bodies that every endpoint shares."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

T = TypeVar("T")


class WireModel(BaseModel):
    """Base of every wire model: unknown fields are kept, so newer servers never break clients."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ErrorDetails(WireModel):
    """v1's description of an out-of-range parameter (`limit`, `page`)."""

    parameter: str
    provided_value: str = Field(description="The value as it was sent")
    valid_range: str = Field(examples=["1-100"])


class ErrorBody(WireModel):
    """`{"success": false, "error": "<machine id>", "message": "<text>"}`, and the fields some
    errors add: `details` (an out-of-range parameter), `required_scope` (403 for a scope the
    client lacks), `expires_at` (401 for an expired token, ISO 8601)."""

    success: Literal[False] = False
    error: str = Field(examples=["invalid_parameter"])
    message: str = Field(examples=["The 'limit' parameter must be between 1 and 100"])
    details: ErrorDetails | None = None
    required_scope: str | None = None
    expires_at: str | None = None


class LaravelError(WireModel):
    """One element of the v1 backend's Laravel error list (reference 3, item 3)."""

    message: str = Field(examples=["No query results for model [App\\Models\\Auth\\User] 1000"])
    type: str = Field(examples=["server_side"])
    exception: str = Field(examples=["NotFoundHttpException"])
    code: int | str | None = None
    http_code: int = Field(examples=[404])


class LaravelErrorBody(WireModel):
    """v1's not-found answer as the real backend gives it: `error` is a list, `message` null."""

    success: Literal[False] = False
    error: list[LaravelError]
    message: str | None = None


class Envelope(WireModel, Generic[T]):
    """The documented success envelope of a single-object endpoint; writes add `message`."""

    success: Literal[True] = True
    data: T
    time: int = Field(description="Milliseconds the server spent")
    timestamp: str = Field(description="UTC, `YYYY-MM-DD HH:MM:SS`")
    unix: int = Field(description="Unix seconds")
    message: str | None = None


class ListEnvelope(WireModel, Generic[T]):
    """The documented success envelope of a list endpoint; `sorts` names the fields `sort[0]`
    accepts (absent where the list is not sortable)."""

    success: Literal[True] = True
    data: list[T]
    total: int = Field(description="Matching records before paging")
    time: int = Field(description="Milliseconds the server spent")
    timestamp: str = Field(description="UTC, `YYYY-MM-DD HH:MM:SS`")
    unix: int = Field(description="Unix seconds")
    sorts: list[str] | None = None


class Health(WireModel):
    """`GET /health`: the server is up, and its version."""

    status: Literal["ok"]
    version: str


class Readiness(WireModel):
    """`GET /ready` (200 or 503): whether this server may take traffic, and what each check
    found (`ok`, or what is wrong)."""

    status: Literal["ready", "unready"]
    checks: dict[str, str]


class Pagination(WireModel):
    """The `pagination` object that price lists answer instead of `total`."""

    page: int
    per_page: int
    total: int
    total_pages: int


class PaginatedEnvelope(WireModel, Generic[T]):
    """`{data, pagination}`: the price-list variant of a list envelope (plus `success`)."""

    success: Literal[True] = True
    data: list[T]
    pagination: Pagination
    # Added (issue 8): the time fields of every other envelope, which clients parse.
    time: int = Field(description="Milliseconds the server spent")
    timestamp: str = Field(description="UTC, `YYYY-MM-DD HH:MM:SS`")
    unix: int = Field(description="Unix seconds")


INT64 = range(-(2**63), 2**63)


def _unstorable(value: object) -> str | None:
    """Why a database could not store `value` as given, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if value in INT64 else "is out of range"
    if isinstance(value, str):
        return "must not contain NUL characters" if "\x00" in value else None
    if isinstance(value, list | tuple | set):
        return next((why for item in value if (why := _unstorable(item))), None)
    return None


class Storable(BaseModel):
    """Refuses values a database cannot hold (integers beyond 64 bits, NUL characters, which
    PostgreSQL rejects) with a validation error, instead of failing in the database."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        why = _unstorable(value)
        if why is not None:
            raise ValueError(why)
        return value
