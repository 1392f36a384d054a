"""The asyncio/trio core: the same protocol as `_sync`, with awaits where `_sync` blocks.

No lock is held across an await: a single fetch per key is arranged with a dictionary of
in-flight fetches (mutated only between awaits, hence atomically on one event loop) and an
event that followers wait on. A cancelled leader leaves no outcome, and followers retry.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
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


class AsyncCore(CoreBase):
    """Authenticated, retried calls; one instance serves any number of tasks of one event loop."""

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: httpx.AsyncClient | None,
        timeout: httpx.Timeout,
        retry: RetryPolicy,
        store: TokenStore,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        super().__init__(
            settings, retry=retry, store=store, clock=clock, owns_http=http_client is None
        )
        self.http = http_client or httpx.AsyncClient(
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            verify=tls(),
        )
        self._sleep = sleep
        self._flights: dict[TokenKey, Flight[anyio.Event]] = {}

    async def close(self) -> None:
        if self.owns_http:
            await self.http.aclose()

    # Calls

    async def request(self, call: Call) -> Any:
        """The decoded JSON body of `call`, raising the mapped error on failure."""
        key = token_key(self.settings, call.venue)
        return await self._retrying(call, lambda: self._send_authenticated(call, key))

    async def _retrying(self, call: Call, attempt: Callable[[], Awaitable[T]]) -> T:
        retry_number = 0
        while True:
            try:
                return await attempt()
            except CloposError as error:
                retry_number += 1
                delay = self.retry.delay(
                    error, retry_number=retry_number, replay_safe=call.replay_safe
                )
                if delay is None:
                    raise
                self.log_retry(call, error, delay, retry_number)
                await self._sleep(delay)

    async def _send_authenticated(self, call: Call, key: TokenKey) -> Any:
        token = await self.token(key)
        response = await self._send(self.build(self.http, call, token))
        if response.status_code == 401:
            # Drop the token only if it is still the cached one (see SyncCore).
            self.store.drop(key, token)
            token = await self.token(key)
            response = await self._send(self.build(self.http, call, token))
        return decode(response, secrets=self.secrets(token))

    async def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self.http.send(request)
            await response.aread()
        except httpx.TransportError as exc:
            raise error_from_transport(exc) from exc
        return response

    # Tokens

    async def token(self, key: TokenKey) -> Token:
        """A token for `key`: the cached one while fresh, else the result of a single fetch."""
        while True:
            now = self.clock()
            current = self.store.get(key)
            if current is not None and current.is_fresh(now):
                return current
            flight = self._flights.get(key)
            if flight is None:
                flight = self._flights[key] = Flight(anyio.Event())
                return await self._lead(key, flight)
            if current is not None and current.is_usable(now):
                return current  # a refresh is under way and this one is still accepted
            await flight.done.wait()
            if flight.error is not None:
                raise copy.copy(flight.error)
            if flight.token is not None:
                return flight.token

    async def _lead(self, key: TokenKey, flight: Flight[anyio.Event]) -> Token:
        try:
            token = await self._retrying(AUTH_CALL, lambda: self._fetch(key))
            self.store.put(key, token)
            self.log_token(key, token)
            flight.token = token
            return token
        except CloposError as error:
            flight.error = error
            raise
        finally:
            del self._flights[key]
            flight.done.set()

    async def _fetch(self, key: TokenKey) -> Token:
        url, body = auth_request_parts(self.settings, key)
        requested_at = self.clock()
        response = await self._send(self.http.build_request("POST", url, json=body))
        return token_from_response(response, settings=self.settings, requested_at=requested_at)
