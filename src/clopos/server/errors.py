"""HTTP errors of the Open API edge, and the one mapping from domain errors to them."""

from __future__ import annotations

from typing import Any

from clopos.core.errors import Conflict, DomainError, Forbidden, NotFound


class ApiError(Exception):
    """An error answered as `{"success": false, "error": <error>, "message": <message>, ...}`."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {"success": False, "error": self.error, "message": self.message, **self.extra}


_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Conflict, 409),
    (Forbidden, 403),
)


def to_api_error(error: DomainError) -> ApiError:
    """The HTTP answer for a domain error: 404, 409, 403, else 400."""
    status = next((code for kind, code in _STATUS if isinstance(error, kind)), 400)
    return ApiError(status, error.error, error.message, extra=error.extra)
