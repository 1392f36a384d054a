"""Building requests and reading responses: everything about a call except sending it."""

from __future__ import annotations

import functools
import logging
import os
import ssl
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from clopos import __version__
from clopos.client._config import Settings, api_root
from clopos.client._errors import (
    ConfigurationError,
    ResponseValidationError,
    error_from_response,
    is_unsuccessful,
)
from clopos.client._retry import is_replay_safe
from clopos.client._tokens import Token, TokenKey
from clopos.schemas.auth import AuthResponse

logger = logging.getLogger("clopos.client")

# Named by a clopos server on an answer whose route did not read some query parameters.
IGNORED_PARAMETERS = "x-clopos-ignored-parameters"

USER_AGENT = f"clopos-python/{__version__}"
# Methods that change something: each logical call carries one Idempotency-Key (the server
# honours it on all four), so a retry, or a repeat after a lost answer, is never run twice.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def tls() -> ssl.SSLContext:
    """The TLS settings of the HTTP clients this package makes: httpx's defaults (the CA
    bundle of SSL_CERT_FILE or SSL_CERT_DIR, else certifi's), one context shared by every
    client while those variables stay as they are. Each client made its own, and loading
    the bundle is 20 to 35 ms of CPU: more than most calls a short-lived client makes."""
    return _tls(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _tls(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context()  # reads the same two variables


QueryItems = tuple[tuple[str, str], ...]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


Params = Mapping[str, Any] | Sequence[tuple[str, Any]] | None


def encode_query(params: Params) -> QueryItems:
    """Query items in the PHP/Laravel bracket notation the API documents.

    `{"with": ["category", "taxes"]}` → `with[0]=category&with[1]=taxes`;
    `{"filters": [["type", ["GOODS", "DISH"]]]}` → `filters[0][0]=type&filters[0][1][0]=GOODS…`;
    nested mappings become `key[sub]=value`; None values are left out. A sequence of pairs
    is encoded the same way, keeping repeated names (`[("with[]", "a"), ("with[]", "b")]`).
    """
    items: list[tuple[str, str]] = []

    def add(name: str, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Mapping):
            for sub, inner in value.items():
                add(f"{name}[{sub}]", inner)
        elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
            for index, inner in enumerate(value):
                add(f"{name}[{index}]", inner)
        else:
            items.append((name, _scalar(value)))

    pairs = params.items() if isinstance(params, Mapping) else (params or ())
    for name, value in pairs:
        add(name, value)
    return tuple(items)


@dataclass(frozen=True, slots=True)
class Call:
    """One logical API call before authentication; its idempotency key survives retries."""

    method: str
    path: str  # relative to the version's API root, e.g. "/venues"
    query: QueryItems = ()
    body: Any = None
    venue: str | None = None
    idempotency_key: str | None = None
    # The token exchange is a POST without side effects worth guarding: it retries like a GET.
    always_replay_safe: bool = False

    @property
    def replay_safe(self) -> bool:
        return self.always_replay_safe or is_replay_safe(self.method, self.idempotency_key)

    @classmethod
    def make(
        cls,
        method: str,
        path: str,
        *,
        params: Params = None,
        json: Any = None,
        venue: str | int | None = None,
        idempotency_key: str | None = None,
    ) -> Call:
        method = method.upper()
        if idempotency_key is None and method in WRITE_METHODS:
            # Generated once here so every retry of this call presents the same key.
            idempotency_key = str(uuid.uuid4())
        if isinstance(json, BaseModel):
            json = json.model_dump(mode="json", exclude_unset=True)
        return cls(
            method=method,
            path="/" + path.lstrip("/"),
            query=encode_query(params),
            body=json,
            venue=None if venue is None else str(venue),
            idempotency_key=idempotency_key,
        )


def token_key(settings: Settings, venue: str | int | None) -> TokenKey:
    """Which cached token a call needs: v1 tokens are per venue, v2 tokens per integrator."""
    if settings.version == 1:
        chosen = settings.venue_for(venue)
        if chosen is None:
            raise ConfigurationError(
                "v1 calls need a venue: pass venue=… or set venue_id / CLOPOS_VENUE_ID",
                missing=("venue_id",),
            )
        scope = f"venue:{chosen}"
    else:
        scope = f"integrator:{settings.integrator_id}"
    return TokenKey(settings.base_url, settings.client_id, settings.brand, scope)


def auth_request_parts(settings: Settings, key: TokenKey) -> tuple[str, dict[str, str]]:
    """URL and JSON body of the token exchange for `key`."""
    body = {
        "client_id": settings.client_id,
        "client_secret": settings.client_secret.reveal(),
        "brand": settings.brand,
    }
    if settings.version == 1:
        body["venue_id"] = key.scope.removeprefix("venue:")
    else:
        assert settings.integrator_id is not None
        body["integrator_id"] = settings.integrator_id
    return f"{settings.base_url}{api_root(settings.version)}/auth", body


AUTH_CALL = Call(method="POST", path="/auth", always_replay_safe=True)


def token_from_response(
    response: httpx.Response, *, settings: Settings, requested_at: float
) -> Token:
    """The token in an `/auth` answer; raises on failure without ever quoting the body."""
    body = decode(response, secrets=(settings.client_secret.reveal(),))
    try:
        parsed = AuthResponse.model_validate(body)
    except ValidationError:
        # pydantic would quote the input, which contains the token: say only what is wrong.
        raise ResponseValidationError(
            "the /auth response lacks a token or its lifetime",
            status=response.status_code,
            request_id=response.headers.get("x-request-id"),
            response=response,
        ) from None
    return Token.issued(parsed.token, float(parsed.expires_in), requested_at=requested_at)


def resource_headers(settings: Settings, call: Call, token: Token) -> dict[str, str]:
    """Authentication headers of a resource call, per version."""
    headers = {"x-token": token.value}
    venue = settings.venue_for(call.venue)
    if settings.version == 1:
        headers["x-brand"] = settings.brand
    if venue is not None:
        headers["x-venue"] = venue
    if call.idempotency_key:
        headers["Idempotency-Key"] = call.idempotency_key
    return headers


def resource_url(settings: Settings, call: Call) -> str:
    return f"{settings.base_url}{api_root(settings.version)}{call.path}"


def decode(response: httpx.Response, *, secrets: Sequence[str | None] = ()) -> Any:
    """The JSON body of a successful response; raises the mapped error for any failure."""
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
        if response.is_success:
            raise ResponseValidationError(
                "the response is not JSON",
                status=response.status_code,
                request_id=response.headers.get("x-request-id"),
                response=response,
            ) from None
    if is_unsuccessful(response, body):
        raise error_from_response(response, body, secrets=secrets)
    ignored = response.headers.get(IGNORED_PARAMETERS)
    if ignored:
        # A clopos server names the query parameters the route did not read: almost always
        # a misspelt filter, answered as if it were absent.
        logger.warning(
            "the server ignored query parameters %s of %s %s",
            ignored,
            response.request.method,
            response.request.url.path,
        )
    return body
