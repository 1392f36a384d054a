"""`Client` and `AsyncClient`: the public faces of the two cores, with the same methods."""

from __future__ import annotations

import os
import time
from types import TracebackType
from typing import Any, Self

import anyio
import httpx

from clopos.client._async import AsyncCore
from clopos.client._config import Settings
from clopos.client._requests import DEFAULT_TIMEOUT, Call, Params, token_key
from clopos.client._resources import Resources
from clopos.client._retry import RetryPolicy
from clopos.client._secrets import Secret
from clopos.client._sync import SyncCore
from clopos.client._token_file import TokenFile
from clopos.client._tokens import TokenStore
from clopos.client._venue import receipt_id_of, timed_out
from clopos.schemas.orders import Order
from clopos.schemas.receipts import Receipt

TimeoutLike = httpx.Timeout | float | None
PathLike = str | os.PathLike[str]


def _prepare(
    *,
    base_url: str | None,
    client_id: str | None,
    client_secret: str | Secret | None,
    brand: str | None,
    venue_id: str | int | None,
    integrator_id: str | int | None,
    version: int,
    max_retries: int | None,
    retry: RetryPolicy | None,
    token_cache: PathLike | TokenFile | None,
) -> tuple[Settings, RetryPolicy, TokenStore]:
    settings = Settings.resolve(
        base_url=base_url,
        client_id=client_id,
        client_secret=client_secret,
        brand=brand,
        venue_id=venue_id,
        integrator_id=integrator_id,
        version=version,
    )
    if retry is None:
        retry = RetryPolicy() if max_retries is None else RetryPolicy(max_retries=max_retries)
    elif max_retries is not None:
        raise ValueError("pass either retry= or max_retries=, not both")
    if token_cache is not None and not isinstance(token_cache, TokenFile):
        token_cache = TokenFile(token_cache)
    return settings, retry, TokenStore(token_cache)


def _timeout(timeout: TimeoutLike) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


class Client(Resources[SyncCore]):
    """A blocking client for the Clopos Open API; safe to share between threads.

    Every argument left as None is read from its `CLOPOS_*` environment variable when the
    client is built. Pass `http_client` to bring your own `httpx.Client` (transport, proxies,
    event hooks); it is then yours to close. `token_cache` names a file that keeps tokens
    between processes.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | Secret | None = None,
        brand: str | None = None,
        venue_id: str | int | None = None,
        integrator_id: str | int | None = None,
        version: int = 2,
        http_client: httpx.Client | None = None,
        timeout: TimeoutLike = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        token_cache: PathLike | TokenFile | None = None,
    ) -> None:
        settings, retry, store = _prepare(
            base_url=base_url,
            client_id=client_id,
            client_secret=client_secret,
            brand=brand,
            venue_id=venue_id,
            integrator_id=integrator_id,
            version=version,
            max_retries=max_retries,
            retry=retry,
            token_cache=token_cache,
        )
        self._core = SyncCore(
            settings, http_client=http_client, timeout=_timeout(timeout), retry=retry, store=store
        )
        self._mount(self._core)

    @property
    def settings(self) -> Settings:
        return self._core.settings

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        json: Any = None,
        venue: str | int | None = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """Any endpoint, authenticated and retried: `path` is relative to the version's root
        (`/venues`, not `/open-api/v2/venues`); returns the decoded JSON body."""
        call = Call.make(
            method, path, params=params, json=json, venue=venue, idempotency_key=idempotency_key
        )
        return self._core.request(call)

    def token(self, *, venue: str | int | None = None) -> str:
        """A currently valid token (cached or fetched), for handing to other tools."""
        return self._core.token(token_key(self._core.settings, venue)).value

    def wait_for_receipt(
        self, order_id: int, *, timeout: float = 60.0, interval: float = 1.0
    ) -> Receipt:
        """The order's receipt once the venue has accepted it, reading the order every
        `interval` seconds. Raises `OrderIgnoredError` if the venue ignores it,
        `WaitTimeoutError` after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            order: Order = self.orders.get(order_id)
            receipt_id = receipt_id_of(order)
            if receipt_id is not None:
                return self.receipts.get(receipt_id)
            if time.monotonic() + interval > deadline:
                raise timed_out(order_id, timeout, order.status)
            time.sleep(interval)

    def close(self) -> None:
        """Close the HTTP connection pool if this client opened it."""
        self._core.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return repr(self._core).replace("SyncCore", "Client", 1)


class AsyncClient(Resources[AsyncCore]):
    """The asyncio/trio twin of `Client`: the same methods, awaited.

    One instance serves any number of tasks on one event loop.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | Secret | None = None,
        brand: str | None = None,
        venue_id: str | int | None = None,
        integrator_id: str | int | None = None,
        version: int = 2,
        http_client: httpx.AsyncClient | None = None,
        timeout: TimeoutLike = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        token_cache: PathLike | TokenFile | None = None,
    ) -> None:
        settings, retry, store = _prepare(
            base_url=base_url,
            client_id=client_id,
            client_secret=client_secret,
            brand=brand,
            venue_id=venue_id,
            integrator_id=integrator_id,
            version=version,
            max_retries=max_retries,
            retry=retry,
            token_cache=token_cache,
        )
        self._core = AsyncCore(
            settings, http_client=http_client, timeout=_timeout(timeout), retry=retry, store=store
        )
        self._mount(self._core)

    @property
    def settings(self) -> Settings:
        return self._core.settings

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        json: Any = None,
        venue: str | int | None = None,
        idempotency_key: str | None = None,
    ) -> Any:
        """Any endpoint, authenticated and retried (see `Client.request`)."""
        call = Call.make(
            method, path, params=params, json=json, venue=venue, idempotency_key=idempotency_key
        )
        return await self._core.request(call)

    async def token(self, *, venue: str | int | None = None) -> str:
        """A currently valid token (cached or fetched), for handing to other tools."""
        return (await self._core.token(token_key(self._core.settings, venue))).value

    async def wait_for_receipt(
        self,
        order_id: int,
        *,
        timeout: float = 60.0,  # noqa: ASYNC109 - the blocking twin's signature: a polling deadline
        interval: float = 1.0,
    ) -> Receipt:
        """The order's receipt once the venue has accepted it (see `Client.wait_for_receipt`)."""
        deadline = time.monotonic() + timeout
        while True:
            order: Order = await self.orders.get(order_id)
            receipt_id = receipt_id_of(order)
            if receipt_id is not None:
                return await self.receipts.get(receipt_id)
            if time.monotonic() + interval > deadline:
                raise timed_out(order_id, timeout, order.status)
            await anyio.sleep(interval)

    async def close(self) -> None:
        """Close the HTTP connection pool if this client opened it."""
        await self._core.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return repr(self._core).replace("AsyncCore", "AsyncClient", 1)
