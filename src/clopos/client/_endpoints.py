"""Endpoint descriptors: one declaration serves both clients.

A resource class lists its endpoints once::

    class Products(Resource[C]):
        list = ListEndpoint("/products", Product)
        get = GetEndpoint("/products/{id}", Product)

and `client.products.list(...)` is a blocking call on `Client`, an awaitable one on
`AsyncClient`, both typed with the wire model.

Kinds: `ListEndpoint` (a pager), `ItemListEndpoint` (`(id)`: a pager over a list under one
item), `GetEndpoint` (`(id)`), `ObjectEndpoint` (`()`: one object, such as a list's totals,
the query in `params`), `CreateEndpoint` (`(body)`), `WriteEndpoint` (`(id, body)`: PUT,
PATCH, or a POST on an item) and `ActionEndpoint` (`(id)` with a fixed body or none: DELETE,
`PUT {"status": "IGNORE"}`). Every write carries one `Idempotency-Key` per logical call
(generated unless given), reused on each retry.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Generic, TypeVar, overload
from urllib.parse import quote

from pydantic import BaseModel, TypeAdapter, ValidationError

from clopos.client._async import AsyncCore
from clopos.client._errors import ConfigurationError, ResponseValidationError
from clopos.client._pagination import AsyncPager, Page, SyncPager, parse_page
from clopos.client._requests import Call
from clopos.client._sync import SyncCore

M = TypeVar("M", bound=BaseModel)
# A single-object answer: a wire model, a union of them (per version), or a list of them.
R = TypeVar("R")
C = TypeVar("C", bound=SyncCore | AsyncCore)

Venue = str | int | None
Params = Mapping[str, Any] | None
Body = BaseModel | Mapping[str, Any]

BOTH_VERSIONS: frozenset[int] = frozenset({1, 2})
V1_ONLY: frozenset[int] = frozenset({1})
V2_ONLY: frozenset[int] = frozenset({2})


class Resource(Generic[C]):
    """A group of endpoints bound to one client's core."""

    def __init__(self, core: C) -> None:
        self._core: C = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._core!r}>"


class _Spec(Generic[R]):
    """Where an endpoint is, which versions have it, and the model of its answer
    (`per_version` when a version answers another shape, e.g. v1's `{id, status}`;
    `enveloped=False` when the answer is the whole body, e.g. `POST /waiter-call`'s
    `{"success": true}`)."""

    method = "GET"

    def __init__(
        self,
        path: str,
        model: type[R],
        *,
        versions: Collection[int] = BOTH_VERSIONS,
        per_version: Mapping[int, type[R]] | None = None,
        enveloped: bool = True,
    ) -> None:
        self.path = path
        self.model = model
        self.versions = frozenset(versions)
        self.per_version = dict(per_version or {})
        self.enveloped = enveloped
        self._adapters: dict[int, TypeAdapter[R]] = {}

    def check_version(self, core: SyncCore | AsyncCore) -> None:
        version = core.settings.version
        if version not in self.versions:
            raise ConfigurationError(f"{self.path} is not part of API v{version}")

    def one(self, body: Any, version: int = 2) -> R:
        """The answer inside a single-object envelope `{success, data}` (or `{data}`), or
        the whole body when the endpoint answers without one."""
        data = body
        if self.enveloped:
            data = body.get("data") if isinstance(body, dict) else None
        model = self.per_version.get(version, self.model)
        adapter = self._adapters.get(version)
        if adapter is None:
            adapter = self._adapters[version] = TypeAdapter(model)
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            name = getattr(model, "__name__", str(model))
            raise ResponseValidationError(f"unexpected {name} in the response: {exc}") from exc


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

    def call(
        self, number: int, limit: int | None, venue: Venue, params: Params, path: str | None = None
    ) -> Call:
        query = dict(params or {})
        if self.paged:
            query["page"] = number
            if limit is not None:
                query["limit"] = limit
        return Call.make("GET", path or self.path, params=query, venue=venue)

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


class ItemListEndpoint(ListEndpoint[M]):
    """`GET path` with `{id}` in it answering a list: a pager over what one item holds
    (an inventory document's items)."""

    def call_of(
        self, item_id: int | str, number: int, limit: int | None, venue: Venue, params: Params
    ) -> Call:
        return self.call(number, limit, venue, params, _item_path(self.path, item_id))

    @overload  # type: ignore[override]
    def __get__(self, obj: None, owner: type[Any]) -> ItemListEndpoint[M]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncItemList[M]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncItemList[M]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncItemList(obj._core, self)
        return SyncItemList(obj._core, self)


class SyncItemList(Generic[M]):
    def __init__(self, core: SyncCore, spec: ItemListEndpoint[M]) -> None:
        self._core, self._spec = core, spec

    def __call__(
        self,
        item_id: int | str,
        *,
        limit: int | None = None,
        page: int = 1,
        venue: Venue = None,
        params: Params = None,
    ) -> SyncPager[M]:
        """A pager over the item's list: iterate it for every entry, or `.page()` for one."""
        self._spec.check_version(self._core)

        def fetch(number: int) -> Page[M]:
            call = self._spec.call_of(item_id, number, limit, venue, params)
            return self._spec.page(self._core.request(call), number, limit)

        return SyncPager(fetch, start=page)


class AsyncItemList(Generic[M]):
    def __init__(self, core: AsyncCore, spec: ItemListEndpoint[M]) -> None:
        self._core, self._spec = core, spec

    def __call__(
        self,
        item_id: int | str,
        *,
        limit: int | None = None,
        page: int = 1,
        venue: Venue = None,
        params: Params = None,
    ) -> AsyncPager[M]:
        """A pager over the item's list: `async for` every entry, or `await .page()`."""
        self._spec.check_version(self._core)

        async def fetch(number: int) -> Page[M]:
            call = self._spec.call_of(item_id, number, limit, venue, params)
            return self._spec.page(await self._core.request(call), number, limit)

        return AsyncPager(fetch, start=page)


# Single-object reads


class ObjectEndpoint(_Spec[R]):
    """`GET path` without an id answering one object: a list's totals, the stock's summary.
    `params` is the query (the same filters and dates as the list it sums)."""

    def call(self, venue: Venue, params: Params) -> Call:
        return Call.make("GET", self.path, params=params, venue=venue)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> ObjectEndpoint[R]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncObject[R]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncObject[R]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncObject(obj._core, self)
        return SyncObject(obj._core, self)


class SyncObject(Generic[R]):
    def __init__(self, core: SyncCore, spec: ObjectEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    def __call__(self, *, venue: Venue = None, params: Params = None) -> R:
        self._spec.check_version(self._core)
        body = self._core.request(self._spec.call(venue, params))
        return self._spec.one(body, self._core.settings.version)


class AsyncObject(Generic[R]):
    def __init__(self, core: AsyncCore, spec: ObjectEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    async def __call__(self, *, venue: Venue = None, params: Params = None) -> R:
        self._spec.check_version(self._core)
        body = await self._core.request(self._spec.call(venue, params))
        return self._spec.one(body, self._core.settings.version)


class GetEndpoint(_Spec[R]):
    """`GET path` with `{id}` in it, answering one object (or one list, not paginated)."""

    def call(self, item_id: int | str, venue: Venue, params: Params) -> Call:
        return Call.make("GET", _item_path(self.path, item_id), params=params, venue=venue)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> GetEndpoint[R]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncGet[R]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncGet[R]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncGet(obj._core, self)
        return SyncGet(obj._core, self)


class SyncGet(Generic[R]):
    def __init__(self, core: SyncCore, spec: GetEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    def __call__(self, item_id: int | str, *, venue: Venue = None, params: Params = None) -> R:
        self._spec.check_version(self._core)
        body = self._core.request(self._spec.call(item_id, venue, params))
        return self._spec.one(body, self._core.settings.version)


class AsyncGet(Generic[R]):
    def __init__(self, core: AsyncCore, spec: GetEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    async def __call__(
        self, item_id: int | str, *, venue: Venue = None, params: Params = None
    ) -> R:
        self._spec.check_version(self._core)
        body = await self._core.request(self._spec.call(item_id, venue, params))
        return self._spec.one(body, self._core.settings.version)


# Writes


def _payload(body: Body | None) -> Any:
    if body is None or isinstance(body, BaseModel):
        return body
    return dict(body)


class CreateEndpoint(_Spec[R]):
    """`POST path` with a JSON body, answering the created object; retried under one key."""

    method = "POST"

    def call(self, body: Body, venue: Venue, idempotency_key: str | None) -> Call:
        return Call.make(
            "POST", self.path, json=_payload(body), venue=venue, idempotency_key=idempotency_key
        )

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> CreateEndpoint[R]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncCreate[R]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncCreate[R]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncCreate(obj._core, self)
        return SyncCreate(obj._core, self)


class SyncCreate(Generic[R]):
    def __init__(self, core: SyncCore, spec: CreateEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    def __call__(self, body: Body, *, venue: Venue = None, idempotency_key: str | None = None) -> R:
        self._spec.check_version(self._core)
        answer = self._core.request(self._spec.call(body, venue, idempotency_key))
        return self._spec.one(answer, self._core.settings.version)


class AsyncCreate(Generic[R]):
    def __init__(self, core: AsyncCore, spec: CreateEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    async def __call__(
        self, body: Body, *, venue: Venue = None, idempotency_key: str | None = None
    ) -> R:
        self._spec.check_version(self._core)
        answer = await self._core.request(self._spec.call(body, venue, idempotency_key))
        return self._spec.one(answer, self._core.settings.version)


class WriteEndpoint(_Spec[R]):
    """`METHOD path` with `{id}` in it and a JSON body (PUT, PATCH, or a POST on an item),
    answering one object; retried under one key."""

    def __init__(
        self,
        method: str,
        path: str,
        model: type[R],
        *,
        versions: Collection[int] = BOTH_VERSIONS,
        per_version: Mapping[int, type[R]] | None = None,
    ) -> None:
        super().__init__(path, model, versions=versions, per_version=per_version)
        self.method = method

    def call(
        self, item_id: int | str, body: Body, venue: Venue, idempotency_key: str | None
    ) -> Call:
        return Call.make(
            self.method,
            _item_path(self.path, item_id),
            json=_payload(body),
            venue=venue,
            idempotency_key=idempotency_key,
        )

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> WriteEndpoint[R]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncWrite[R]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncWrite[R]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncWrite(obj._core, self)
        return SyncWrite(obj._core, self)


class SyncWrite(Generic[R]):
    def __init__(self, core: SyncCore, spec: WriteEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    def __call__(
        self,
        item_id: int | str,
        body: Body,
        *,
        venue: Venue = None,
        idempotency_key: str | None = None,
    ) -> R:
        self._spec.check_version(self._core)
        answer = self._core.request(self._spec.call(item_id, body, venue, idempotency_key))
        return self._spec.one(answer, self._core.settings.version)


class AsyncWrite(Generic[R]):
    def __init__(self, core: AsyncCore, spec: WriteEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    async def __call__(
        self,
        item_id: int | str,
        body: Body,
        *,
        venue: Venue = None,
        idempotency_key: str | None = None,
    ) -> R:
        self._spec.check_version(self._core)
        call = self._spec.call(item_id, body, venue, idempotency_key)
        return self._spec.one(await self._core.request(call), self._core.settings.version)


class ActionEndpoint(_Spec[R]):
    """`METHOD path` with `{id}` in it and a fixed body or none (DELETE; an order's
    `PUT {"status": "IGNORE"}`), answering one object; retried under one key."""

    def __init__(
        self,
        method: str,
        path: str,
        model: type[R],
        *,
        body: Mapping[str, Any] | None = None,
        versions: Collection[int] = BOTH_VERSIONS,
        per_version: Mapping[int, type[R]] | None = None,
    ) -> None:
        super().__init__(path, model, versions=versions, per_version=per_version)
        self.method = method
        self.body = None if body is None else dict(body)

    def call(self, item_id: int | str, venue: Venue, idempotency_key: str | None) -> Call:
        return Call.make(
            self.method,
            _item_path(self.path, item_id),
            json=None if self.body is None else dict(self.body),
            venue=venue,
            idempotency_key=idempotency_key,
        )

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> ActionEndpoint[R]: ...
    @overload
    def __get__(self, obj: Resource[SyncCore], owner: type[Any]) -> SyncAction[R]: ...
    @overload
    def __get__(self, obj: Resource[AsyncCore], owner: type[Any]) -> AsyncAction[R]: ...
    def __get__(self, obj: Any, owner: type[Any]) -> Any:
        if obj is None:
            return self
        if isinstance(obj._core, AsyncCore):
            return AsyncAction(obj._core, self)
        return SyncAction(obj._core, self)


class SyncAction(Generic[R]):
    def __init__(self, core: SyncCore, spec: ActionEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    def __call__(
        self, item_id: int | str, *, venue: Venue = None, idempotency_key: str | None = None
    ) -> R:
        self._spec.check_version(self._core)
        answer = self._core.request(self._spec.call(item_id, venue, idempotency_key))
        return self._spec.one(answer, self._core.settings.version)


class AsyncAction(Generic[R]):
    def __init__(self, core: AsyncCore, spec: ActionEndpoint[R]) -> None:
        self._core, self._spec = core, spec

    async def __call__(
        self, item_id: int | str, *, venue: Venue = None, idempotency_key: str | None = None
    ) -> R:
        self._spec.check_version(self._core)
        call = self._spec.call(item_id, venue, idempotency_key)
        return self._spec.one(await self._core.request(call), self._core.settings.version)
