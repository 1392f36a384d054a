"""A close's updates of the receipt and its order can be made in place on PostgreSQL (a
heap-only update, migration 0017): no index of either table covers a column they set, and
their pages keep room for the new versions."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.dialects import postgresql

from clopos.core.receipts import payments
from clopos.core.receipts.table import CLOSES_IN_PLACE
from clopos.store.direct import Direct
from tests.store.dbutil import is_sqlite, on_connection


def _set_columns(move: Direct) -> set[str]:
    """The columns an `UPDATE` sets, read from its SQL."""
    sql = str(move.statement.compile(dialect=postgresql.dialect()))
    found = re.search(r"\bSET (.*?) WHERE\b", sql, re.DOTALL)
    assert found is not None, sql
    return set(re.findall(r"(\w+)=", found.group(1)))


def _indexed(connection: Connection, table: str) -> dict[str, set[str]]:
    """Every index of `table` (its key and unique constraints' too) by name, with the
    columns it covers, as the migrated database has them."""
    found = inspect(connection)
    indexes: dict[str, set[str]] = {
        str(index["name"]): {str(c) for c in index["column_names"] if c is not None}
        for index in found.get_indexes(table)
    }
    key = found.get_pk_constraint(table)
    indexes[str(key["name"])] = set(key["constrained_columns"])
    for unique in found.get_unique_constraints(table):
        indexes[str(unique["name"])] = set(unique["column_names"])
    return indexes


def test_no_index_covers_a_column_a_close_changes(initialised_database_url: str) -> None:
    def read(connection: Connection) -> dict[str, Any]:
        found: dict[str, Any] = {
            table: _indexed(connection, table) for table in ("receipts", "orders")
        }
        if not is_sqlite(initialised_database_url):
            options = connection.execute(
                text(
                    "SELECT relname, reloptions FROM pg_class"
                    " WHERE relname IN ('receipts', 'orders')"
                )
            )
            found["options"] = {name: list(values or ()) for name, values in options}
        return found

    found = on_connection(initialised_database_url, read)
    changed = {
        "receipts": _set_columns(payments._CLOSE),
        "orders": _set_columns(payments._DELIVER),
    }
    assert "status" in changed["receipts"] and "status" in changed["orders"], changed
    for table, columns in changed.items():
        assert found[table], table  # the key at least: the database was read
        covering = {name: c & columns for name, c in found[table].items() if c & columns}
        assert covering == {}, f"{table}: {covering}"
    if not is_sqlite(initialised_database_url):
        room = [f"fillfactor={CLOSES_IN_PLACE}"]
        assert found["options"] == {"receipts": room, "orders": room}
