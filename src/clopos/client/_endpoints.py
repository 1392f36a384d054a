"""Endpoint descriptors: one declaration serves both clients.

A resource class lists its endpoints once::

    class Products(Resource[C]):
        list = ListEndpoint("/products", Product)
        get = GetEndpoint("/products/{id}", Product)

and `client.products.list(...)` is a blocking call on `Client`, an awaitable one on
`AsyncClient`, both typed with the wire model.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Generic, TypeVar, overload
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from clopos.client._async import AsyncCore
from clopos.client._errors import ConfigurationError, ResponseValidationError
from clopos.client._pagination import AsyncPager, Page, SyncPager, parse_page
from clopos.client._requests import Call
from clopos.client._sync import SyncCore

M = TypeVar("M", bound=BaseModel)
C = TypeVar("C", bound=SyncCore | AsyncCore)

Venue = str | int | None
Params = Mapping[str, Any] | None
Body = BaseModel | Mapping[str, Any]

BOTH_VERSIONS: frozenset[int] = frozenset({1, 2})
V2_ONLY: frozenset[int] = frozenset({2})


class Resource(Generic[C]):
    """A group of endpoints bound to one client's core."""

    def __init__(self, core: C) -> None:
        self._core: C = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._core!r}>"


class _Spec(Generic[M]):
    def __init__(
        self, path: str, model: type[M], *, versions: Collection[int] = BOTH_VERSIONS
    ) -> None:
        self.path = path
        self.model = model
        self.versions = frozenset(versions)

    def check_version(self, core: SyncCore | AsyncCore) -> None:
        version = core.settings.version
        if version not in self.versions:
            raise ConfigurationError(f"{self.path} is not part of API v{version}")

    def one(self, body: Any) -> M:
        """The model inside a single-object envelope `{success, data}`."""
        data = body.get("data") if isinstance(body, dict) else None
        try:
            return self.model.model_validate(data)
        except ValidationError as exc:
            raise ResponseValidationError(
                f"unexpected {self.model.__name__} in the response: {exc}"
            ) from exc


def _item_path(template: str, item_id: int | str) -> str:
    return template.format(id=quote(str(item_id), safe=""))


# List endpoints


class ListEndpoint(_Spec[M]):
    """`GET path` answering a list; `paged=False` for endpoints that return everything at once."""

    def __init__(
        self,
        path: str,
        model: type[M],
        *,
        paged: bool = True,
        versions: Collection[int] = BOTH_VERSIONS,
    ) -> None:
        super().__init__(path, model, versions=versions)
        self.paged = paged

    def call(self, number: int, limit: int | None, venue: Venue, params: Params) -> Call:
        query = dict(params or {})
        if self.paged:
            query["page"] = number
            if limit is not None:
                query["limit"] = limit
        return Call.make("GET", self.path, params=query, venue=venue)

    def page(self, body: Any, number: int, limit: int | None) -> Page[M]:
        return parse_page(body, self.model, number=number, limit=limit, paged=self.paged)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> ListEndpoint[M]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncList[M]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncList[M]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncList(obj._core, self)
        return SyncList(obj._core, self)


class SyncList(Generic[M]):
    def __init__(self, core: SyncCore, spec: ListEndpoint[M]) -> None:
        self._core, self._spec = core, spec

    def __call__(
        self, *, limit: int | None = None, page: int = 1, venue: Venue = None, params: Params = None
    ) -> SyncPager[M]:
        """A pager over the results: iterate it for every item, or call `.page()` for one page."""
        self._spec.check_version(self._core)

        def fetch(number: int) -> Page[M]:
            body = self._core.request(self._spec.call(number, limit, venue, params))
            return self._spec.page(body, number, limit)

        return SyncPager(fetch, start=page)


class AsyncList(Generic[M]):
    def __init__(self, core: AsyncCore, spec: ListEndpoint[M]) -> None:
        self._core, self._spec = core, spec

    def __call__(
        self, *, limit: int | None = None, page: int = 1, venue: Venue = None, params: Params = None
    ) -> AsyncPager[M]:
        """A pager over the results: `async for` every item, or `await .page()` for one page."""
        self._spec.check_version(self._core)

        async def fetch(number: int) -> Page[M]:
            body = await self._core.request(self._spec.call(number, limit, venue, params))
            return self._spec.page(body, number, limit)

        return AsyncPager(fetch, start=page)


# Single-object reads


class GetEndpoint(_Spec[M]):
    """`GET path` with `{id}` in it, answering one object."""

    def call(self, item_id: int | str, venue: Venue, params: Params) -> Call:
        return Call.make("GET", _item_path(self.path, item_id), params=params, venue=venue)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> GetEndpoint[M]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncGet[M]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncGet[M]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncGet(obj._core, self)
        return SyncGet(obj._core, self)


class SyncGet(Generic[M]):
    def __init__(self, core: SyncCore, spec: GetEndpoint[M]) -> None:
        self._core, self._spec = core, spec

    def __call__(self, item_id: int | str, *, venue: Venue = None, params: Params = None) -> M:
        self._spec.check_version(self._core)
        return self._spec.one(self._core.request(self._spec.call(item_id, venue, params)))


class AsyncGet(Generic[M]):
    def __init__(self, core: AsyncCore, spec: GetEndpoint[M]) -> None:
        self._core, self._spec = core, spec

    async def __call__(
        self, item_id: int | str, *, venue: Venue = None, params: Params = None
    ) -> M:
        self._spec.check_version(self._core)
        return self._spec.one(await self._core.request(self._spec.call(item_id, venue, params)))


# Creation


class CreateEndpoint(_Spec[M]):
    """`POST path` with a JSON body, answering the created object; retried under one key."""

    def call(self, body: Body, venue: Venue, idempotency_key: str | None) -> Call:
        payload = body if isinstance(body, BaseModel) else dict(body)
        return Call.make(
            "POST", self.path, json=payload, venue=venue, idempotency_key=idempotency_key
        )

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> CreateEndpoint[M]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncCreate[M]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncCreate[M]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncCreate(obj._core, self)
        return SyncCreate(obj._core, self)


class SyncCreate(Generic[M]):
    def __init__(self, core: SyncCore, spec: CreateEndpoint[M]) -> None:
        self._core, self._spec = core, spec

    def __call__(self, body: Body, *, venue: Venue = None, idempotency_key: str | None = None) -> M:
        self._spec.check_version(self._core)
        return self._spec.one(self._core.request(self._spec.call(body, venue, idempotency_key)))


class AsyncCreate(Generic[M]):
    def __init__(self, core: AsyncCore, spec: CreateEndpoint[M]) -> None:
        self._core, self._spec = core, spec

    async def __call__(
        self, body: Body, *, venue: Venue = None, idempotency_key: str | None = None
    ) -> M:
        self._spec.check_version(self._core)
        call = self._spec.call(body, venue, idempotency_key)
        return self._spec.one(await self._core.request(call))
