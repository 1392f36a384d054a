"""Per-brand id allocation."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clopos.store.models import IdSequence


def next_ids(session: Session, brand_id: int, name: str, count: int = 1) -> int:
    """Reserve `count` ids for `name` in a brand and answer the first; atomic on every backend."""
    result = session.execute(
        update(IdSequence)
        .where(IdSequence.brand_id == brand_id, IdSequence.name == name)
        .values(last_value=IdSequence.last_value + count)
        .returning(IdSequence.last_value),
        # No ORM object of this table is ever loaded: skip matching the identity map.
        execution_options={"synchronize_session": False},
    )
    last = result.scalar_one_or_none()
    if last is None:
        session.add(IdSequence(brand_id=brand_id, name=name, last_value=count))
        session.flush()
        last = count
    return last - count + 1


def reserve_id(session: Session, brand_id: int, name: str, wanted: int) -> None:
    """Record that an explicitly chosen id is taken, so generated ids never collide with it."""
    current = session.scalar(
        select(IdSequence.last_value).where(
            IdSequence.brand_id == brand_id, IdSequence.name == name
        )
    )
    if current is None:
        session.add(IdSequence(brand_id=brand_id, name=name, last_value=wanted))
        session.flush()
    elif current < wanted:
        session.execute(
            update(IdSequence)
            .where(IdSequence.brand_id == brand_id, IdSequence.name == name)
            .values(last_value=wanted)
        )
