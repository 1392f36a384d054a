"""`Together` answers several reads with one statement, on both backends: each part's rows
as that part alone answers them (values converted by its columns' types), split by part."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, bindparam, literal_column, select, union_all
from sqlalchemy.orm import Session

from clopos.store.db import Database
from clopos.store.models import IdSequence
from clopos.store.together import Together
from clopos.store.uow import connection_of
from tests.store.dbutil import is_sqlite, with_database
from tests.store.test_direct import ORDERS, PAGE, _orders
from tests.support import note_driver_statements

SEQUENCES: Table = IdSequence.__table__  # type: ignore[assignment]

# JSON, datetimes (one NULL), floats and text; then integers and text; then a union (its
# columns typed by its first part); then a part no row answers.
PARTS: dict[str, Any] = {
    "orders": PAGE.order_by(None),
    "sequences": select(SEQUENCES.c.brand_id, SEQUENCES.c.name, SEQUENCES.c.last_value).where(
        SEQUENCES.c.brand_id == bindparam("brand_id")
    ),
    "numbers": union_all(
        select(ORDERS.c.id, ORDERS.c.total).where(ORDERS.c.id == bindparam("first")),
        select(ORDERS.c.id, literal_column("0.25")).where(ORDERS.c.id == bindparam("last")),
    ),
    "none": select(ORDERS.c.id, ORDERS.c.created_at).where(ORDERS.c.id < 0),
}
VALUES = {"brand_id": 1, "first": 901, "last": 903}


def _sorted(rows: Any) -> list[tuple[Any, ...]]:
    return sorted((tuple(row) for row in rows), key=repr)


def test_each_part_answers_what_it_alone_answers_in_one_statement(
    initialised_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    together = Together(**PARTS)
    # Each statement with the driver's connection it ran on: this unit's are picked by its
    # connection (other servers of the run, in-process, read the same tables meanwhile).
    statements: list[tuple[Any, str]] = []
    note_driver_statements(monkeypatch, lambda sql, on, _auto: statements.append((on, sql)))

    def both(session: Session) -> tuple[dict[str, list[Any]], list[str], dict[str, list[Any]]]:
        statements.clear()
        connection = connection_of(session)
        ours = together.rows(connection, VALUES)
        mine = connection.connection.dbapi_connection
        sent = [sql for used, sql in statements if used is mine]
        alone = {name: session.execute(part, VALUES).all() for name, part in PARTS.items()}
        return ours, sent, alone

    async def run(db: Database) -> tuple[dict[str, list[Any]], list[str], dict[str, list[Any]]]:
        await db.write(_orders)
        return await db.read(both)

    ours, sent, alone = with_database(initialised_database_url, tmp_path, run)
    assert list(ours) == list(PARTS)
    for name in PARTS:
        assert _sorted(ours[name]) == _sorted(alone[name]), name
    orders = {row.id: row for row in ours["orders"]}
    assert set(orders) == {901, 903}
    assert orders[901].payload == {"products": [{"id": 1, "note": "ünïcode"}], "none": None}
    assert orders[903].created_at == datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    assert orders[903].accept_at is None and orders[903].state == "RECEIVED"
    assert ours["sequences"] and all(row.brand_id == 1 for row in ours["sequences"])
    assert sorted(ours["numbers"]) == [(901, 4.5), (903, 0.25)]
    assert ours["none"] == []
    if not is_sqlite(initialised_database_url):
        assert len(sent) == 1 and "UNION ALL" in sent[0], sent


@pytest.mark.parametrize(
    "part",
    [PAGE, PAGE.order_by(None).limit(5)],
    ids=["ordered", "limited"],
)
def test_an_ordered_or_limited_part_is_refused(part: Any) -> None:
    with pytest.raises(ValueError, match="its order is not kept"):
        Together(page=part)
