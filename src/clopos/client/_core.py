"""What the sync and async cores share: configuration, the token store, and bookkeeping."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import httpx

from clopos.client._config import Settings
from clopos.client._errors import CloposError
from clopos.client._requests import Call, resource_headers, resource_url
from clopos.client._retry import RetryPolicy
from clopos.client._tokens import Clock, Token, TokenKey, TokenStore

logger = logging.getLogger("clopos.client")

EventT = TypeVar("EventT")


@dataclass(eq=False)
class Flight(Generic[EventT]):
    """One token fetch in progress; followers wait on `done` and read its outcome."""

    done: EventT
    token: Token | None = None
    error: CloposError | None = field(default=None, repr=False)


class CoreBase:
    """Configuration and helpers common to both cores; no I/O happens here."""

    def __init__(
        self,
        settings: Settings,
        *,
        retry: RetryPolicy,
        store: TokenStore,
        clock: Clock,
        owns_http: bool,
    ) -> None:
        self.settings = settings
        self.retry = retry
        self.store = store
        self.clock = clock
        self.owns_http = owns_http

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"{type(self).__name__}(base_url={s.base_url!r}, version={s.version}, "
            f"brand={s.brand!r}, client_id={s.client_id!r})"
        )

    def secrets(self, token: Token | None = None) -> tuple[str, ...]:
        """Strings to mask in error text produced while `token` was in use."""
        values = [self.settings.client_secret.reveal()]
        if token is not None:
            values.append(token.value)
        return tuple(values)

    def build(
        self, http: httpx.Client | httpx.AsyncClient, call: Call, token: Token
    ) -> httpx.Request:
        return http.build_request(
            call.method,
            resource_url(self.settings, call),
            params=call.query,
            json=call.body,
            headers=resource_headers(self.settings, call, token),
        )

    def log_retry(self, call: Call, error: CloposError, delay: float, retry_number: int) -> None:
        logger.info(
            "retrying %s %s in %.2f s (retry %d of %d) after: %s",
            call.method,
            call.path,
            delay,
            retry_number,
            self.retry.max_retries,
            error,
        )

    def log_token(self, key: TokenKey, token: Token) -> None:
        logger.debug("fetched a token for %s, valid %.0f s", key, token.remaining(self.clock()))
