"""Core statements compiled once and run straight on the driver's cursor.

SQLAlchemy's execution of a Core statement (its execution context, the compiled cache's
key, parameter processing, the result's metadata) costs several times what SQLite takes
to run a small indexed statement: on order creation, the busiest write, that set-up was a
quarter of the request's CPU (docs/performance.md). A `Direct` statement is compiled once
per dialect into its SQL text, its parameters' order and its types' converters; running it
is a cursor's `execute` with the converted parameters, and rows come back as named tuples
with the converters applied to their values: what SQLAlchemy would have answered.

What SQLAlchemy's execution did besides, a `Direct` statement does too: a read sees what
the unit's session holds unflushed (the ORM's autoflush), the unit of work learns the
tables a read names (the response cache tags answers with them), and a driver error is
raised as SQLAlchemy's own exception class (`IntegrityError`, `OperationalError` ...),
with a lost connection invalidated. It runs in the transaction of the connection it
is given, as any statement on it.

For statements built once: an `IN` list must hold its values (they are rendered into the
SQL once) or be a fixed list of parameters; an `INSERT` is compiled for the keys of the
rows it is given.
"""

from __future__ import annotations

import collections
import keyword
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CompoundSelect, Connection, Insert, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement

Converter = Callable[[Any], Any] | None

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
_tables_of: dict[str, frozenset[str]] = {}


def _tables_read(statement: str) -> frozenset[str]:
    """The tables a SELECT names, memoised: compiled statements repeat verbatim."""
    found = _tables_of.get(statement)
    if found is None:
        if len(_tables_of) > 4096:
            _tables_of.clear()
        found = frozenset(_TABLE.findall(statement))
        _tables_of[statement] = found
    return found


def _flush_pending(connection: Connection) -> None:
    """A read sees what the unit's session holds unflushed, as the ORM's own queries do
    (its autoflush)."""
    uow = connection.info.get("uow")
    session = uow.session if uow is not None else None
    if session is not None and (session.new or session.dirty or session.deleted):
        session.flush()


# What makes a statement more than a read: it changes rows, or locks them (FOR UPDATE,
# FOR SHARE ...). SQLAlchemy writes keywords in capitals and names in lower case.
_CHANGES_OR_LOCKS = re.compile(r"\b(?:INSERT|UPDATE|DELETE|SHARE)\b")


def writing(connection: Connection) -> None:
    """A statement that changes or locks rows is about to run on `connection`: the unit of
    work there must be in its transaction (store/uow.py, `UnitOfWork.writing`)."""
    uow = connection.info.get("uow")
    if uow is not None:
        uow.writing()


def reading(connection: Connection, statement: str) -> None:
    """Note the tables a SELECT run on `connection` names, for the unit of work there."""
    uow = connection.info.get("uow")
    if uow is not None:
        uow.reads |= _tables_read(statement)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters in the order the SQL takes them
    defaults: dict[str, Any]  # values the statement carries itself (literals)
    binds: tuple[Converter, ...]  # by position
    converts: bool  # any of them converts
    columns: tuple[Any, ...]  # the result's columns (SELECT, RETURNING), else empty
    reads: bool  # a SELECT: the unit of work notes the tables it names
    writes: bool  # it changes or locks rows (a SELECT may, in its WITHs or FOR UPDATE)


class Results:
    """How one compiled statement's rows are made, learnt from its first result (a
    driver's column types may choose a converter)."""

    def __init__(self, dialect: Dialect, columns: Sequence[Any], description: Any) -> None:
        names = [field_name(column) for column in columns]
        self.row: Any = collections.namedtuple("Row", names, rename=True)  # type: ignore[misc]
        converters = [
            column.type.dialect_impl(dialect).result_processor(
                dialect, description[index][1] if description else None
            )
            for index, column in enumerate(columns)
        ]
        self.converters: tuple[Converter, ...] | None = (
            tuple(converters) if any(converters) else None
        )

    def make(self, raw: Sequence[Sequence[Any]]) -> list[Any]:
        make = self.row._make
        converters = self.converters
        if converters is None:
            return [make(values) for values in raw]
        return [
            make(
                [
                    value if convert is None else convert(value)
                    for convert, value in zip(converters, values, strict=True)
                ]
            )
            for values in raw
        ]


def _kind(dialect: Dialect) -> tuple[str, str]:
    """What a compiled form depends on: the database and its driver (the placeholders)."""
    return dialect.name, dialect.driver


def field_name(column: Any) -> str:
    """A column's name as a named tuple's field."""
    name = str(getattr(column, "key", None) or getattr(column, "name", "") or "column")
    return name if name.isidentifier() and not keyword.iskeyword(name) else f"c_{name}"


class Direct:
    """One statement, built once (a module constant), runnable on any connection."""

    def __init__(self, statement: ClauseElement, *, keyed: bool | None = None) -> None:
        """`keyed`: compiled for the keys of the values it is given (the default for an
        `INSERT`, whose columns are those keys); False for one that names its own."""
        self.statement = statement
        self._keyed = isinstance(statement, Insert) if keyed is None else keyed
        self._compiled: dict[tuple[tuple[str, str], frozenset[str] | None], _Compiled] = {}
        self._results: dict[tuple[tuple[str, str], frozenset[str] | None], Results] = {}

    # --- compiling ----------------------------------------------------------------------

    def _compile(self, dialect: Dialect, keys: frozenset[str] | None) -> _Compiled:
        found = self._compiled.get((_kind(dialect), keys))
        if found is not None:
            return found
        compiled: Any = self.statement.compile(
            dialect=dialect, column_keys=sorted(keys) if keys is not None else None
        )
        # The SQL as it is run: the statement's own `IN` lists of values rendered out (one
        # parameter each), as SQLAlchemy does at each execution. Parameters given at run
        # time have no value yet: placeholders.
        given = {bind.key: None for bind in compiled.binds.values() if bind.required}
        if any(bind.expanding and bind.required for bind in compiled.binds.values()):
            raise ValueError("an expanding parameter's SQL differs per call: give its values")
        expanded = compiled.construct_expanded_state(given)
        processors = {**compiled._bind_processors, **expanded.processors}  # SQLAlchemy's own
        unescaped = {escaped: name for name, escaped in compiled.escaped_bind_names.items()}
        positions = tuple(expanded.positiontup or ())
        found = _Compiled(
            sql=expanded.statement,
            names=tuple(unescaped.get(name, name) for name in positions),
            defaults={
                unescaped.get(name, name): value
                for name, value in expanded.parameters.items()
                if unescaped.get(name, name) not in given
            },
            binds=tuple(processors.get(name) for name in positions),
            converts=any(processors.get(name) is not None for name in positions),
            # A SELECT's columns, a DML statement's RETURNING columns (none without it).
            columns=tuple(getattr(self.statement, "exported_columns", ())),
            reads=isinstance(self.statement, Select | CompoundSelect),
            writes=not isinstance(self.statement, Select | CompoundSelect)
            or _CHANGES_OR_LOCKS.search(expanded.statement) is not None,
        )
        self._compiled[(_kind(dialect), keys)] = found
        return found

    def _parameters(
        self,
        compiled: _Compiled,
        values: Mapping[str, Any],
        made: dict[tuple[int, int], tuple[Any, Any]] | None = None,
    ) -> list[Any]:
        """The statement's parameters in order, converted for the driver. A value given
        several times as the very same object (rows written together share their moment)
        is converted once: converting a date-time costs more than the driver's insert of a
        row. `made`: conversions to share with other calls (the rows of an executemany)."""
        defaults = compiled.defaults
        if not compiled.converts:
            return [values[name] if name in values else defaults[name] for name in compiled.names]
        made = {} if made is None else made
        parameters = []
        for name, convert in zip(compiled.names, compiled.binds, strict=True):
            value = values[name] if name in values else defaults[name]
            if convert is not None and value is not None:
                key = (id(convert), id(value))
                found = made.get(key)
                if found is not None and found[0] is value:
                    value = found[1]
                else:
                    converted = convert(value)
                    made[key] = (value, converted)  # holds `value`: its id stays its own
                    value = converted
            elif convert is not None:
                value = convert(value)
            parameters.append(value)
        return parameters

    # --- running --------------------------------------------------------------------------

    def rows(self, connection: Connection, values: Mapping[str, Any] | None = None) -> list[Any]:
        """Run with `values` (the statement's named parameters); answers its rows (none for
        a statement that returns none)."""
        raw, results = self.raw(connection, values)
        return results.make(raw) if results is not None else []

    def prepared(self, dialect: Dialect, values: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """The SQL as the driver runs it and its parameters for `values`: for a caller that
        hands the statement to a connection of its own (store/commit_batches.py)."""
        _, compiled, parameters = self._bound(dialect, values)
        return compiled.sql, parameters

    def _bound(
        self, dialect: Dialect, values: Mapping[str, Any] | None
    ) -> tuple[frozenset[str] | None, _Compiled, list[Any]]:
        """The statement compiled for `values`' keys (None: not keyed), and its parameters."""
        keys = frozenset(values) if self._keyed and values else None
        compiled = self._compile(dialect, keys)
        return keys, compiled, self._parameters(compiled, values or {})

    def raw(
        self, connection: Connection, values: Mapping[str, Any] | None = None
    ) -> tuple[Sequence[Any], Results | None]:
        """`rows` as the driver answers them, unconverted, and how `rows` would make them
        (None for a statement that returns none): for a caller that converts only part of
        each row (store/together.py)."""
        dialect = connection.dialect
        keys, compiled, parameters = self._bound(dialect, values)
        if compiled.reads:
            _flush_pending(connection)
            reading(connection, compiled.sql)
        if compiled.writes:
            writing(connection)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(compiled.sql, parameters)
            if not compiled.columns:
                return [], None
            raw = cursor.fetchall()
            results = self._results.get((_kind(dialect), keys))
            if results is None:
                results = Results(dialect, compiled.columns, cursor.description)
                self._results[(_kind(dialect), keys)] = results
            return raw, results
        except dialect.loaded_dbapi.Error as error:
            raise _translated(connection, compiled.sql, parameters, error, cursor) from error
        finally:
            cursor.close()

    def first(self, connection: Connection, values: Mapping[str, Any] | None = None) -> Any:
        rows = self.rows(connection, values)
        return rows[0] if rows else None

    def scalar(self, connection: Connection, values: Mapping[str, Any] | None = None) -> Any:
        rows = self.rows(connection, values)
        return rows[0][0] if rows else None

    def many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once per parameter set in `rows` (an executemany; for an `INSERT`, rows with
        the same keys)."""
        if not rows:
            return
        keys = frozenset(rows[0]) if self._keyed else None
        dialect = connection.dialect
        compiled = self._compile(dialect, keys)
        made: dict[tuple[int, int], tuple[Any, Any]] = {}
        parameters = [self._parameters(compiled, row, made) for row in rows]
        writing(connection)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            if len(parameters) == 1:
                cursor.execute(compiled.sql, parameters[0])
            else:
                cursor.executemany(compiled.sql, parameters)
        except dialect.loaded_dbapi.Error as error:
            raise _translated(connection, compiled.sql, parameters, error, cursor) from error
        finally:
            cursor.close()


def _translated(
    connection: Connection, sql: str, parameters: Any, error: Exception, cursor: Any
) -> Exception:
    """The driver's error as SQLAlchemy raises it; a lost connection is invalidated, as
    SQLAlchemy's execution does, so the pool does not hand it out again."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)  # type: ignore[arg-type]
    if lost:
        connection.invalidate(error)
    return DBAPIError.instance(
        sql,
        parameters,
        error,
        dialect.loaded_dbapi.Error,
        hide_parameters=True,  # rows may carry what logs must not
        connection_invalidated=lost,
        dialect=dialect,
    )
