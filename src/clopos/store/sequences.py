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

  The kinds of row only a close, an inventory document or a deposit adds, and that are
  never given an id by hand (`reserve_id`), are taken `BLOCK` at a time and handed out
  from the process's memory (`IdTaker`), as a PostgreSQL sequence with a cache does: most
  closes then take no ids from the database at all. Each process's ids still rise, but two
  processes' interleave, and a process that ends leaves the rest of its blocks unused.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, String, Table, bindparam, case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import Session

from clopos.store.base import dialect_insert
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


def next_ids_of(session: Session, brand_id: int, counts: Mapping[str, int]) -> dict[str, int]:
    """`next_ids` for several kinds at once, in one statement where their rows are there:
    the first id of each kind asked for (a count of 0 asks for none)."""
    wanted = {name: count for name, count in counts.items() if count}
    uow = current_unit(session)
    if uow is not None and uow.ids is not None:
        firsts = uow.ids.take_many(brand_id, wanted)
        if firsts is not None:
            return firsts
        _on_its_own(uow)
    return _take_many(connection_of(session), brand_id, wanted)


@functools.cache
def _advance_many(size: int) -> Direct:
    """The `last_value`s of `size` kinds (`n0`...) moved on by their counts (`c0`...), their
    rows locked in the order of their names (PostgreSQL: two such statements never wait for
    each other in a circle)."""
    names = [bindparam(f"n{index}", type_=String) for index in range(size)]
    counts = [bindparam(f"c{index}", type_=Integer) for index in range(size)]
    taken = _TABLE.alias("taken")
    locked = (
        select(taken.c.brand_id, taken.c.name)
        .where(taken.c.brand_id == bindparam("brand"), taken.c.name.in_(names))
        .order_by(taken.c.name)
        .with_for_update()
        .subquery("locked")
    )
    return Direct(
        update(_TABLE)
        .where(_TABLE.c.brand_id == locked.c.brand_id, _TABLE.c.name == locked.c.name)
        .values(
            last_value=_TABLE.c.last_value
            + case(
                *((_TABLE.c.name == name, count) for name, count in zip(names, counts, strict=True))
            )
        )
        .returning(_TABLE.c.name, _TABLE.c.last_value)
    )


def _take_many(connection: Connection, brand_id: int, wanted: Mapping[str, int]) -> dict[str, int]:
    if len(wanted) < 2:
        return {name: _take(connection, brand_id, name, count) for name, count in wanted.items()}
    names = sorted(wanted)
    values: dict[str, Any] = {"brand": brand_id}
    for index, name in enumerate(names):
        values[f"n{index}"] = name
        values[f"c{index}"] = wanted[name]
    last = {
        row.name: int(row.last_value) for row in _advance_many(len(names)).rows(connection, values)
    }
    return {
        # A kind the brand takes its first ids of: `_take`'s upsert.
        name: last[name] - wanted[name] + 1
        if name in last
        else _take(connection, brand_id, name, wanted[name])
        for name in names
    }


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
    insert = dialect_insert(connection)
    return (
        insert(_TABLE)
        .values(brand_id=brand_id, name=name, last_value=count)
        .on_conflict_do_update(
            index_elements=[_TABLE.c.brand_id, _TABLE.c.name],
            set_={"last_value": _TABLE.c.last_value + count},
        )
        .returning(_TABLE.c.last_value)
    )


# The kinds taken in blocks (the module's docstring): nothing reserves an id of these, so a
# block held in memory can collide with nothing. Ids of what integrators create or page by
# (orders, receipts, customers) are taken one unit at a time.
BLOCKED = frozenset(
    {"receipt_payments", "receipt_taxes", "stock_operations", "finance_transactions"}
)
BLOCK = 64


@dataclass(slots=True)
class _Block:
    """The ids of a kind this process took and has not handed out: `next` to `last`."""

    next: int
    last: int


class IdTaker:
    """PostgreSQL: ids taken in transactions of their own, on a few connections kept for
    that (a unit holds its own connection while it waits for ids: sharing the units' pool
    could leave every connection waiting); the `BLOCKED` kinds a block at a time."""

    def __init__(self, url: Any, connections: int = 2) -> None:
        # By (brand, kind). Units take from it on the event loop's thread, one at a time;
        # one that waits for the database meanwhile replaces the block when it returns,
        # and the rest of the one it replaced is never used (a gap, as a crash leaves).
        self._blocks: dict[tuple[int, str], _Block] = {}
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
        firsts = self.take_many(brand_id, {name: count})
        return None if firsts is None else firsts[name]

    def take_many(self, brand_id: int, wanted: Mapping[str, int]) -> dict[str, int] | None:
        """`next_ids_of`, committed at once (None as for `take`); the `BLOCKED` kinds from
        this process's blocks, a new block taken for each that has too few left."""
        firsts: dict[str, int] = {}
        asked: dict[str, int] = {}
        for name, count in wanted.items():
            block = self._blocks.get((brand_id, name))
            if block is not None and block.last - block.next + 1 >= count:
                firsts[name] = block.next
                block.next += count
            else:
                asked[name] = count + BLOCK if name in BLOCKED else count
        if not asked:
            return firsts
        try:
            with self.engine.sync_engine.connect() as connection:
                taken = _take_many(connection, brand_id, asked)
        except IntegrityError:  # the brand's row is not there for this transaction
            return None
        for name, first in taken.items():
            firsts[name] = first
            if asked[name] > wanted[name]:  # a block: the ids past the unit's are kept
                self._blocks[brand_id, name] = _Block(first + wanted[name], first + asked[name] - 1)
        return firsts

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
    insert = dialect_insert(connection)
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
