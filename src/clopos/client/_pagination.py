"""Pages of a list endpoint, and pagers that walk them on demand (sync and async)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from clopos.client._errors import ResponseValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Page(Generic[M]):
    """One page of results as the server answered it."""

    items: list[M]
    number: int
    limit: int | None = None
    total: int | None = None  # records matching, across all pages, when the server says
    total_pages: int | None = None
    final: bool = False  # set for endpoints that do not paginate

    def __iter__(self) -> Iterator[M]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_next(self) -> bool:
        """Whether asking for the next page could return anything."""
        if self.final or not self.items:
            return False
        if self.total_pages is not None:
            return self.number < self.total_pages
        if self.total is not None:
            page_size = self.limit or len(self.items)
            return (self.number - 1) * page_size + len(self.items) < self.total
        if self.limit is not None:
            return len(self.items) >= self.limit
        return True  # nothing to go by: the next page, empty or not, will tell


def parse_page(
    body: Any, model: type[M], *, number: int, limit: int | None, paged: bool
) -> Page[M]:
    """A `Page` from any of the list envelopes the API sends.

    `{success, data, total}` (most), `{data, pagination}` (price lists) and a bare array
    (some v1 examples).
    """
    total = total_pages = None
    data: Any = body
    if isinstance(body, dict):
        data = body.get("data")
        if isinstance(body.get("total"), int):
            total = body["total"]
        pagination = body.get("pagination")
        if isinstance(pagination, dict):
            total = pagination.get("total", total)
            total_pages = pagination.get("total_pages")
            limit = pagination.get("per_page", limit)
    if not isinstance(data, list):
        raise ResponseValidationError("the list response has no `data` array")
    try:
        items = [model.model_validate(item) for item in data]
    except ValidationError as exc:
        raise ResponseValidationError(
            f"unexpected {model.__name__} in the response: {exc}"
        ) from exc
    return Page(items, number, limit, total, total_pages, final=not paged)


class SyncPager(Generic[M]):
    """Iterate to walk every page lazily; `.page()` fetches just one."""

    def __init__(self, fetch: Callable[[int], Page[M]], *, start: int = 1) -> None:
        self._fetch = fetch
        self._start = start

    def page(self, number: int | None = None) -> Page[M]:
        """One page: the starting page (default 1), or `number`."""
        return self._fetch(self._start if number is None else number)

    def pages(self) -> Iterator[Page[M]]:
        number = self._start
        while True:
            page = self._fetch(number)
            yield page
            if not page.has_next:
                return
            number += 1

    def __iter__(self) -> Iterator[M]:
        for page in self.pages():
            yield from page.items


class AsyncPager(Generic[M]):
    """`async for` to walk every page lazily; `await .page()` fetches just one."""

    def __init__(self, fetch: Callable[[int], Awaitable[Page[M]]], *, start: int = 1) -> None:
        self._fetch = fetch
        self._start = start

    async def page(self, number: int | None = None) -> Page[M]:
        """One page: the starting page (default 1), or `number`."""
        return await self._fetch(self._start if number is None else number)

    async def pages(self) -> AsyncIterator[Page[M]]:
        number = self._start
        while True:
            page = await self._fetch(number)
            yield page
            if not page.has_next:
                return
            number += 1

    async def __aiter__(self) -> AsyncIterator[M]:
        async for page in self.pages():
            for item in page.items:
                yield item
