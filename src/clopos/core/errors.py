"""Domain errors: what a service refuses, in the domain's words.

Services raise these and nothing else; each edge maps them once: the Open API to HTTP
answers (`clopos.server.errors.to_api_error`), the CLI to exit codes (`clopos.cli.context`).
`error` is the machine-readable id the wire envelope carries; `message` the sentence.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every refusal a service makes."""

    default_error = "invalid"

    def __init__(
        self, message: str, *, error: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.error = error or self.default_error
        self.extra = extra or {}


class Invalid(DomainError):
    """The input is malformed or out of bounds."""

    default_error = "invalid_parameter"


class ValidationFailed(Invalid):
    """A body field failed validation; answered in Laravel's shape, the sentence as `error`."""

    def __init__(self, sentence: str) -> None:
        super().__init__("Validation failed", error=sentence)


class NotFound(DomainError):
    """The thing asked for does not exist (in this brand)."""

    default_error = "resource_not_found"


class Conflict(DomainError):
    """The request clashes with the current state: a duplicate, a transition not allowed."""

    default_error = "conflict"


class Forbidden(DomainError):
    """The caller may not do this."""

    default_error = "forbidden"


def bad_request(message: str, error: str = "invalid_parameter") -> Invalid:
    return Invalid(message, error=error)


def not_found(message: str, error: str = "resource_not_found") -> NotFound:
    return NotFound(message, error=error)


def conflict(message: str, error: str) -> Conflict:
    return Conflict(message, error=error)
