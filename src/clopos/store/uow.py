"""The unit of work: one transaction, and a change-log row for every change it makes.

A unit notices its own changes, so no service has to remember to announce one:

- rows the ORM flushes (inserted, updated, deleted objects), with their brand and id;
- bulk `insert`/`update`/`delete` statements run through the session, with the brand when
  the statement names `brand_id = ...` (else for every brand);
- the tables its `SELECT`s read (the response cache tags an answer with them).

Hot write paths may insert through `insert_rows` instead of the ORM (one statement compiled
once and run on the driver, an executemany for many rows: a small part of an ORM flush's
cost): it logs each row it inserts. Statements run on the unit's connection past the
session belong in `savepoint(session)` where a failure must be undone alone.

On commit it writes one `change_log` row per changed record in the same transaction: the
transactional-outbox pattern. Caches, revocation and notifications follow that one log
(`clopos.store.changes`) and miss nothing: on SQLite (one writer at a time) the log's `seq`
increases in commit order; on PostgreSQL, where writers commit side by side, each row
carries its transaction's id, and the follower reads by those.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    JSON,
    BindParameter,
    Connection,
    Engine,
    Table,
    Text,
    bindparam,
    cast,
    event,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql.elements import BinaryExpression, ColumnElement
from sqlalchemy.sql.sqltypes import NullType

from clopos.store import moves as moving
from clopos.store.base import json_text, utcnow
from clopos.store.direct import Direct, reading, writing
from clopos.store.models import ChangeLog
from clopos.store.moves import Move, moved_table
from clopos.store.row_inserts import rows_insert, rows_values

if TYPE_CHECKING:
    from clopos.store.renders import RenderCache

# Bookkeeping tables whose writes change nothing anyone caches or follows. The webhook
# tables are the sender's own: logging its writes would wake it for nothing.
QUIET = frozenset(
    {
        "audit_events",
        "idempotency_keys",
        "id_sequences",
        "change_log",
        "alembic_version",
        "webhook_subscriptions",
        "webhook_events",
        "webhook_deliveries",
        "webhook_states",
        "webhook_sender",
    }
)


class IdSource(Protocol):
    """Where a unit takes ids when not in its own transaction (store/sequences.py)."""

    def take(self, brand_id: int, name: str, count: int) -> int | None: ...

    def take_many(self, brand_id: int, wanted: Mapping[str, int]) -> dict[str, int] | None: ...

    def reserve(self, brand_id: int, name: str, wanted: int) -> bool: ...


@dataclass(frozen=True, slots=True)
class Change:
    """One changed record; `brand_id` None means any brand, `record_id` None any record."""

    resource: str
    brand_id: int | None
    record_id: str | None
    kind: str  # insert | update | delete


@dataclass
class UnitOfWork:
    """What one transaction read and changed."""

    session: Session
    # False for a unit run by `Database.read`, which must not change anything: on
    # PostgreSQL it runs without a transaction (db.py), so its writes could not be undone.
    writes: bool = True
    reads: set[str] = field(default_factory=set)
    changes: dict[tuple[str, int | None, str | None], str] = field(default_factory=dict)
    # Rendered rows the cache may serve (None: no cache), and the ones this unit made, which
    # the database stores once the unit is over (see renders.py).
    renders: RenderCache | None = None
    made: list[tuple[str, int, str, frozenset[str], dict[int, Mapping[str, Any]]]] = field(
        default_factory=list
    )
    # The session's connection, which it keeps for the whole unit: statements find the unit
    # in its `info`, and Core statements run on it directly.
    connection: Connection | None = None
    # PostgreSQL's writes take ids in transactions of their own (None: in this one).
    ids: IdSource | None = None
    # PostgreSQL: where a commit's own statement runs with other units' (None: alone).
    batches: moving.Batches | None = None
    # The rows `insert_rows` holds while `inserted_together` is open, and past it to the
    # commit after a block `to_commit`.
    together: list[tuple[Table, list[dict[str, Any]]]] | None = None
    held_to_commit: bool = False
    # Shared rows' moves held to the commit (store/moves.py), in the order they were held,
    # and the changes noted for what the commit's statement makes (held rows and moves).
    moves: list[Move] = field(default_factory=list)
    held_keys: set[tuple[str, int | None, str | None]] = field(default_factory=set)
    _connection_info: dict[Any, Any] | None = None
    # PostgreSQL: the driver's connection while this unit reads outside a transaction, as
    # it does until its first write (`writing`); None once in its transaction.
    _outside: Any = None

    @classmethod
    def begin(
        cls,
        session: Session,
        *,
        renders: RenderCache | None = None,
        writes: bool = True,
        ids: IdSource | None = None,
        batches: moving.Batches | None = None,
        outside: bool = False,
    ) -> UnitOfWork:
        """`outside`: the unit reads outside a transaction until its first write
        (PostgreSQL's writes: `writing`)."""
        unit = cls(session, writes, renders=renders, ids=ids, batches=batches)
        unit._attached(session.connection())
        if outside:
            assert unit.connection is not None
            unit._outside = unit.connection.connection.dbapi_connection
            unit._outside.autocommit = True  # the driver begins no transaction
        return unit

    @classmethod
    def joining(
        cls, session: Session, connection: Connection, *, renders: RenderCache | None = None
    ) -> UnitOfWork:
        """A unit that reads, in a transaction its runner holds on `connection`: `session`,
        bound to that connection, joins the transaction only if the unit uses the ORM."""
        return cls(session, False, renders=renders)._attached(connection)

    def _attached(self, connection: Connection) -> UnitOfWork:
        """This unit on `connection`: statements find it in the connection's and the
        session's `info`."""
        self.session.info["uow"] = self
        self.connection = connection
        info = connection.info
        info["uow"] = self
        self._connection_info = info  # the connection is closed (returned) by the commit
        return self

    def writing(self) -> None:
        """A statement that changes or locks rows comes next: the unit's transaction begins
        with it (the driver sends BEGIN before it). Before it, the unit's reads ran each on
        its own, which under PostgreSQL's READ COMMITTED sees what a transaction's first
        statements would (each statement there takes its own snapshot), and a unit that
        writes only by its commit's statement (a close, `_commit_by_statement`) sends no
        BEGIN and no COMMIT at all."""
        if self._outside is not None:
            self._outside.autocommit = False
            self._outside = None

    def record(
        self,
        resource: str,
        brand_id: int | None,
        record_id: Any | None,
        kind: str,
        *,
        held: bool = False,
    ) -> None:
        """Note a change; the first kind noted for a record wins (an insert stays one).
        `held`: made by the commit's statement (a held move or row), and logged there."""
        if resource in QUIET:
            return
        key = (resource, brand_id, None if record_id is None else str(record_id))
        if key not in self.changes:
            self.changes[key] = kind
            if held:
                self.held_keys.add(key)

    def rendered(
        self,
        resource: str,
        brand_id: int,
        renders: dict[int, Mapping[str, Any]],
        shape: str = "",
        also: frozenset[str] = frozenset(),
    ) -> None:
        """Offer renders made in this unit to the cache (`shape`, `also`: see RenderCache)."""
        if self.renders is not None and renders:
            self.made.append((resource, brand_id, shape, also, renders))

    def commit(self) -> None:
        """Flush, log every change in the same transaction (with the rows held to the
        commit: `inserted_together`), commit. A unit holding moves (PostgreSQL) commits
        what it did before them first, then its moves, held rows and their log by one
        statement outside any transaction (`_commit_by_statement`)."""
        session = self.session
        if not self.writes:
            self.refuse_writes()
        session.flush()
        held = self.together if self.held_to_commit and self.together is not None else []
        moves, self.moves = self.moves, []
        self.together, self.held_to_commit = None, False
        now = utcnow()
        log = {
            key: {
                "resource": key[0],
                "brand_id": key[1],
                "record_id": key[2],
                "kind": kind,
                "at": now,
            }
            for key, kind in self.changes.items()
        }
        # On the connection, past the ORM and SQLAlchemy's execution (store/direct.py).
        if moves:
            self._commit_by_statement(moves, held, log)
            return
        self.writing()  # what is left to write is written in the transaction
        if log:
            held = [*held, (_CHANGE_LOG, list(log.values()))]
        if held:
            _write_together(connection_of(session), held)
        session.commit()

    def _commit_by_statement(
        self,
        moves: list[Move],
        held: list[tuple[Table, list[dict[str, Any]]]],
        log: dict[tuple[str, int | None, str | None], dict[str, Any]],
    ) -> None:
        """What the unit did before its moves (its reads, what may have been missing),
        logged and committed; then the moves, the held rows and their log in one
        statement, which PostgreSQL commits as it ends, outside any transaction block, with
        those other units hand meanwhile (store/commit_batches.py).

        Every close moves the same stock rows and balances, and holds their locks to its
        commit: committed by the statement itself, a close holds them for the database's
        own time alone, where a COMMIT after it waited for the worker's turn first
        (docs/performance.md, issue 20). The statement checks its moves' counts itself
        (store/moves.py): after it would be too late to undo. A unit that fails between
        the two commits has made only what was missing (a storage, a balance, a level at
        zero), and nothing of its moves."""
        session = self.session
        before = [row for key, row in log.items() if key not in self.held_keys]
        if before:
            _write_together(connection_of(session), [(_CHANGE_LOG, before)])
        after = [row for key, row in log.items() if key in self.held_keys]
        if after:
            held = [*held, (_CHANGE_LOG, after)]
        parts = [(table, same) for table, rows in held for same in _shapes(rows)]
        outside, self._outside = self._outside, None
        if outside is not None:
            # Nothing was written before: the unit's connection has no transaction to
            # commit, and runs the statement on its own as it is.
            try:
                moving.write(connection_of(session), moves, parts, self.batches)
            finally:
                outside.autocommit = False
            session.commit()  # sends nothing: no transaction was begun
            return
        session.commit()
        statement = session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        moving.write(statement, moves, parts, self.batches)
        session.commit()

    def refuse_writes(self) -> None:
        """Raise if this unit, which reads, changed anything (before anything is flushed)."""
        session = self.session
        if session.new or session.dirty or session.deleted or self.changes:
            raise RuntimeError("a unit of work that reads tried to write: run it as a write")

    def close(self) -> None:
        self.writing()  # the connection goes back to the pool as it came: in transactions
        self.session.info.pop("uow", None)
        if self._connection_info is not None:
            self._connection_info.pop("uow", None)

    def logged(self) -> list[Change]:
        return [Change(r, b, i, k) for (r, b, i), k in self.changes.items()]


class UowSession(Session):
    """The session class of every unit of work (its events are registered below)."""


def current_unit(session: Session) -> UnitOfWork | None:
    """The unit of work `session` belongs to."""
    uow = session.info.get("uow")
    return uow if isinstance(uow, UnitOfWork) else None


def connection_of(session: Session) -> Connection:
    """The connection `session` runs its unit of work on, for Core statements."""
    uow = current_unit(session)
    if uow is not None and uow.connection is not None:
        return uow.connection
    return session.connection()


def commit_without_waiting_for_disk(session: Session) -> None:
    """This unit's commit need not wait for its write-ahead log to reach the disk
    (PostgreSQL's `synchronous_commit` off for this transaction; SQLite: no effect).

    For units whose loss in a database crash only repeats work, such as the webhook
    sender's (events are made again, with the same ids, from the change log whose rows were
    committed durably; a lost answer means the delivery goes out again). A crash may lose
    such a commit, never part of one nor one before a durable commit that came after it
    (the log is written in order). Their flushes no longer queue with the requests' durable
    commits."""
    connection = connection_of(session)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO off")


@contextlib.contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A savepoint around statements run on the unit's connection (`insert_rows`, Direct
    statements): a failure inside is undone alone and the unit goes on.

    The session opens a nested transaction's SAVEPOINT only when it next uses its
    connection itself; statements that run past it would otherwise run outside any
    savepoint, and on PostgreSQL a failed one aborts the whole transaction."""
    with session.begin_nested():
        session.connection()  # emits the SAVEPOINT now
        yield


_CHANGE_LOG: Table = ChangeLog.__table__  # type: ignore[assignment]


# Rows one INSERT carries at most (an SQLite statement takes 32,766 parameters).
_ROWS_A_STATEMENT = 64


@dataclass(frozen=True)
class _Arrays:
    """PostgreSQL: an INSERT of any number of rows of some columns, each column's values one
    array parameter unnested. One SQL text for every count of rows:
    compiled once, prepared once by the driver and planned once by the database, where a
    statement of `count` rows is all three again for each new count (the webhook sender's
    batches vary round by round). A JSON column's values go as text, cast back by the
    statement (the driver would take a list value for a dimension of the array)."""

    statement: Direct
    json: tuple[tuple[str, bool], ...]  # (column, whether None is SQL NULL)

    @classmethod
    def of(cls, table: Table, keys: frozenset[str]) -> _Arrays | None:
        """None for a column of no known type (no array of it)."""
        names = sorted(keys)
        columns = [table.columns[name] for name in names]
        if any(isinstance(column.type, NullType) for column in columns):
            return None
        json = tuple(
            (column.key, bool(column.type.none_as_null))
            for column in columns
            if isinstance(column.type, JSON)
        )
        texts = {name for name, _ in json}
        arrays = [
            bindparam(name, type_=ARRAY(Text() if name in texts else column.type))
            for name, column in zip(names, columns, strict=True)
        ]
        given = func.unnest(*arrays).table_valued(*names).render_derived("given")
        values = [
            cast(given.c[name], column.type) if name in texts else given.c[name]
            for name, column in zip(names, columns, strict=True)
        ]
        insert = table.insert().from_select(columns, select(*values))
        return cls(Direct(insert, keyed=False), json)

    def run(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert `rows` (of the statement's keys)."""
        values = {key: [row[key] for row in rows] for key in rows[0]}
        for name, none_as_null in self.json:
            values[name] = [
                None if value is None and none_as_null else json_text(value)
                for value in values[name]
            ]
        self.statement.rows(connection, values)


@dataclass(frozen=True)
class _Inserting:
    """A table's `INSERT`, compiled once (store/direct.py), and how a row it inserts is
    completed."""

    statement: Direct
    nulls: dict[str, Any]
    scalars: dict[str, Any]
    callables: tuple[tuple[str, Callable[[Any], Any]], ...]
    table: Table
    _several: dict[tuple[frozenset[str], int], Direct] = field(default_factory=dict)
    _unnested: dict[frozenset[str], _Arrays | None] = field(default_factory=dict)

    def insert(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert `rows` (of the same keys) with one statement of several rows: on
        PostgreSQL one of arrays, whatever their count (`_Arrays`); elsewhere of
        `_ROWS_A_STATEMENT` rows at most: the driver runs it as one step where an
        executemany steps once a row, and SQLite's driver hands the GIL over at each step
        (each time the event loop's thread may keep it, the writer waits:
        docs/performance.md)."""
        if len(rows) == 1:
            self.statement.many(connection, rows)
            return
        keys = frozenset(rows[0])
        if connection.dialect.name == "postgresql":
            arrays = self._arrays(keys)
            if arrays is not None:
                arrays.run(connection, rows)
                return
        for start in range(0, len(rows), _ROWS_A_STATEMENT):
            chunk = rows[start : start + _ROWS_A_STATEMENT]
            self._of(keys, len(chunk)).rows(connection, rows_values(chunk))

    def _arrays(self, keys: frozenset[str]) -> _Arrays | None:
        if keys not in self._unnested:
            self._unnested[keys] = _Arrays.of(self.table, keys)
        return self._unnested[keys]

    def _of(self, keys: frozenset[str], count: int) -> Direct:
        found = self._several.get((keys, count))
        if found is None:
            found = self._several[(keys, count)] = Direct(
                rows_insert(self.table, keys, count), keyed=False
            )
        return found

    @classmethod
    def of(cls, table: Table) -> _Inserting:
        scalars: dict[str, Any] = {}
        callables: list[tuple[str, Callable[[Any], Any]]] = []
        for column in table.columns:
            default: Any = column.default
            if default is not None and default.is_scalar:
                scalars[column.key] = default.arg
            elif default is not None and default.is_callable:
                callables.append((column.key, default.arg))
        # Left out, as the ORM leaves them to the database: a generated key, server defaults.
        nulls = dict.fromkeys(
            column.key
            for column in table.columns
            if column.server_default is None and column is not table.autoincrement_column
        )
        return cls(Direct(table.insert()), nulls, scalars, tuple(callables), table)

    def complete(self, row: Mapping[str, Any]) -> dict[str, Any]:
        full = {**self.nulls, **self.scalars}
        for key, make in self.callables:
            if key not in row:
                full[key] = make(None)  # SQLAlchemy's wrapper of a default taking no context
        full.update(row)
        return full


_inserting: dict[Table, _Inserting] = {}


def _inserting_of(table: Table) -> _Inserting:
    found = _inserting.get(table)
    if found is None:
        found = _inserting[table] = _Inserting.of(table)
    return found


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    by_record: bool = True,
) -> list[dict[str, Any]]:
    """Insert `rows` with one Core statement (an executemany for several) and log each as
    inserted; answers them complete, every column a row leaves out filled as the ORM would
    (its Python-side default, else NULL; a generated key or a server default is left to the
    database, and to the answer).

    For hot write paths that never need the rows as ORM objects: a statement compiled once
    and run on the driver costs a small part of an ORM flush (docs/performance.md). The
    session does not know these rows: read them through it again if they must change in
    the same unit.

    `by_record=False` logs them as one change of the table for their brand (any record of
    it), for rows no follower reads one by one: the caches follow a table and a brand, and
    webhooks follow only the tables they name (core/webhooks/events.py). Every row logged
    costs its insert, and a read in every process following the log.

    Inside `inserted_together`, the rows are held and written at the block's end."""
    inserting = _inserting_of(table)
    complete = [inserting.complete(row) for row in rows]
    if not complete:
        return complete
    uow = current_unit(session)
    if uow is not None and uow.together is not None:
        uow.together.append((table, complete))
    else:
        connection = connection_of(session)
        for same in _shapes(complete):
            inserting.insert(connection, same)
    if uow is not None:
        for row in complete:
            brand_id = row["id"] if table.name == "brands" else row.get("brand_id")
            record_id = row.get("id") if by_record else None
            uow.record(table.name, brand_id, record_id, "insert", held=uow.held_to_commit)
    return complete


def _shapes(rows: Sequence[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    """`rows` by their set of columns, one statement each (nearly always one)."""
    shapes: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        shapes.setdefault(frozenset(row), []).append(row)
    return shapes.values()


@contextlib.contextmanager
def inserted_together(session: Session, *, to_commit: bool = False) -> Iterator[None]:
    """Rows `insert_rows` is given in this block are held, and written at its end: on
    PostgreSQL in one statement, each table's INSERT but the last a data-modifying WITH of
    it. A statement costs both this process and the database CPU, a round trip each
    (docs/performance.md); SQLite has no such statement, and there each table's rows are
    written as `insert_rows` writes them.

    For rows nothing in the block reads, changes or refers to: they are not there until
    it ends. Rows it holds are logged as they are given, as every insert is.

    `to_commit`: the block ends the unit's work, and its rows (with any `insert_rows`
    gives after it) are held to the commit, which writes them in the statement of the
    unit's change log: one round trip fewer, made while a close holds the rows every
    close shares (core/receipts/payments.py). For a unit's last writes only: nothing after
    the block may read them, nor a row of theirs be looked for."""
    uow = current_unit(session)
    if uow is None or uow.together is not None:  # none to hold them in, or already held
        yield
        return
    uow.together, uow.held_to_commit = [], to_commit
    try:
        yield
    except BaseException:
        uow.together, uow.held_to_commit = None, False
        raise
    if to_commit:
        return
    held, uow.together = uow.together, None
    _write_together(connection_of(session), held)


def can_hold_moves(session: Session) -> bool:
    """Whether `hold_move` may hold a move to the commit: on PostgreSQL, within or past the
    unit's `inserted_together(to_commit=True)`."""
    uow = current_unit(session)
    return (
        uow is not None
        and uow.held_to_commit
        and connection_of(session).dialect.name == "postgresql"
    )


def hold_move(session: Session, move: Move, *, records: Sequence[Any] | None = None) -> None:
    """Hold `move` to the commit, which runs it with the rows it adds (store/moves.py;
    `can_hold_moves` must be true). Its moved rows are logged as `update_rows` logs them:
    `records`, the ids it moves (an empty list: none, for a move whose added rows are
    its change log's), else its table for the brand (`by_record=False`); the rows it adds
    as `insert_rows` logs them by table, completed as it completes them."""
    uow = current_unit(session)
    if uow is None or not can_hold_moves(session):
        raise RuntimeError("a move is held only past inserted_together(to_commit=True)")
    brand_id = move.values["brand_id"]
    table = moved_table(move.update).name
    for record_id in [None] if records is None else records:
        uow.record(table, brand_id, record_id, "update", held=True)
    follows = move.follows
    if follows is None:
        uow.moves.append(move)
        return
    inserting = _inserting_of(follows.table)
    computed = follows.computed.keys()
    rows = []
    for row in move.rows:
        full = inserting.complete(row)
        for name in computed:
            full.pop(name, None)
        rows.append(full)
    uow.moves.append(dataclasses.replace(move, rows=rows))
    uow.record(follows.table.name, brand_id, None, "insert", held=True)


def _write_together(connection: Connection, held: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    parts = [(table, same) for table, rows in held for same in _shapes(rows)]
    if (
        connection.dialect.name != "postgresql"
        or len(parts) < 2
        or any(len(rows) > _ROWS_A_STATEMENT for _, rows in parts)
    ):
        for table, rows in parts:
            _inserting_of(table).insert(connection, rows)
        return
    shape = tuple((table, frozenset(rows[0]), len(rows)) for table, rows in parts)
    values: dict[str, Any] = {}
    for part, (_, rows) in enumerate(parts):
        values.update(rows_values(rows, f"t{part}_"))
    _together_statement(shape).rows(connection, values)


_together: dict[tuple[tuple[Table, frozenset[str], int], ...], Direct] = {}


def _together_statement(shape: tuple[tuple[Table, frozenset[str], int], ...]) -> Direct:
    """One INSERT of the last table's rows, the others' INSERTs in its WITH; compiled once
    per tables, columns and row counts (`t<part>_<column>__<row>` its parameters). Of
    rows, not arrays (`_Arrays`): a close's or an order's counts repeat, and the arrays'
    conversion of each value cost an accepted order about a tenth more CPU."""
    found = _together.get(shape)
    if found is None:
        inserts = [
            rows_insert(table, keys, count, f"t{part}_")
            for part, (table, keys, count) in enumerate(shape)
        ]
        withs = [insert.cte(f"together_{part}") for part, insert in enumerate(inserts[:-1])]
        if len(_together) > 512:  # shapes vary with the rows' counts: keep the usual ones
            _together.clear()
        found = _together[shape] = Direct(inserts[-1].add_cte(*withs), keyed=False)
    return found


def update_rows(
    session: Session, statement: Direct, values: Mapping[str, Any], *, by_record: bool = True
) -> list[Any]:
    """Run `statement`, a Direct `UPDATE ... RETURNING` whose returned columns begin with
    the row's `id` and whose `brand_id` parameter names the brand, on the unit's
    connection, and log each row it changed as updated (`by_record=False`: as one change
    of the table for the brand, as `insert_rows` says); answers those rows.

    For hot write paths beside `insert_rows`: a row changed past the ORM is logged as the
    ORM logs the rows it flushes (a bulk `update()` through the session logs its whole
    table for the brand)."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # as the ORM does before a statement run through the session
    rows = statement.rows(connection_of(session), values)
    uow = current_unit(session)
    if uow is not None and rows:
        table = statement.statement.table.name  # type: ignore[attr-defined]
        for row in rows:
            uow.record(table, values["brand_id"], row[0] if by_record else None, "update")
    return rows


def _brand_of(instance: Any) -> int | None:
    table = instance.__table__.name
    value = instance.id if table == "brands" else getattr(instance, "brand_id", None)
    return value if isinstance(value, int) else None


@event.listens_for(UowSession, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    uow = current_unit(session)
    if uow is None:
        return
    groups: Iterable[tuple[str, Iterable[Any]]] = (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    )
    for kind, instances in groups:
        for instance in instances:
            if kind == "update" and not session.is_modified(instance):
                continue
            uow.record(
                instance.__table__.name, _brand_of(instance), getattr(instance, "id", None), kind
            )


@event.listens_for(UowSession, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    uow = current_unit(state.session)
    if uow is None:
        return
    statement: Any = state.statement
    kind = "insert" if state.is_insert else "update" if state.is_update else "delete"
    brand_id = None if state.is_insert else _brand_in(statement)
    uow.record(statement.table.name, brand_id, None, kind)


def _brand_in(statement: Any) -> int | None:
    """The brand a bulk statement is limited to (`WHERE brand_id = <value>`), if it says."""
    for criterion in getattr(statement, "_where_criteria", ()):
        for clause in _conjuncts(criterion):
            if (
                isinstance(clause, BinaryExpression)
                and getattr(clause.left, "key", None) == "brand_id"
                and isinstance(clause.right, BindParameter)
                and clause.operator.__name__ == "eq"
                and isinstance(clause.right.value, int)
            ):
                return clause.right.value
    return None


def _conjuncts(clause: ColumnElement[Any]) -> Iterable[ColumnElement[Any]]:
    if getattr(clause, "operator", None) is not None and clause.operator.__name__ == "and_":
        for inner in clause.clauses:
            yield from _conjuncts(inner)
    else:
        yield clause


def watch_engine(engine: Engine) -> None:
    """Let units of work see the tables their statements read."""

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(
        connection: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        head = statement[:6].upper()
        if head == "SELECT" or head.startswith("WITH"):
            reading(connection, statement)
        # Any statement run through SQLAlchemy (the ORM's flushes, a text statement that
        # takes a lock) runs in the unit's transaction: only the Direct statements a unit
        # reads with are known to be plain reads.
        writing(connection)
