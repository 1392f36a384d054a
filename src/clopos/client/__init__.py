"""A Python client for the Clopos Open API, v1 and v2, blocking and async.

    from clopos import Client
    with Client() as clopos:                      # configured from CLOPOS_* variables
        for venue in clopos.venues.list():
            print(venue.id, venue.name)

Public names live here; the `_modules` behind them may change without notice.
"""

from __future__ import annotations

from clopos.client._client import AsyncClient, Client
from clopos.client._config import LOCAL_URL, SERVICE_URL, Settings
from clopos.client._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CloposError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
    UnsuccessfulResponseError,
)
from clopos.client._pagination import AsyncPager, Page, SyncPager
from clopos.client._retry import RetryPolicy
from clopos.client._secrets import Secret
from clopos.client._token_file import TokenFile
from clopos.client._venue import OrderIgnoredError, SandboxVenue, WaitTimeoutError
from clopos.schemas.receipts import ReceiptStatus

__all__ = [
    "LOCAL_URL",
    "SERVICE_URL",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "CloposError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "OrderIgnoredError",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "ReceiptStatus",
    "ResponseValidationError",
    "RetryPolicy",
    "SandboxVenue",
    "Secret",
    "Settings",
    "SyncPager",
    "TokenFile",
    "UnprocessableEntityError",
    "UnsuccessfulResponseError",
    "WaitTimeoutError",
]
