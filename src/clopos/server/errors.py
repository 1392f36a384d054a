"""HTTP errors of the Open API edge, and the one mapping from domain errors to them."""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

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


# The v1 backend is Laravel, and its 404 names the model class it queried (reference 2.2,
# 2.3, 2.4: User, Customer and Category observed). The others follow the observed namespace
# by analogy; docs/compatibility.md lists which are which.
_LARAVEL_MODELS = {
    "users": "App\\Models\\Auth\\User",
    "customers": "App\\Models\\Client\\Marketing\\Customer",
    "categories": "App\\Models\\Client\\Category",
    "stations": "App\\Models\\Client\\Station",
    "products": "App\\Models\\Client\\Product",
    "orders": "App\\Models\\Client\\Order",
    "receipts": "App\\Models\\Client\\Receipt",
    "venues": "App\\Models\\Client\\Venue",
}
_V1 = "/open-api/"


def is_v1_api(path: str) -> bool:
    """Whether `path` is a v1 Open API route (its token exchange aside)."""
    return path.startswith(_V1) and not path.startswith(("/open-api/v2/", "/open-api/auth"))


def error_body(error: ApiError, scope: Scope) -> dict[str, Any]:
    """The wire body of `error` answering the request of `scope`.

    A 404 on a v1 route takes the Laravel list the real v1 backend was observed to send
    (docs/compatibility.md, "v1 error bodies"); every other error keeps the documented
    `{success, error, message}`.
    """
    if error.status != 404 or not is_v1_api(scope.get("path", "")):
        return error.body()
    return {
        "success": False,
        "error": [
            {
                "message": _laravel_message(error, scope),
                "type": "server_side",
                "exception": "NotFoundHttpException",
                "code": None,
                "http_code": 404,
            }
        ],
        "message": None,
    }


def _laravel_message(error: ApiError, scope: Scope) -> str:
    """`No query results for model [<class>] <id>` for the record a route's path names; the
    domain's own sentence where the path names none (an unknown route, a related record)."""
    params: dict[str, Any] = scope.get("path_params") or {}
    resource = scope.get("path", "")[len(_V1) :].split("/", 1)[0]
    model = _LARAVEL_MODELS.get(resource)
    if model is None or len(params) != 1:
        return error.message
    return f"No query results for model [{model}] {next(iter(params.values()))}"
