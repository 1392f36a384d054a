"""The change log's `at` index (migration 0018): a block-range index on PostgreSQL, which
the close's eight log rows add nothing to, and the pruning it serves still deletes exactly
the rows written before its moment, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, inspect, select
from sqlalchemy.orm import Session

from clopos.store.changes import prune
from clopos.store.models import ChangeLog
from tests.store.dbutil import is_sqlite, on_connection

MOMENT = datetime(2001, 1, 1, tzinfo=UTC)


def test_pruning_deletes_the_rows_before_its_moment_only(initialised_database_url: str) -> None:
    written = [MOMENT - timedelta(days=1), MOMENT - timedelta(seconds=1), MOMENT]
    written.append(MOMENT + timedelta(days=1))

    def work(connection: Connection) -> tuple[int, list[datetime], int]:
        before = connection.scalar(select(func.count()).select_from(ChangeLog))
        rows = [{"resource": "test", "kind": "insert", "at": at} for at in written]
        connection.execute(insert(ChangeLog), rows)
        with Session(bind=connection) as session:
            pruned = prune(session, MOMENT)
        left = connection.scalars(
            select(ChangeLog.at).where(ChangeLog.resource == "test").order_by(ChangeLog.at)
        ).all()
        after = connection.scalar(select(func.count()).select_from(ChangeLog))
        return pruned, list(left), int(after or 0) - int(before or 0)

    pruned, left, added = on_connection(initialised_database_url, work)
    assert pruned == 2
    assert left == [MOMENT, MOMENT + timedelta(days=1)]
    assert added == 2  # four written, two pruned: the rows the start wrote (today) are kept


def test_the_at_index_is_a_block_range_index_on_postgresql(
    initialised_database_url: str,
) -> None:
    def work(connection: Connection) -> dict[str, Any]:
        indexes = inspect(connection).get_indexes("change_log")
        return next(index for index in indexes if index["name"] == "ix_change_log_at")

    found = on_connection(initialised_database_url, work)
    assert found["column_names"] == ["at"]
    options = found.get("dialect_options", {})
    if is_sqlite(initialised_database_url):
        assert "postgresql_using" not in options
    else:
        assert options.get("postgresql_using") == "brin", found
        assert options.get("postgresql_with") == {"autosummarize": "on"}, found
