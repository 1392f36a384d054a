"""The brand an operator route names by slug (`/admin/api/brands/{brand}/...`), resolved in
the unit of work that does the route's work: one unit per request, so the brand found is
the brand the work is done for (no unit in between where it could be renamed or removed),
and one round to the database fewer. An unknown slug is the 404 `Brand '<slug>' not found`
(core/access/brands.py), raised before the work runs.

`run` is the unit to run in: `db.read` or `db.write` of the request's database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from clopos.core.access.brands import brand_id_of
from clopos.core.formats import parse_id

P = ParamSpec("P")
T = TypeVar("T")

Run = Callable[[Callable[[Session], T]], Awaitable[T]]


async def in_brand(
    run: Run[T],
    slug: str,
    fn: Callable[Concatenate[Session, int, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """`fn(session, brand_id, *args, **kwargs)` in one unit, the brand found by `slug` in it."""

    def work(session: Session) -> T:
        return fn(session, brand_id_of(session, slug), *args, **kwargs)

    return await run(work)


async def in_brand_at(
    run: Run[T],
    slug: str,
    record_id: str,
    fn: Callable[Concatenate[Session, int, int, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """`in_brand` for a path that names a record of the brand after it (`.../orders/{id}`,
    `.../venues/{venue_id}/...`): `fn(session, brand_id, parsed id, ...)`. The id is parsed
    once the brand is found, as the path reads: an unknown brand is its 404 whatever the
    id, and a malformed id of a known brand its 400."""

    def work(session: Session, brand_id: int) -> T:
        return fn(session, brand_id, parse_id(record_id), *args, **kwargs)

    return await in_brand(run, slug, work)
