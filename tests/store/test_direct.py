"""`Direct` statements answer what SQLAlchemy's own execution answers, on both backends:
the same rows with the same converted values, its exception classes, and the reads a unit
of work notes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clopos.core.orders.table import Order
from clopos.store.db import READS, Database
from clopos.store.direct import Direct
from clopos.store.models import IdSequence
from clopos.store.uow import connection_of, insert_rows, savepoint
from tests.store.dbutil import with_database

ORDERS: Table = Order.__table__  # type: ignore[assignment]
SEQUENCES: Table = IdSequence.__table__  # type: ignore[assignment]

# Columns of every kind the orders table has: JSON, datetimes (one left NULL), floats, text.
PAGE = (
    select(
        ORDERS.c.id,
        ORDERS.c.payload,
        ORDERS.c.created_at,
        ORDERS.c.accept_at,
        ORDERS.c.total,
        ORDERS.c.status.label("state"),
    )
    .where(
        ORDERS.c.brand_id == bindparam("brand_id"),
        ORDERS.c.status.in_(["PENDING", "RECEIVED"]),  # values the statement holds
        ORDERS.c.id > 900,
    )
    .order_by(ORDERS.c.id)
)


def _orders(session: Session) -> None:
    insert_rows(
        session,
        ORDERS,
        [
            {
                "brand_id": 1,
                "id": 900 + number,
                "venue_id": 1,
                "sale_type_id": 1,
                "total": 4.5 * number,
                "status": status,
                "payload": {"products": [{"id": number, "note": "ünïcode"}], "none": None},
                "created_at": datetime(2026, 11, number, 9, 30, tzinfo=UTC),
            }
            for number, status in ((1, "PENDING"), (2, "IGNORE"), (3, "RECEIVED"))
        ],
    )


def test_rows_are_what_sqlalchemy_answers(initialised_database_url: str, tmp_path: Path) -> None:
    direct = Direct(PAGE)

    def both(session: Session) -> tuple[list[Any], list[Any]]:
        ours = direct.rows(connection_of(session), {"brand_id": 1})
        theirs = session.execute(PAGE, {"brand_id": 1}).all()
        return ours, theirs

    async def run(db: Database) -> tuple[list[Any], list[Any]]:
        await db.write(_orders)
        return await db.read(both)

    ours, theirs = with_database(initialised_database_url, tmp_path, run)
    assert [row.id for row in ours] == [901, 903]  # IGNORE left out by the IN list
    assert [tuple(row) for row in ours] == [tuple(row) for row in theirs]
    assert ours[0].payload == {"products": [{"id": 1, "note": "ünïcode"}], "none": None}
    assert ours[0].created_at == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    assert ours[0].accept_at is None
    assert ours[1].state == "RECEIVED"  # a label names its field


def test_returning_and_scalar(initialised_database_url: str, tmp_path: Path) -> None:
    advance = Direct(
        update(SEQUENCES)
        .where(SEQUENCES.c.brand_id == bindparam("brand"), SEQUENCES.c.name == "direct-test")
        .values(last_value=SEQUENCES.c.last_value + bindparam("count"))
        .returning(SEQUENCES.c.last_value)
    )

    def run(session: Session) -> tuple[Any, Any]:
        connection = connection_of(session)
        missing = advance.scalar(connection, {"brand": 1, "count": 5})
        insert_rows(session, SEQUENCES, [{"brand_id": 1, "name": "direct-test", "last_value": 1}])
        return missing, advance.scalar(connection, {"brand": 1, "count": 5})

    assert with_database(initialised_database_url, tmp_path, lambda db: db.write(run)) == (None, 6)


def test_a_duplicate_key_raises_sqlalchemys_integrity_error(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """As SQLAlchemy's execution would: callers catch its classes (a repeated integration
    uuid is found again that way), and the unit goes on past a savepoint (which must be
    emitted: on PostgreSQL a failure outside one aborts the transaction)."""

    def run(session: Session) -> int:
        _orders(session)
        with pytest.raises(IntegrityError), savepoint(session):
            _orders(session)
        return len(Direct(PAGE).rows(connection_of(session), {"brand_id": 1}))

    assert with_database(initialised_database_url, tmp_path, lambda db: db.write(run)) == 2


def test_a_read_is_noted_for_the_units_reader(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """The response cache tags an answer with the tables its units read."""

    async def run(db: Database) -> set[str]:
        reads: set[str] = set()
        token = READS.set(reads)
        try:
            await db.read(
                lambda session: Direct(PAGE).rows(connection_of(session), {"brand_id": 1})
            )
        finally:
            READS.reset(token)
        return reads

    assert with_database(initialised_database_url, tmp_path, run) == {"orders"}


def test_an_in_list_given_at_run_time_is_refused() -> None:
    """Its SQL would differ per call: such a statement is no statement to compile once."""
    statement = Direct(select(ORDERS.c.id).where(ORDERS.c.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(ValueError, match="expanding"):
        statement.rows(_sqlite_connection(), {"ids": [1, 2]})


def _sqlite_connection() -> Any:
    from sqlalchemy import create_engine

    return create_engine("sqlite://").connect()


def test_a_read_that_writes_is_refused_and_leaves_nothing(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """A read runs without a transaction on PostgreSQL: writing there is a mistake, caught
    before anything is flushed."""

    def sneaky(session: Session) -> None:
        session.add(IdSequence(brand_id=1, name="read-wrote", last_value=1))

    def written(session: Session) -> int:
        return len(session.execute(select(IdSequence).where(IdSequence.name == "read-wrote")).all())

    async def run(db: Database) -> int:
        with pytest.raises(RuntimeError, match="reads tried to write"):
            await db.read(sneaky)
        return await db.read(written)

    assert with_database(initialised_database_url, tmp_path, run) == 0


def test_a_read_sees_what_the_session_holds_unflushed(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """As the ORM's own queries do (autoflush): a unit mixing both reads its own writes."""
    pending = Direct(select(IdSequence.last_value).where(IdSequence.name == "pending"))

    def run(session: Session) -> Any:
        session.add(IdSequence(brand_id=1, name="pending", last_value=7))
        return pending.scalar(connection_of(session))

    assert with_database(initialised_database_url, tmp_path, lambda db: db.write(run)) == 7


def test_each_read_sees_the_writes_before_it(initialised_database_url: str, tmp_path: Path) -> None:
    """Reads on SQLite's event loop share one session: what one read loaded through the ORM
    is forgotten before the next (even while something still holds it), and a read that
    fails leaves the next one a clean start."""
    held: list[IdSequence] = []

    def value(session: Session) -> int:
        found = session.execute(select(IdSequence).where(IdSequence.name == "seen")).scalar_one()
        held.append(found)  # alive past its unit: the session's identity map keeps it
        return int(found.last_value)

    def put(session: Session, last_value: int) -> None:
        found = session.execute(select(IdSequence).where(IdSequence.name == "seen")).scalar()
        if found is None:
            session.add(IdSequence(brand_id=1, name="seen", last_value=last_value))
        else:
            found.last_value = last_value

    def failing(session: Session) -> None:
        value(session)
        raise LookupError("the read failed")

    async def run(db: Database) -> list[int]:
        seen = []
        for last_value in (1, 2):
            await db.write(put, last_value)
            seen.append(await db.read(value))
        with pytest.raises(LookupError):
            await db.read(failing)
        await db.write(put, 3)
        seen.append(await db.read(value))
        return seen

    assert with_database(initialised_database_url, tmp_path, run) == [1, 2, 3]


def test_many_rows_insert_as_statements_of_several_rows(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """`insert_rows` of more rows than one statement carries: every row, every value (a
    shared moment converted once stands in each row), whatever the split."""
    moment = datetime(2026, 11, 5, 8, 0, tzinfo=UTC)

    def insert(session: Session) -> None:
        insert_rows(
            session,
            ORDERS,
            [
                {
                    "brand_id": 1,
                    "id": 1000 + number,
                    "venue_id": 1,
                    "sale_type_id": 1,
                    "total": number / 4,
                    "status": "PENDING",
                    "payload": {"n": number},
                    "created_at": moment,
                }
                for number in range(150)
            ],
        )

    def read(session: Session) -> list[Any]:
        return list(
            session.execute(
                select(ORDERS.c.id, ORDERS.c.total, ORDERS.c.payload, ORDERS.c.created_at)
                .where(ORDERS.c.brand_id == 1, ORDERS.c.id >= 1000)
                .order_by(ORDERS.c.id)
            )
        )

    async def work(db: Database) -> list[Any]:
        await db.write(insert)
        return await db.read(read)

    rows = with_database(initialised_database_url, tmp_path, work)
    assert [tuple(row) for row in rows] == [
        (1000 + number, number / 4, {"n": number}, moment) for number in range(150)
    ]
