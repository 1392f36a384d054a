"""Per-brand id allocation and the access revision."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from clopos.server.store.models import AccessState, IdSequence


async def next_ids(session: AsyncSession, brand_id: int, name: str, count: int = 1) -> int:
    """Reserve `count` ids for `name` in a brand and answer the first; atomic on every backend."""
    result = await session.execute(
        update(IdSequence)
        .where(IdSequence.brand_id == brand_id, IdSequence.name == name)
        .values(last_value=IdSequence.last_value + count)
        .returning(IdSequence.last_value)
    )
    last = result.scalar_one_or_none()
    if last is None:
        session.add(IdSequence(brand_id=brand_id, name=name, last_value=count))
        await session.flush()
        last = count
    return last - count + 1


async def reserve_id(session: AsyncSession, brand_id: int, name: str, wanted: int) -> None:
    """Record that an explicitly chosen id is taken, so generated ids never collide with it."""
    current = await session.scalar(
        select(IdSequence.last_value).where(
            IdSequence.brand_id == brand_id, IdSequence.name == name
        )
    )
    if current is None:
        session.add(IdSequence(brand_id=brand_id, name=name, last_value=wanted))
        await session.flush()
    elif current < wanted:
        await session.execute(
            update(IdSequence)
            .where(IdSequence.brand_id == brand_id, IdSequence.name == name)
            .values(last_value=wanted)
        )


async def bump_access_revision(session: AsyncSession) -> None:
    """Mark that access changed: every server process drops its cached view on its next request."""
    result = await session.execute(
        update(AccessState).where(AccessState.id == 1).values(revision=AccessState.revision + 1)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.add(AccessState(id=1, revision=1))
        await session.flush()
