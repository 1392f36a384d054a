"""The exception tree, and the mapping from an HTTP response or transport failure onto it.

Every exception carries the same facts (status, the API's `error` id, `message`, request id,
response) so one `except CloposError` can log them all; subclasses exist to be caught.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

import httpx

from clopos.client._secrets import scrub

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CloposError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "UnprocessableEntityError",
    "UnsuccessfulResponseError",
    "error_from_response",
    "error_from_transport",
]


class CloposError(Exception):
    """Base of every error this client raises."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error: str | None = None,
        request_id: str | None = None,
        response: httpx.Response | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error = error
        self.request_id = request_id
        self.response = response
        self.details = details or []

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(str(self.status))
        if self.error:
            parts.append(f"[{self.error}]")
        parts.append(self.message)
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, error={self.error!r}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class ConfigurationError(CloposError):
    """Raised at construction or call time when configuration is missing or contradictory.

    `missing` names the settings that are absent (`"venue_id"`, `"base_url"`, ...: the
    arguments of `Client`), so that a tool can name its own flags for them."""

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


class ResponseValidationError(CloposError):
    """Raised when a successful response does not have the documented shape."""


class APIStatusError(CloposError):
    """Raised for an HTTP error status without a more specific class (e.g. 405, 413)."""

    status: int


class UnsuccessfulResponseError(APIStatusError):
    """Raised for HTTP 2xx with `success: false` (documented at `/v2/auth`: test/prod mismatch)."""


class BadRequestError(APIStatusError):
    """Raised on 400: invalid input, or invalid credentials at `/auth` (`authentication_failed`)."""


class AuthenticationError(APIStatusError):
    """Raised on a 401 that survived one re-authentication (invalid, expired, revoked token)."""


class PermissionDeniedError(APIStatusError):
    """Raised on 403: a valid token outside its scope or venue."""


class NotFoundError(APIStatusError):
    """Raised on 404."""


class ConflictError(APIStatusError):
    """Raised on 409: a duplicate unique field (phone, code, cid), or a write the record's state
    refuses (`receipt_closed`, `invalid_transition`, `conflict`)."""


class UnprocessableEntityError(APIStatusError):
    """Raised on 422: a body or query the server could not validate."""


class RateLimitError(APIStatusError):
    """Raised on 429 once retries are exhausted; `retry_after` is the server's advice, seconds."""

    retry_after: float | None = None


class InternalServerError(APIStatusError):
    """Raised on any 5xx once retries are exhausted."""


class APIConnectionError(CloposError):
    """Raised when no response arrived: refused, reset or dropped connection, protocol error."""

    def __init__(self, message: str, *, transient: bool = True) -> None:
        super().__init__(message)
        # Whether trying again could help: a refused port may open, a malformed URL never will.
        self.transient = transient


class APITimeoutError(APIConnectionError):
    """Raised when connecting, sending or reading exceeded the configured timeout."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _class_for(status: int) -> type[APIStatusError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return InternalServerError
    if 200 <= status < 300:
        return UnsuccessfulResponseError
    return APIStatusError


def _decode(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _describe(body: Any, response: httpx.Response) -> tuple[str | None, str, list[dict[str, Any]]]:
    """(error id, message, details) from the three error-body shapes the API is known to send."""
    if not isinstance(body, dict):
        text = response.text.strip()[:200] if response.content else ""
        return None, text or response.reason_phrase or "error", []
    raw_error = body.get("error")
    message = body.get("message")
    details: list[dict[str, Any]] = []
    error_id: str | None = None
    if isinstance(raw_error, list):
        # The v1 backend's Laravel shape: [{message, type, exception, code, http_code}, ...].
        details = [item for item in raw_error if isinstance(item, dict)]
        first = details[0] if details else {}
        code = first.get("code")
        error_id = code if isinstance(code, str) else first.get("exception") or first.get("type")
        if not message:
            message = first.get("message")
    elif isinstance(raw_error, str):
        error_id = raw_error
    elif isinstance(raw_error, dict):
        details = [raw_error]
        error_id = raw_error.get("code") or raw_error.get("type")
    if isinstance(body.get("details"), dict):
        details.append(body["details"])
    if not isinstance(message, str) or not message:
        message = error_id or response.reason_phrase or "error"
    return (str(error_id) if error_id is not None else None), message, details


def is_unsuccessful(response: httpx.Response, body: Any) -> bool:
    """Whether `response` reports failure: an error status, or `success: false` on a 2xx."""
    if not response.is_success:
        return True
    return isinstance(body, dict) and body.get("success") is False


def error_from_response(
    response: httpx.Response, body: Any = None, *, secrets: Iterable[str | None] = ()
) -> APIStatusError:
    """The exception for an unsuccessful `response`; `secrets` are masked in its text."""
    if body is None:
        body = _decode(response)
    error_id, message, details = _describe(body, response)
    secrets = tuple(secrets)
    cls = _class_for(response.status_code)
    exc = cls(
        scrub(message, secrets),
        status=response.status_code,
        error=scrub(error_id, secrets) if error_id else None,
        request_id=response.headers.get("x-request-id"),
        response=response,
        details=details,
    )
    if isinstance(exc, RateLimitError):
        from clopos.client._retry import server_delay  # local: _retry imports this module

        exc.retry_after = server_delay(response.headers)
    return exc


def error_from_transport(exc: httpx.TransportError) -> APIConnectionError:
    """The exception for an httpx transport failure (no HTTP response)."""
    detail = str(exc) or type(exc).__name__
    target = ""
    with contextlib.suppress(RuntimeError):  # raised when the exception carries no request
        target = f" ({exc.request.method} {exc.request.url.copy_with(query=None)})"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"timed out: {detail}{target}")
    transient = isinstance(exc, httpx.NetworkError | httpx.RemoteProtocolError)
    return APIConnectionError(f"connection failed: {detail}{target}", transient=transient)
