"""The database and the unit of work every service runs in.

Services are plain synchronous functions taking a `Session` first. `Database.read(fn, ...)`
and `Database.write(fn, ...)` run one of them as one unit of work: one transaction, committed
on success (with its change-log rows, see `uow.py`) and rolled back on any error.

- **SQLite** uses the synchronous driver; aiosqlite made a thread hand-off per statement.
  Writes run whole on a single writer thread (one hand-off a unit: a commit waits for an
  `fsync`, which must not hold up the event loop), committed in groups (group_commit.py),
  in transactions that start with `BEGIN IMMEDIATE` (SQLite has one writer at a time
  anyway; in-process writers then never meet its busy back-off, and a read-then-write unit
  can never fail to upgrade its lock). Reads start with a plain
  `BEGIN`, so the count and the page of a list come from one snapshot, and run right on the
  event loop: a WAL reader never waits for a writer, and skipping the hand-off measured 1.5
  times the uncached reads per second (docs/performance.md). Such a read never waits at all:
  its connection has no busy timeout, and in the rare case SQLite answers "busy" (a
  checkpoint resetting the log) the unit runs again on a reader thread, which may wait.
- **PostgreSQL** uses asyncpg through SQLAlchemy's async engine, and the same synchronous
  service code runs through `AsyncSession.run_sync`, SQLAlchemy's own bridge (greenlets: no
  thread at all). Writes run in a transaction, which begins with their first statement that
  changes or locks rows (store/uow.py, `UnitOfWork.writing`), and take ids in short
  transactions of their own (store/sequences.py); reads run each statement on its own
  (autocommit: no BEGIN and COMMIT round trips), which under READ COMMITTED loses nothing.

On both, a read unit that tries to write is refused before anything is flushed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import NoSuchModuleError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from clopos.store.base import json_text
from clopos.store.errors import DriverMissing
from clopos.store.group_commit import GroupCommitter
from clopos.store.sequences import IdTaker
from clopos.store.sqlite_pragmas import pragmas
from clopos.store.uow import UnitOfWork, UowSession, watch_engine
from clopos.store.wal_index import WalIndex

if TYPE_CHECKING:
    from clopos.store.commit_batches import CommitBatches
    from clopos.store.renders import RenderCache

P = ParamSpec("P")
T = TypeVar("T")

# The tables read by the units of work of the current request, when someone is collecting
# them (the response cache tags its entries with them).
READS: ContextVar[set[str] | None] = ContextVar("clopos_reads", default=None)


def _busy(error: OperationalError) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY), as the driver reports it."""
    return isinstance(error.orig, sqlite3.OperationalError) and "locked" in str(error.orig)


def _sqlite_url(url: URL) -> URL:
    """The synchronous driver's URL for any SQLite URL (`sqlite+aiosqlite:///` included)."""
    return url.set(drivername="sqlite")


def _keep_private(path: str | None) -> None:
    """The SQLite database and its -wal/-shm/-journal files: mode 0600, this user's only.

    The file is made here with that mode before SQLite opens it (SQLite gives the files it
    creates next to a database the database's own mode); files an older version left
    readable by others are narrowed.
    """
    if path is None:
        return
    base = Path(path)
    if not base.exists():
        base.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(base, os.O_WRONLY | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            file = base.with_name(base.name + suffix)
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)


@dataclass(frozen=True, slots=True)
class _InlineReads:
    """The connection reads on the event loop keep checked out, and a session bound to it."""

    connection: Connection
    session: UowSession


# The package extra that brings each driver a URL may name.
_EXTRAS = {"asyncpg": "postgres"}


def _async_engine(url: URL, **options: Any) -> AsyncEngine:
    """SQLAlchemy's async engine, or DriverMissing naming what to install (one line, no
    traceback: the URL names a driver this installation lacks)."""
    try:
        return create_async_engine(url, **options)
    except NoSuchModuleError:
        raise DriverMissing(
            f"the database URL's driver '{url.drivername}' is not one SQLAlchemy knows; "
            "for PostgreSQL use postgresql+asyncpg://"
        ) from None
    except ModuleNotFoundError as error:
        package = error.name or url.get_driver_name()
        extra = _EXTRAS.get(package)
        hint = (
            f"install clopos with its '{extra}' extra: pip install 'clopos[{extra}]'"
            if extra
            else f"install the '{package}' package"
        )
        raise DriverMissing(
            f"the database URL needs the Python package '{package}', which is not installed: {hint}"
        ) from None


class Database:
    """The process's engines, and the one way to run a unit of work on them."""

    def __init__(
        self,
        url: str,
        *,
        synchronous: str = "full",
        reader_threads: int = 2,
        pool_size: int = 10,
    ) -> None:
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.is_postgres = self.url.get_backend_name() == "postgresql"
        self._async_engine: AsyncEngine | None = None
        self._autocommit_engine: AsyncEngine | None = None
        self._ids: IdTaker | None = None  # PostgreSQL: ids in transactions of their own
        # PostgreSQL: commits' own statements run together (store/commit_batches.py).
        self._batches: CommitBatches | None = None
        # Set by a running server: rendered rows its units may reuse (see renders.py), and
        # what is told each unit's time (whether it wrote, seconds; for the metrics).
        self.renders: RenderCache | None = None
        self.on_unit: Callable[[bool, float], None] | None = None
        self._readers: ThreadPoolExecutor | None = None
        self._wal: WalIndex | None = None
        if self.is_sqlite:
            _keep_private(self.sqlite_path)
            statements = pragmas(synchronous)
            self._write_engine = self._sqlite_engine(statements, "BEGIN IMMEDIATE", 1)
            self._writer = GroupCommitter(self._write_engine)
            self._read_engine = self._sqlite_engine(statements, "BEGIN", reader_threads)
            never_wait = [*statements, "PRAGMA busy_timeout=0"]
            self._inline_engine = self._sqlite_engine(never_wait, "BEGIN", 1)
            # Reads on the event loop keep one connection checked out, and the thread of the
            # first such read owns it: the pool's check-out and return cost half an empty
            # unit. Reads from any other thread go the reader threads' way.
            self._inline_thread: int | None = None
            self._inline_reads: _InlineReads | None = None
            self._read_sessions = sessionmaker(
                self._read_engine, class_=UowSession, expire_on_commit=False
            )
        else:
            self._async_engine = _async_engine(
                self.url,
                json_serializer=json_text,
                json_deserializer=orjson.loads,
                # A fixed pool: past it, a unit waits for a connection. Connections beyond
                # the pool ("overflow") are closed when returned while the pool is full,
                # so under load each one was a new PostgreSQL backend per request: the
                # uncached orders page served 740 requests a second with 64 clients, 2,170
                # without overflow (docs/performance.md).
                pool_size=pool_size,
                max_overflow=0,
                # No ping at each check-out (a round trip per unit of work): a connection a
                # restarted server broke fails one unit, and the pool then drops them all.
                pool_recycle=3600,
            )
            watch_engine(self._async_engine.sync_engine)
            # Reads without BEGIN and COMMIT (two of a page's three round trips). Under
            # PostgreSQL's READ COMMITTED each statement has its own snapshot either way,
            # so a transaction gave a read nothing; a read unit's statements that must
            # agree are one statement (a page carries its count).
            self._autocommit_engine = self._async_engine.execution_options(
                isolation_level="AUTOCOMMIT"
            )
            self._ids = IdTaker(url)
            from clopos.store.commit_batches import CommitBatches  # asyncpg: PostgreSQL's

            self._batches = CommitBatches(self.driver_dsn)

    def _sqlite_engine(self, statements: list[str], begin: str, size: int) -> Engine:
        engine = create_engine(
            _sqlite_url(self.url),
            json_serializer=json_text,
            json_deserializer=orjson.loads,
            pool_size=size,
            max_overflow=0,
            connect_args={"check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _tune(dbapi_connection: Any, _record: Any) -> None:
            # We issue BEGIN ourselves (below): the driver's own transaction handling would
            # start writes late (deferred) and leave reads outside any snapshot.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            for statement in statements:
                cursor.execute(statement)
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            # Straight to the driver: through SQLAlchemy's execution it was a third of an
            # empty unit of work (the driver's commit() ends it, as SQLAlchemy then calls).
            connection.connection.driver_connection.execute(begin)

        # SQLAlchemy compiles every SAVEPOINT afresh (their names never repeat, so its
        # statement cache never hits): a tenth of the writer's time, and group commit puts
        # each unit in one. Their text is fixed, so the driver gets it as it is.
        dialect: Any = engine.dialect
        dialect.do_savepoint = lambda connection, name: connection.exec_driver_sql(
            f"SAVEPOINT {name}"
        )
        dialect.do_release_savepoint = lambda connection, name: connection.exec_driver_sql(
            f"RELEASE SAVEPOINT {name}"
        )
        dialect.do_rollback_to_savepoint = lambda connection, name: connection.exec_driver_sql(
            f"ROLLBACK TO SAVEPOINT {name}"
        )

        watch_engine(engine)
        return engine

    @property
    def driver_dsn(self) -> str:
        """PostgreSQL: the URL as asyncpg's own `connect` takes it, for the connections kept
        apart from the pool (the change feed's, the commit batches'). It holds the password:
        never logged."""
        return self.url.set(drivername="postgresql").render_as_string(hide_password=False)

    @property
    def commit_batches(self) -> CommitBatches | None:
        """PostgreSQL: where commits' own statements run together (None on SQLite)."""
        return self._batches

    # --- running units of work ---------------------------------------------------------

    async def read(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `fn(session, ...)` as a unit of work that reads."""
        return await self._run(False, lambda session: fn(session, *args, **kwargs))

    async def read_aside(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`read`, but never on the event loop's thread (SQLite: on a reader thread): for
        background work whose reads may take milliseconds, which must not hold up the
        requests the loop serves meanwhile (the webhook sender's)."""
        if not self.is_sqlite:
            return await self.read(fn, *args, **kwargs)
        loop = asyncio.get_running_loop()
        result, _unit = await loop.run_in_executor(
            self._reader_pool(),
            self._unit_in_thread,
            self._read_sessions,
            lambda session: fn(session, *args, **kwargs),
        )
        return result

    async def write(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `fn(session, ...)` as a unit of work that writes (its changes are logged)."""
        return await self._run(True, lambda session: fn(session, *args, **kwargs))

    async def _run(self, write: bool, work: Callable[[Session], T]) -> T:
        started = time.perf_counter()
        renders = self.renders
        seq = renders.position() if renders is not None else 0
        if self.is_sqlite:
            result, uow = await self._run_sqlite(write, work)
        elif write:
            assert self._async_engine is not None
            async with AsyncSession(
                self._async_engine, sync_session_class=UowSession, expire_on_commit=False
            ) as session:
                result, uow = await session.run_sync(self._unit, work, True)
        else:
            assert self._autocommit_engine is not None
            async with self._autocommit_engine.connect() as connection:
                result, uow = await connection.run_sync(self._read_joined, work)
        reads = READS.get()
        if reads is not None:
            reads |= uow.reads
        if renders is not None:
            for resource, brand_id, shape, also, made in uow.made:
                renders.store(resource, brand_id, made, seq, shape, also)
        if self.on_unit is not None:
            self.on_unit(write, time.perf_counter() - started)
        return result

    async def _run_sqlite(self, write: bool, work: Callable[[Session], T]) -> tuple[T, UnitOfWork]:
        if not write:
            inline = self._inline()
            try:
                if inline is not None:
                    return self._read_inline(inline, work)
            except OperationalError as error:
                if not _busy(error):
                    raise
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._reader_pool(), self._unit_in_thread, self._read_sessions, work
            )
        result: tuple[T, UnitOfWork] = await self._writer.run(
            lambda session: self._unit(session, work, True)
        )
        return result

    def _inline(self) -> _InlineReads | None:
        """The connection and session of reads on this event loop, None on another thread
        than the first."""
        if self._inline_thread is None:
            self._inline_thread = threading.get_ident()
            connection = self._inline_engine.connect()
            session = UowSession(bind=connection, expire_on_commit=False)
            self._inline_reads = _InlineReads(connection, session)
        if self._inline_thread != threading.get_ident():
            return None
        return self._inline_reads

    def _read_inline(
        self, inline: _InlineReads, work: Callable[[Session], T]
    ) -> tuple[T, UnitOfWork]:
        """A read unit on the event loop's connection, in a transaction begun and ended on
        the connection itself. Most reads run only Direct statements and never touch the
        session, whose own transaction (begun, committed, closed) was a quarter of an
        uncached read's CPU; one that uses the ORM joins the transaction, and the session
        is then cleared so that the next unit reads afresh."""
        connection, session = inline.connection, inline.session
        transaction = connection.begin()
        try:
            result = self._joined(session, connection, work)
        except BaseException:
            transaction.rollback()
            raise
        transaction.commit()
        return result

    def _read_joined(
        self, connection: Connection, work: Callable[[Session], T]
    ) -> tuple[T, UnitOfWork]:
        """A read unit on PostgreSQL: on a connection of the autocommit engine, each of its
        statements on its own (as a read unit's always were there), with a session bound to
        the connection for the units that use the ORM. The session's own transaction (begun,
        committed, closed, the connection checked out and in by it) cost an uncached page
        about two and a half times the page's own work in a profile (docs/performance.md);
        the runner now checks the connection out and in."""
        return self._joined(UowSession(bind=connection, expire_on_commit=False), connection, work)

    def _joined(
        self, session: Session, connection: Connection, work: Callable[[Session], T]
    ) -> tuple[T, UnitOfWork]:
        """A read unit on `connection`, whose runner holds the connection (and its
        transaction, if any): `session`, bound to it, takes part only if the unit uses the
        ORM, and is then closed, so that the next unit reads afresh."""
        uow = UnitOfWork.joining(session, connection, renders=self.renders)
        try:
            result = work(session)
            uow.refuse_writes()
        finally:
            uow.close()
            if session.in_transaction() or session.identity_map:
                session.close()  # leaves the connection's transaction to its runner
        return result, uow

    def _unit_in_thread(
        self, sessions: sessionmaker[UowSession], work: Callable[[Session], T]
    ) -> tuple[T, UnitOfWork]:
        with sessions() as session:
            return self._unit(session, work, False)

    def _unit(
        self, session: Session, work: Callable[[Session], T], writes: bool
    ) -> tuple[T, UnitOfWork]:
        postgres_write = writes and self._async_engine is not None
        uow = UnitOfWork.begin(
            session,
            renders=self.renders,
            writes=writes,
            ids=self._ids if writes else None,
            batches=self._batches if writes else None,
            outside=postgres_write,
        )
        try:
            result = work(session)
            uow.commit()
        except BaseException:
            uow.writing()  # back in transactions before the connection goes back
            session.rollback()
            raise
        finally:
            uow.close()
        return result, uow

    def _reader_pool(self) -> ThreadPoolExecutor:
        if self._readers is None:
            size = self._read_engine.pool.size()  # type: ignore[attr-defined]
            self._readers = ThreadPoolExecutor(size, thread_name_prefix="clopos-db-reader")
        return self._readers

    # --- for the schema, probes and tests ---------------------------------------------

    @property
    def async_engine(self) -> AsyncEngine | None:
        """The async engine (PostgreSQL), None on SQLite."""
        return self._async_engine

    @property
    def sync_engine(self) -> Engine:
        """A synchronous engine: SQLite's writer engine, or PostgreSQL's bridged one."""
        if self._async_engine is not None:
            return self._async_engine.sync_engine
        return self._write_engine

    @property
    def sqlite_path(self) -> str | None:
        """The database file when the backend is a file-backed SQLite, else None."""
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return self.url.database

    def sync_sqlite_connection(self) -> sqlite3.Connection | None:
        """A plain read connection for microsecond lookups on the request path (SQLite only)."""
        path = self.sqlite_path
        if path is None:
            return None
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA busy_timeout=10000")
        return connection

    def wal_index(self) -> WalIndex | None:
        """The database's WAL index mapped (SQLite, see store/wal_index.py), opened by the
        first call made while a connection of this `Database` has the database open; held
        until `dispose` has closed every connection."""
        path = self.sqlite_path
        if self._wal is None and path is not None:
            self._wal = WalIndex.open(path)
        return self._wal

    async def dispose(self) -> None:
        if self._readers is not None:
            self._readers.shutdown(wait=True)
            self._readers = None
        if self._async_engine is not None:
            await self._async_engine.dispose()
            if self._ids is not None:
                await self._ids.dispose()
            if self._batches is not None:
                await self._batches.dispose()
        else:
            self._writer.stop()
            if self._inline_reads is not None:
                self._inline_reads.session.close()
                self._inline_reads.connection.close()
                self._inline_reads = self._inline_thread = None
            for engine in (self._write_engine, self._read_engine, self._inline_engine):
                engine.dispose()
            if self._wal is not None:
                self._wal.release()  # after the connections: see store/wal_index.py
                self._wal = None
