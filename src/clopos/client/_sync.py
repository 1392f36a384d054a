"""The blocking core: sends calls over an `httpx.Client`, keeping tokens fresh across threads."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from clopos.client._config import Settings
from clopos.client._core import CoreBase, Flight
from clopos.client._errors import CloposError, error_from_transport
from clopos.client._requests import (
    AUTH_CALL,
    USER_AGENT,
    Call,
    auth_request_parts,
    decode,
    tls,
    token_from_response,
    token_key,
)
from clopos.client._retry import RetryPolicy
from clopos.client._tokens import Clock, Token, TokenKey, TokenStore

T = TypeVar("T")


class SyncCore(CoreBase):
    """Authenticated, retried calls; one instance is safe to share between threads."""

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: httpx.Client | None,
        timeout: httpx.Timeout,
        retry: RetryPolicy,
        store: TokenStore,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            settings, retry=retry, store=store, clock=clock, owns_http=http_client is None
        )
        self.http = http_client or httpx.Client(
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            verify=tls(),
        )
        self._sleep = sleep
        self._flights: dict[TokenKey, Flight[threading.Event]] = {}
        self._guard = threading.Lock()

    def close(self) -> None:
        if self.owns_http:
            self.http.close()

    # Calls

    def request(self, call: Call) -> Any:
        """The decoded JSON body of `call`, raising the mapped error on failure."""
        key = token_key(self.settings, call.venue)
        return self._retrying(call, lambda: self._send_authenticated(call, key))

    def _retrying(self, call: Call, attempt: Callable[[], T]) -> T:
        retry_number = 0
        while True:
            try:
                return attempt()
            except CloposError as error:
                retry_number += 1
                delay = self.retry.delay(
                    error, retry_number=retry_number, replay_safe=call.replay_safe
                )
                if delay is None:
                    raise
                self.log_retry(call, error, delay, retry_number)
                self._sleep(delay)

    def _send_authenticated(self, call: Call, key: TokenKey) -> Any:
        token = self.token(key)
        response = self._send(self.build(self.http, call, token))
        if response.status_code == 401:
            # Drop the token only if it is still the cached one: another caller may already
            # have replaced it, and that fresh token must survive our stale rejection.
            self.store.drop(key, token)
            token = self.token(key)
            response = self._send(self.build(self.http, call, token))
        return decode(response, secrets=self.secrets(token))

    def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self.http.send(request)
            response.read()
        except httpx.TransportError as exc:
            raise error_from_transport(exc) from exc
        return response

    # Tokens

    def token(self, key: TokenKey) -> Token:
        """A token for `key`: the cached one while fresh, else the result of a single fetch."""
        while True:
            now = self.clock()
            current = self.store.get(key)
            if current is not None and current.is_fresh(now):
                return current
            with self._guard:
                flight = self._flights.get(key)
                leading = flight is None
                if flight is None:
                    flight = self._flights[key] = Flight(threading.Event())
            if leading:
                return self._lead(key, flight)
            if current is not None and current.is_usable(now):
                # A refresh is under way and this one is still accepted: no need to wait.
                return current
            flight.done.wait()
            if flight.error is not None:
                # A copy, because one exception object raised in many threads shares a traceback.
                raise copy.copy(flight.error)
            if flight.token is not None:
                return flight.token
            # The leader ended without an outcome (interrupted): try again, maybe as leader.

    def _lead(self, key: TokenKey, flight: Flight[threading.Event]) -> Token:
        try:
            current = self.store.get(key)
            if current is not None and current.is_fresh(self.clock()):
                flight.token = current  # refreshed while we were deciding to lead
                return current
            token = self._retrying(AUTH_CALL, lambda: self._fetch(key))
            self.store.put(key, token)
            self.log_token(key, token)
            flight.token = token
            return token
        except CloposError as error:
            flight.error = error
            raise
        finally:
            with self._guard:
                del self._flights[key]
            flight.done.set()

    def _fetch(self, key: TokenKey) -> Token:
        url, body = auth_request_parts(self.settings, key)
        requested_at = self.clock()
        response = self._send(self.http.build_request("POST", url, json=body))
        return token_from_response(response, settings=self.settings, requested_at=requested_at)
