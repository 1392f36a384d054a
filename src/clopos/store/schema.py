"""The schema: Alembic migrations (store/migrations) and what start-up does with each database.

Every state a database can be found in, and what `clopos serve` (and the admin CLI) do:

- empty: migrated to head, on every backend;
- made by release 0.1.0 (its tables, no `alembic_version`): stamped with the baseline 0001,
  then treated as "behind" or "current";
- behind head: the embedded SQLite database is upgraded at once; PostgreSQL refuses to start
  and names `clopos db upgrade` (see docs/operations.md for why);
- current: nothing to do;
- ahead (a revision this code does not know, written by a newer version): refused;
- some of the release's tables but not all, and no `alembic_version`: refused.

Inspecting and migrating run in one transaction that holds a lock, on a connection made for
the purpose: `BEGIN IMMEDIATE` on SQLite (with foreign keys off, as SQLite asks for table
rebuilds, and checked before the commit), `pg_advisory_xact_lock` on PostgreSQL (the
start-up lock of store/locks.py, which seeding takes too). Two
processes starting together thus migrate once, the second seeing the first one's result,
and a failed migration leaves the database as it was (both backends have transactional DDL).
"""

from __future__ import annotations

import asyncio
import enum
import functools
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    MetaData,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from clopos.core import tables  # noqa: F401  (registers every table)
from clopos.store.base import Base, UTCDateTime
from clopos.store.errors import SchemaError
from clopos.store.locks import hold_start_up_lock

if TYPE_CHECKING:
    from clopos.store.db import Database

log = logging.getLogger("clopos.schema")

T = TypeVar("T")

# Read at each call, so tests can point it at a copy with extra revisions.
MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"


class State(enum.StrEnum):
    EMPTY = "empty"
    RELEASE = "release"  # the tables of release 0.1.0, never stamped
    PARTIAL = "partial"
    BEHIND = "behind"
    CURRENT = "current"
    AHEAD = "ahead"


@dataclass(frozen=True)
class Status:
    """Where a database's schema stands relative to this code's migrations."""

    state: State
    revisions: tuple[str, ...]  # as recorded in alembic_version; () when unversioned
    head: str

    def describe(self) -> str:
        found = ", ".join(self.revisions)
        match self.state:
            case State.EMPTY:
                return f"empty database (head is {self.head})"
            case State.RELEASE:
                return (
                    f"schema of release 0.1.0 without a revision: it is revision {BASELINE} "
                    f"(head is {self.head})"
                )
            case State.PARTIAL:
                return "some of the clopos tables exist but not all, and no revision is recorded"
            case State.BEHIND:
                return f"revision {found}, behind head {self.head}"
            case State.CURRENT:
                return f"revision {found} (head)"
            case State.AHEAD:
                return (
                    f"revision {found}, unknown to this version of clopos (head {self.head}): "
                    "the database was migrated by a newer version"
                )


# --- Alembic, configured in code ------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration without an ini file; `connection` is what env.py migrates."""
    config = Config()
    config.set_main_option("path_separator", "os")
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    # Percent signs are doubled: the options go through ConfigParser interpolation.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.set_main_option("truncate_slug_length", "40")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def target_metadata() -> MetaData:
    """The models' tables: what the migrations must produce."""
    return Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Autogenerate writes the models' column types as plain SQLAlchemy types."""
    if type_ != "type":
        return False
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    if isinstance(obj, BigInteger) and "sqlite" in getattr(obj, "_variant_mapping", {}):
        return "INT64"  # defined by script.py.mako
    return False


def configure_context(context: Any, connection: Connection) -> None:
    """env.py's `context.configure`, kept here with the rest of the configuration."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        # SQLite alters tables by rebuilding them: autogenerate writes batch operations.
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )


def schema_differences(connection: Connection) -> list[Any]:
    """What separates the database's schema from the models' (Alembic's autogenerate diff)."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "target_metadata": target_metadata()}
    )
    return list(compare_metadata(context, target_metadata()))


def describe_difference(difference: Any) -> str:
    """One line for an autogenerate difference: its operation and the names it concerns."""
    if isinstance(difference, list):  # column modifications come grouped
        return "; ".join(describe_difference(d) for d in difference)
    operation, *items = difference
    names: list[str] = []
    for item in items:
        name = getattr(item, "name", None)
        table = getattr(getattr(item, "table", None), "name", None)
        if name is not None:
            names.append(f"{table}.{name}" if table else str(name))
        elif isinstance(item, str):
            names.append(item)
    return f"{operation} {' '.join(names)}".strip()


# --- inspecting ------------------------------------------------------------------------------


def _head(script: ScriptDirectory) -> str:
    heads = script.get_heads()
    if len(heads) != 1:
        raise SchemaError(
            f"the migrations have {len(heads)} heads ({', '.join(heads)}): merge them"
        )
    return heads[0]


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        script.get_revision(revision)
    except CommandError:
        return False
    return True


def release_tables(script: ScriptDirectory) -> frozenset[str]:
    """The tables release 0.1.0 created, as the baseline revision lists them."""
    return frozenset(script.get_revision(BASELINE).module.TABLES)


def _status(connection: Connection) -> Status:
    script = script_directory()
    head = _head(script)
    revisions = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    if revisions:
        if not all(_known(script, revision) for revision in revisions):
            state = State.AHEAD
        elif revisions == (head,):
            state = State.CURRENT
        else:
            state = State.BEHIND
        return Status(state, revisions, head)
    expected = release_tables(script)
    present = expected & set(inspect(connection).get_table_names())
    if not present:
        state = State.EMPTY
    elif present == expected:
        state = State.RELEASE
    else:
        state = State.PARTIAL
    return Status(state, (), head)


# --- changing ---------------------------------------------------------------------------------


def _refuse_unusable(status: Status) -> None:
    if status.state is State.AHEAD:
        raise SchemaError(
            f"the database schema is at {status.describe()}. Run that newer version of clopos, "
            "or restore the backup taken before it upgraded the database."
        )
    if status.state is State.PARTIAL:
        raise SchemaError(
            f"the database is neither empty nor a clopos database: {status.describe()}. "
            "Point clopos at an empty database or at an existing clopos database."
        )


def _upgrade(connection: Connection, target: str = "head") -> tuple[Status, Status]:
    """Stamp a release database, then upgrade to `target`; answers the status before/after."""
    before = _status(connection)
    _refuse_unusable(before)
    if before.state is State.RELEASE:
        command.stamp(alembic_config(connection), BASELINE)
    command.upgrade(alembic_config(connection), target)
    return before, _status(connection)


def _start_up(connection: Connection, automatic: bool) -> tuple[Status, Status]:
    before = _status(connection)
    _refuse_unusable(before)
    if before.state is State.CURRENT:
        return before, before
    if before.state is State.RELEASE:
        command.stamp(alembic_config(connection), BASELINE)
        stamped = _status(connection)
        if stamped.state is State.CURRENT:
            return before, stamped
    if before.state is not State.EMPTY and not automatic:
        raise SchemaError(
            f"the database schema is at {before.describe()}. This version of clopos needs "
            f"revision {before.head}: back the database up, run `clopos db upgrade`, "
            "then start again."
        )
    command.upgrade(alembic_config(connection), "head")
    return before, _status(connection)


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _is_memory(url: URL) -> bool:
    return _is_sqlite(url) and url.database in (None, "", ":memory:")


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise SchemaError(f"the migration would break foreign keys: {broken[:5]}")


def _sqlite_engine(url: URL) -> Engine:
    """One connection of SQLite's synchronous driver, set up for migrating."""
    engine = create_engine(url.set(drivername="sqlite"), poolclass=NullPool)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling would commit around DDL: take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        # SQLite's procedure for altering tables: foreign keys off, checked before commit.
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.close()

    def on_begin(connection: Connection) -> None:
        # The write lock from the start: a second process waits, then sees the result.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


def _run_sqlite(url: URL, work: Callable[[Connection], T]) -> T:
    engine = _sqlite_engine(url)
    try:
        with engine.begin() as connection:
            result = work(connection)
            _check_foreign_keys(connection)
            return result
    finally:
        engine.dispose()


async def _run_postgres(url: URL, work: Callable[[Connection], T]) -> T:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(hold_start_up_lock)
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


async def _run(
    url: str | URL, work: Callable[[Connection], T], own_engine: Engine | None = None
) -> T:
    """Run `work` in one transaction that holds the migration lock; commit if it returns.

    SQLite runs on the synchronous driver in a thread, PostgreSQL on asyncpg; each on an
    engine of one connection made for the purpose. A private in-memory SQLite database
    exists only on its own engine (`own_engine`): it is migrated there, with nobody to lock out.
    """
    url = make_url(url)
    try:
        return await _run_locked(url, work, own_engine)
    except CommandError as error:  # an unknown target revision and the like
        raise SchemaError(str(error)) from error


async def _run_locked(url: URL, work: Callable[[Connection], T], own_engine: Engine | None) -> T:
    if _is_memory(url):
        if own_engine is None:
            raise SchemaError("an in-memory SQLite database can only be migrated by its engine")
        with own_engine.begin() as connection:
            return work(connection)
    if _is_sqlite(url):
        return await asyncio.to_thread(_run_sqlite, url, work)
    return await _run_postgres(url, work)


# --- the API the server and the CLI use -------------------------------------------------------


async def status(url: str | URL) -> Status:
    """Where the database at `url` stands (it takes the migration lock briefly)."""
    return await _run(url, _status)


async def upgrade(url: str | URL, target: str = "head") -> tuple[Status, Status]:
    """`clopos db upgrade`: stamp a release database, then upgrade it; on every backend."""
    return await _run(url, lambda connection: _upgrade(connection, target))


async def differences(url: str | URL) -> list[Any]:
    """The differences between the database's schema and the models' (empty when in step)."""
    return await _run(url, schema_differences)


@functools.cache
def head_revision() -> str:
    """The newest revision this code's migrations know."""
    return _head(script_directory())


def recorded_revisions(session: Session) -> tuple[str, ...]:
    """The revisions the database records (a read unit: the readiness probe's, without the
    migration lock that `status` takes)."""
    rows = session.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return tuple(sorted(rows))


def upgrades_automatically(url: str | URL) -> bool:
    """Whether start-up upgrades a database that is behind: only the embedded SQLite one."""
    return _is_sqlite(make_url(url))


def new_revision(message: str, *, autogenerate: bool = True) -> Path:
    """Write the next revision (0002, 0003, ...) into the migrations; answers its file.

    The models are compared with a scratch SQLite database migrated to head. The file is
    Alembic's rendering; `clopos db revision` formats it.
    """
    numbers = [int(s.revision) for s in script_directory().walk_revisions() if s.revision.isdigit()]
    rev_id = f"{max(numbers, default=0) + 1:04d}"

    def write(connection: Connection) -> Path:
        command.upgrade(alembic_config(connection), "head")
        made = command.revision(
            alembic_config(connection), message, autogenerate=autogenerate, rev_id=rev_id
        )
        scripts = made if isinstance(made, list) else [made]
        assert scripts and scripts[0] is not None
        return Path(scripts[0].path)

    with tempfile.TemporaryDirectory() as scratch:
        path = _run_sqlite(make_url(f"sqlite:///{scratch}/head.db"), write)
    return path


async def create_schema(db: Database) -> None:
    """Start-up: bring the schema to head where that is safe, else raise SchemaError.

    An empty database is migrated to head, a release 0.1.0 database is stamped as the
    baseline, and a database behind head is upgraded on SQLite and refused on PostgreSQL
    (`clopos db upgrade` does it there). A database ahead of this code is refused.
    """
    automatic = upgrades_automatically(db.url)
    own_engine = getattr(db, "sync_engine", None) if _is_memory(db.url) else None
    before, after = await _run(db.url, lambda c: _start_up(c, automatic), own_engine)
    if before.state not in (State.EMPTY, State.CURRENT) and before.revisions != after.revisions:
        log.warning(
            "database schema: was %s; now at revision %s",
            before.describe(),
            ", ".join(after.revisions),
        )
