"""`insert_rows` and `update_rows`: hot write paths write with Core and still log every row they
change."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from clopos.core.orders.table import Order
from clopos.core.products.table import Tag
from clopos.server.bootstrap import initialise
from clopos.server.settings import Settings
from clopos.store.db import Database
from clopos.store.direct import Direct
from clopos.store.models import ChangeLog
from clopos.store.uow import insert_rows, update_rows

TAGS: Table = Tag.__table__  # type: ignore[assignment]
ORDERS: Table = Order.__table__  # type: ignore[assignment]


@pytest.fixture
def db(tmp_path: Path) -> Any:
    settings = Settings(data_dir=tmp_path)
    database = settings.open_database()
    asyncio.run(initialise(settings, database))  # the sandbox brand: id 1
    yield database
    asyncio.run(database.dispose())


def test_rows_are_inserted_completed_and_logged(db: Database) -> None:
    def insert(session: Session) -> list[dict[str, Any]]:
        return insert_rows(
            session,
            TAGS,
            [{"brand_id": 1, "id": 901, "name": "a"}, {"brand_id": 1, "id": 902, "name": "b"}],
        )

    def read(session: Session) -> tuple[list[Any], list[Any]]:
        tags = list(session.execute(select(Tag.id, Tag.name).where(Tag.id > 900)))
        log = list(
            session.execute(
                select(ChangeLog.resource, ChangeLog.brand_id, ChangeLog.record_id, ChangeLog.kind)
                .where(ChangeLog.resource == "tags", ChangeLog.record_id.in_(["901", "902"]))
                .order_by(ChangeLog.seq)
            )
        )
        return tags, log

    async def run() -> tuple[list[dict[str, Any]], tuple[list[Any], list[Any]]]:
        return await db.write(insert), await db.read(read)

    rows, (tags, log) = asyncio.run(run())
    assert rows == [
        {"brand_id": 1, "id": 901, "name": "a"},
        {"brand_id": 1, "id": 902, "name": "b"},
    ]
    assert [tuple(t) for t in tags] == [(901, "a"), (902, "b")]
    assert [tuple(entry) for entry in log] == [
        ("tags", 1, "901", "insert"),
        ("tags", 1, "902", "insert"),
    ]


def test_left_out_columns_get_their_python_defaults(db: Database) -> None:
    def insert(session: Session) -> dict[str, Any]:
        (row,) = insert_rows(
            session, ORDERS, [{"brand_id": 1, "id": 901, "venue_id": 1, "sale_type_id": 1}]
        )
        return row

    row = asyncio.run(db.write(insert))
    assert (row["status"], row["type"], row["version"], row["payload"]) == (
        "PENDING",
        "CALL_CENTER_ORDER",
        1,
        {},
    )
    assert row["created_at"].tzinfo is not None and row["receipt_id"] is None


_RENAME = Direct(
    update(TAGS)
    .where(TAGS.c.brand_id == bindparam("brand_id"), TAGS.c.name == bindparam("old"))
    .values(name=bindparam("new"))
    .returning(TAGS.c.id, TAGS.c.name)
)


def test_update_rows_logs_each_row_it_changed(db: Database) -> None:
    """`update_rows`: the rows a Direct UPDATE changed, each logged as updated by its id;
    one that changes nothing logs nothing."""

    def setup(session: Session) -> None:
        rows = [{"brand_id": 1, "id": 911, "name": "x"}, {"brand_id": 1, "id": 912, "name": "x"}]
        insert_rows(session, TAGS, rows)

    def rename(session: Session) -> tuple[list[Any], list[Any]]:
        changed = update_rows(session, _RENAME, {"brand_id": 1, "old": "x", "new": "y"})
        nothing = update_rows(session, _RENAME, {"brand_id": 1, "old": "absent", "new": "z"})
        return changed, nothing

    def read(session: Session) -> list[Any]:
        return list(
            session.execute(
                select(ChangeLog.resource, ChangeLog.brand_id, ChangeLog.record_id, ChangeLog.kind)
                .where(ChangeLog.resource == "tags", ChangeLog.kind == "update")
                .order_by(ChangeLog.seq)
            )
        )

    async def run() -> tuple[tuple[list[Any], list[Any]], list[Any]]:
        await db.write(setup)
        return await db.write(rename), await db.read(read)

    (changed, nothing), log = asyncio.run(run())
    assert sorted(tuple(row) for row in changed) == [(911, "y"), (912, "y")]
    assert nothing == []
    assert sorted(tuple(entry) for entry in log) == [
        ("tags", 1, "911", "update"),
        ("tags", 1, "912", "update"),
    ]
