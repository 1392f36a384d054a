"""Looking into a test database directly, on either backend, without the app's engines."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from clopos.server.bootstrap import initialise
from clopos.server.settings import Settings
from clopos.store.db import Database
from tests.support import Postgres

T = TypeVar("T")
DATA = Path(__file__).resolve().parent / "data"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    assert database
    return Path(database)


def plain_postgres_url(url: str) -> str:
    return url.replace("postgresql+asyncpg", "postgresql")


def on_connection(url: str, work: Callable[[Connection], T]) -> T:
    """Run `work(connection)` in one committed transaction on the database at `url`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed.set(drivername="sqlite"), poolclass=NullPool)
        try:
            with engine.begin() as connection:
                return work(connection)
        finally:
            engine.dispose()

    async def run() -> T:
        engine = create_async_engine(parsed, poolclass=NullPool)
        try:
            async with engine.begin() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def query(url: str, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    def work(connection: Connection) -> list[tuple[Any, ...]]:
        result = connection.execute(text(statement), params)
        return [tuple(row) for row in result] if result.returns_rows else []

    return on_connection(url, work)


def tables(url: str) -> set[str]:
    return on_connection(url, lambda c: set(inspect(c).get_table_names()))


def snapshot(url: str, names: set[str] | None = None) -> dict[str, dict[str, list[str]]]:
    """Every row of every table (or of `names`), per column, in a comparable form."""

    def work(connection: Connection) -> dict[str, dict[str, list[str]]]:
        found = inspect(connection)
        result: dict[str, dict[str, list[str]]] = {}
        for table in sorted(names if names is not None else found.get_table_names()):
            if table == "alembic_version":
                continue
            columns = [column["name"] for column in found.get_columns(table)]
            quoted = ", ".join(f'"{column}"' for column in columns)
            rows = connection.execute(text(f'SELECT {quoted} FROM "{table}"'))
            values = [dict(zip(columns, row, strict=True)) for row in rows]
            result[table] = {
                column: sorted(repr(_plain(v[column])) for v in values) for column in columns
            }
        return result

    return on_connection(url, work)


def _plain(value: Any) -> Any:
    """Values as both backends' drivers agree on them (SQLite keeps booleans and JSON as
    integers and text; the comparison is within one backend, so this only steadies repr)."""
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def load_release_dump(url: str) -> None:
    """Fill an empty database with release 0.1.0's dump (see data/make_release_dumps.py)."""
    if is_sqlite(url):
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path)
        connection.executescript((DATA / "release-0.1.0.sqlite.sql").read_text())
        connection.close()
        return
    binaries = Postgres.binaries()
    assert binaries is not None
    subprocess.run(
        [
            str(binaries / "psql"),
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            plain_postgres_url(url),
            "-f",
            str(DATA / "release-0.1.0.postgres.sql"),
        ],
        check=True,
        capture_output=True,
    )


def schema_dump(url: str) -> list[str]:
    """The schema as the database states it, without Alembic's own table: SQLite's stored
    CREATE statements, or PostgreSQL's `pg_dump --schema-only` blocks."""
    if is_sqlite(url):
        connection = sqlite3.connect(sqlite_path(url))
        rows = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE tbl_name != 'alembic_version' ORDER BY type, name"
        ).fetchall()
        connection.close()
        return [repr(row) for row in rows]
    binaries = Postgres.binaries()
    assert binaries is not None
    dump = subprocess.run(
        [
            str(binaries / "pg_dump"),
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            "-d",
            plain_postgres_url(url),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # Blocks start at "-- Name: ..." headers; psql's \restrict lines change with every dump.
    blocks = dump.split("\n--\n-- Name: ")
    kept = [
        "\n".join(line for line in block.splitlines() if not line.startswith("\\"))
        for block in blocks[1:]
        if "alembic_version" not in block.split("\n", 1)[0]
    ]
    return sorted(kept)


def with_database(database_url: str, tmp_path: Path, work: Callable[[Database], Awaitable[T]]) -> T:
    """`work` on the app's `Database` at `database_url`, initialised (the sandbox brand: id
    1), in one event loop: an asyncpg connection belongs to the loop that made it."""
    settings = Settings(data_dir=tmp_path, database_url=database_url)

    async def run() -> T:
        database = settings.open_database()
        try:
            await initialise(settings, database)
            return await work(database)
        finally:
            await database.dispose()

    return asyncio.run(run())


def generic_plan(session: Session, sql: str, values: str) -> str:
    """PostgreSQL's generic plan of `sql` (`$n` parameters, `values` the EXECUTE's
    arguments as SQL): the plan a backend keeps for a prepared statement, made without
    the values, so a partial index is used only where the statement's own words prove its
    condition."""
    connection = session.connection()
    connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    connection.exec_driver_sql(f"PREPARE probe AS {sql}")
    rows = connection.exec_driver_sql(f"EXPLAIN EXECUTE probe ({values})")
    plan = "\n".join(str(row[0]) for row in rows)
    connection.exec_driver_sql("DEALLOCATE probe")
    connection.exec_driver_sql("RESET plan_cache_mode")
    return plan
