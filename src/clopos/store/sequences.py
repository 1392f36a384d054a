"""Per-brand id allocation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from clopos.store.direct import Direct
from clopos.store.models import IdSequence
from clopos.store.uow import connection_of

_TABLE: Table = IdSequence.__table__  # type: ignore[assignment]
# Compiled once and run on the driver (store/direct.py): every creation takes ids, and the
# ORM's update path cost several times the statement itself.
_ADVANCE = Direct(
    update(_TABLE)
    .where(_TABLE.c.brand_id == bindparam("brand"), _TABLE.c.name == bindparam("sequence"))
    .values(last_value=_TABLE.c.last_value + bindparam("count"))
    .returning(_TABLE.c.last_value)
)


def next_ids(session: Session, brand_id: int, name: str, count: int = 1) -> int:
    """Reserve `count` ids for `name` in a brand and answer the first; atomic on every backend."""
    last = _ADVANCE.scalar(
        connection_of(session), {"brand": brand_id, "sequence": name, "count": count}
    )
    if last is None:
        # The brand's first id of this kind. Two units may get here at once (each sees no
        # row): an upsert lets the second take the next ids instead of failing on the key.
        last = session.execute(
            _upsert(session, brand_id, name, count),
            execution_options={"synchronize_session": False},
        ).scalar_one()
    return int(last) - count + 1


def _upsert(session: Session, brand_id: int, name: str, count: int) -> Any:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(IdSequence)
        .values(brand_id=brand_id, name=name, last_value=count)
        .on_conflict_do_update(
            index_elements=[IdSequence.brand_id, IdSequence.name],
            set_={"last_value": IdSequence.last_value + count},
        )
        .returning(IdSequence.last_value)
    )


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
