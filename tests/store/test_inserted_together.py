"""`inserted_together`: the rows `insert_rows` is given in the block are written at its
end, on PostgreSQL in one statement, and logged as every insert is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clopos.core.orders.table import Order
from clopos.core.products.table import Tag
from clopos.store.db import Database
from clopos.store.models import ChangeLog
from clopos.store.uow import insert_rows, inserted_together
from tests.store.dbutil import is_sqlite, with_database

TAGS: Table = Tag.__table__  # type: ignore[assignment]
ORDERS: Table = Order.__table__  # type: ignore[assignment]

TAG_ROWS = [{"brand_id": 1, "id": 901, "name": "a"}, {"brand_id": 1, "id": 902, "name": "b"}]
ORDER_ROWS = [{"brand_id": 1, "id": 901, "venue_id": 1, "sale_type_id": 1}]


def _ours(session: Session) -> tuple[list[Any], list[Any]]:
    tags = [tuple(row) for row in session.execute(select(Tag.id, Tag.name).where(Tag.id > 900))]
    orders = [tuple(row) for row in session.execute(select(Order.id).where(Order.id > 900))]
    return tags, orders


def _ours_and_logged(session: Session) -> tuple[tuple[list[Any], list[Any]], list[Any]]:
    """`_ours`, and the change log's rows of them."""
    log = session.execute(
        select(ChangeLog.resource, ChangeLog.record_id)
        .where(ChangeLog.resource.in_(["tags", "orders"]), ChangeLog.record_id == "901")
        .order_by(ChangeLog.resource)
    )
    return _ours(session), [tuple(entry) for entry in log]


def test_held_rows_are_written_at_the_end_in_one_statement_and_logged(
    initialised_database_url: str, tmp_path: Path, statements: list[str]
) -> None:
    def write(session: Session) -> tuple[tuple[list[Any], list[Any]], list[str]]:
        with inserted_together(session):
            insert_rows(session, TAGS, TAG_ROWS)
            insert_rows(session, ORDERS, ORDER_ROWS)
            held = _ours(session)  # not there yet: the block's rows are nobody's to read
            statements.clear()
        # (the recorder sees the whole process: a package's server may read meanwhile)
        return held, [text for text in statements if "INSERT" in text]

    async def run(db: Database) -> Any:
        return await db.write(write), await db.read(_ours_and_logged)

    (held, written), (found, log) = with_database(initialised_database_url, tmp_path, run)
    assert held == ([], [])
    assert found == ([(901, "a"), (902, "b")], [(901,)])
    assert log == [("orders", "901"), ("tags", "901")]
    if not is_sqlite(initialised_database_url):
        assert len(written) == 1, written
        assert " ".join(written[0].split()).startswith("WITH together_0 AS (INSERT INTO tags")


def test_outside_the_block_rows_are_inserted_at_once(
    initialised_database_url: str, tmp_path: Path
) -> None:
    def write(session: Session) -> tuple[list[Any], list[Any]]:
        insert_rows(session, TAGS, TAG_ROWS)
        return _ours(session)

    async def run(db: Database) -> Any:
        return await db.write(write)

    assert with_database(initialised_database_url, tmp_path, run) == ([(901, "a"), (902, "b")], [])


def test_a_held_row_that_breaks_a_key_fails_the_unit(
    initialised_database_url: str, tmp_path: Path
) -> None:
    def write(session: Session) -> None:
        with inserted_together(session):
            insert_rows(session, ORDERS, ORDER_ROWS)
            insert_rows(session, TAGS, [*TAG_ROWS, TAG_ROWS[0]])

    async def run(db: Database) -> Any:
        with pytest.raises(IntegrityError):
            await db.write(write)
        return await db.read(_ours)

    assert with_database(initialised_database_url, tmp_path, run) == ([], [])


def test_rows_held_to_the_commit_go_with_the_change_log_in_one_statement(
    initialised_database_url: str, tmp_path: Path, statements: list[str]
) -> None:
    def write(session: Session) -> tuple[list[Any], list[Any]]:
        with inserted_together(session, to_commit=True):
            insert_rows(session, TAGS, TAG_ROWS)
        insert_rows(session, ORDERS, ORDER_ROWS)  # after the block: held with its rows
        held = _ours(session)  # not there yet: they are written with the commit
        statements.clear()
        return held

    async def run(db: Database) -> Any:
        return await db.write(write), list(statements), await db.read(_ours_and_logged)

    held, written, (found, log) = with_database(initialised_database_url, tmp_path, run)
    assert held == ([], [])
    assert found == ([(901, "a"), (902, "b")], [(901,)])
    assert log == [("orders", "901"), ("tags", "901")]
    if not is_sqlite(initialised_database_url):
        inserts = [" ".join(text.split()) for text in written if "INSERT" in text]
        assert len(inserts) == 1, inserts
        assert inserts[0].startswith("WITH together_0 AS (INSERT INTO tags")
        assert "INSERT INTO change_log" in inserts[0]


def test_a_unit_failing_after_rows_held_to_the_commit_writes_none(
    initialised_database_url: str, tmp_path: Path
) -> None:
    def write(session: Session) -> None:
        with inserted_together(session, to_commit=True):
            insert_rows(session, TAGS, TAG_ROWS)
            insert_rows(session, ORDERS, ORDER_ROWS)
        raise RuntimeError("the unit fails after its last writes")

    def logged(session: Session) -> list[Any]:
        return list(session.scalars(select(ChangeLog.seq).where(ChangeLog.record_id == "901")))

    async def run(db: Database) -> Any:
        with pytest.raises(RuntimeError):
            await db.write(write)
        return await db.read(_ours), await db.read(logged)

    assert with_database(initialised_database_url, tmp_path, run) == (([], []), [])
