"""`insert_rows` of several rows on PostgreSQL: one statement of arrays, the same SQL for
every count of rows, and rows as the ORM would write them (JSON columns included); on
SQLite the same rows by its statement of rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from clopos.core.orders.table import Order
from clopos.store.db import Database
from clopos.store.uow import insert_rows
from tests.store.dbutil import is_sqlite, with_database

ORDERS: Table = Order.__table__  # type: ignore[assignment]

# A JSON column's values of each kind: an object, a list (the driver would take it for a
# dimension of the array), a scalar, an empty list, and None (JSON null, as the ORM writes
# it: the column does not take None for SQL NULL).
PAYLOADS: list[Any] = [{"a": [1, {"b": None}]}, [1, 2], "text", [], None]


def _orders(first: int, payloads: list[Any]) -> list[dict[str, Any]]:
    return [
        {"brand_id": 1, "id": first + index, "venue_id": 1, "sale_type_id": 1, "payload": payload}
        for index, payload in enumerate(payloads)
    ]


def test_rows_of_any_count_go_in_by_one_statement_as_the_orm_writes_them(
    initialised_database_url: str, tmp_path: Path, statements: list[str]
) -> None:
    def write(session: Session) -> list[str]:
        statements.clear()
        insert_rows(session, ORDERS, _orders(901, PAYLOADS[:2]))
        insert_rows(session, ORDERS, _orders(911, PAYLOADS))
        return [sql for sql in statements if "INSERT INTO orders" in sql]

    def read(session: Session) -> list[tuple[Any, ...]]:
        rows = session.execute(
            select(Order.id, Order.payload, Order.payload.is_(None), Order.status, Order.version)
            .where(Order.id > 900)
            .order_by(Order.id)
        )
        return [tuple(row) for row in rows]

    async def run(db: Database) -> tuple[list[str], list[tuple[Any, ...]]]:
        return await db.write(write), await db.read(read)

    written, found = with_database(initialised_database_url, tmp_path, run)
    ids = [901, 902, 911, 912, 913, 914, 915]
    payloads = PAYLOADS[:2] + PAYLOADS
    # Every payload as given, None a JSON null (not SQL NULL), the defaults filled in.
    assert found == [
        (order_id, payload, False, "PENDING", 1)
        for order_id, payload in zip(ids, payloads, strict=True)
    ]
    if not is_sqlite(initialised_database_url):
        assert len(written) == 2 and written[0] == written[1], written
        assert "unnest(" in written[0]
