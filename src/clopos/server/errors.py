"""The one exception every layer raises to answer an error envelope."""

from __future__ import annotations

from typing import Any


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


def bad_request(message: str, error: str = "invalid_parameter") -> ApiError:
    return ApiError(400, error, message)


def not_found(message: str, error: str = "resource_not_found") -> ApiError:
    return ApiError(404, error, message)


def conflict(message: str, error: str) -> ApiError:
    return ApiError(409, error, message)
