"""Per-brand id allocation.

Each brand numbers each kind of record on its own (`id_sequences`: one row per brand and
kind, holding the last id given). Taking ids updates that row, which locks it until the
transaction taking them ends.

- **SQLite** has one writer at a time anyway: ids are taken in the unit's transaction, and
  a unit that fails gives them back.
- **PostgreSQL** writers run side by side, and every order of a brand takes ids from the
  same row: taken in the unit's transaction, the row stayed locked through the rest of the
  unit and its commit (the disk's flush included), and the brand's writes queued on it one
  by one. There, ids are taken in a short transaction of their own (`IdTaker`), committed
  at once, as PostgreSQL's own sequences do: a unit that fails leaves a gap, never a
  duplicate. That transaction commits without waiting for the disk: PostgreSQL writes its
  log in order, so the commit of any unit using the ids, which does wait, makes the taking
  durable first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, bindparam, case, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import Session

from clopos.store.direct import Direct
from clopos.store.models import IdSequence
from clopos.store.uow import UnitOfWork, connection_of, current_unit

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
    uow = current_unit(session)
    if uow is not None and uow.ids is not None:
        first = uow.ids.take(brand_id, name, count)
        if first is not None:
            return first
        _on_its_own(uow)
    return _take(connection_of(session), brand_id, name, count)


def _on_its_own(uow: UnitOfWork) -> None:
    """From now on the unit takes ids in its own transaction: it holds rows of
    `id_sequences` there, which a taking elsewhere would wait for, while the unit waits
    for the taking."""
    uow.ids = None


def _take(connection: Connection, brand_id: int, name: str, count: int) -> int:
    last = _ADVANCE.scalar(connection, {"brand": brand_id, "sequence": name, "count": count})
    if last is None:
        # The brand's first id of this kind. Two units may get here at once (each sees no
        # row): an upsert lets the second take the next ids instead of failing on the key.
        last = connection.execute(_upsert(connection, brand_id, name, count)).scalar_one()
    return int(last) - count + 1


def _upsert(connection: Connection, brand_id: int, name: str, count: int) -> Any:
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    return (
        insert(_TABLE)
        .values(brand_id=brand_id, name=name, last_value=count)
        .on_conflict_do_update(
            index_elements=[_TABLE.c.brand_id, _TABLE.c.name],
            set_={"last_value": _TABLE.c.last_value + count},
        )
        .returning(_TABLE.c.last_value)
    )


class IdTaker:
    """PostgreSQL: ids taken in transactions of their own, on a few connections kept for
    that (a unit holds its own connection while it waits for ids: sharing the units' pool
    could leave every connection waiting)."""

    def __init__(self, url: Any, connections: int = 2) -> None:
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=connections,
            max_overflow=0,
            pool_recycle=3600,
            # Each statement its own transaction: one round trip, no BEGIN and COMMIT.
            isolation_level="AUTOCOMMIT",
            connect_args={
                "server_settings": {
                    # Their commits do not wait for the disk (see the module's docstring).
                    "synchronous_commit": "off",
                    # Nothing here waits on a unit; should anything ever (a row some other
                    # program holds), the unit fails instead of waiting with no end.
                    "lock_timeout": "10s",
                }
            },
        )

    def take(self, brand_id: int, name: str, count: int) -> int | None:
        """`next_ids`, committed at once; called from a unit (in SQLAlchemy's bridge to
        asyncio). None for a brand only the unit can see yet (it is creating it): then
        the unit takes them in its own transaction, where no one else waits for them."""
        try:
            with self.engine.sync_engine.connect() as connection:
                return _take(connection, brand_id, name, count)
        except IntegrityError:  # the brand's row is not there for this transaction
            return None

    def reserve(self, brand_id: int, name: str, wanted: int) -> bool:
        """`reserve_id`, committed at once: a unit that takes ids after reserving one must
        not hold the row the taking waits for. False where `take` answers None."""
        try:
            with self.engine.sync_engine.connect() as connection:
                _reserve(connection, brand_id, name, wanted)
        except IntegrityError:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


def reserve_id(session: Session, brand_id: int, name: str, wanted: int) -> None:
    """Record that an explicitly chosen id is taken, so generated ids never collide with it."""
    uow = current_unit(session)
    if uow is not None and uow.ids is not None:
        if uow.ids.reserve(brand_id, name, wanted):
            return
        _on_its_own(uow)
    _reserve(connection_of(session), brand_id, name, wanted)


def _reserve(connection: Connection, brand_id: int, name: str, wanted: int) -> None:
    # One statement: ids taken meanwhile by others stand (the higher value wins).
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(_TABLE).values(brand_id=brand_id, name=name, last_value=wanted)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[_TABLE.c.brand_id, _TABLE.c.name],
            set_={
                "last_value": case(
                    (
                        _TABLE.c.last_value < statement.excluded.last_value,
                        statement.excluded.last_value,
                    ),
                    else_=_TABLE.c.last_value,
                )
            },
        )
    )
