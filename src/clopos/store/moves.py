"""Rows moved by the commit's own statement, with the rows that follow from them
(PostgreSQL).

Every close moves the same few rows (the stock levels of what the venue sells, its cash and
card balances), and PostgreSQL holds each moved row's lock to the commit: the closes queue
on them one by one, and each round trip the holder makes before its commit waits its turn
on the worker's event loop (docs/performance.md, issue 20).

A unit whose last writes are such moves (past `inserted_together(to_commit=True)`) may hold
them (`store.uow.hold_move`) instead: its commit then runs one statement that makes every
move, adds the rows that follow from them (a stock operation, a finance transaction: their
before and after worked out by the statement from the moved row's new value and rests the
caller worked out, core/chains.py; an order's change-log row only if it moved), adds the
rows the unit holds and its change log, and fails whole where a move's count is off
(`clopos_refused`, migration 0016). The unit runs it outside any transaction block, so
that PostgreSQL commits it as it ends (store/uow.py, `_commit_by_statement`): the rows are
held for the database's own time alone. The statements of concurrent units run one after
another in one transaction of the process's commit batches (store/commit_batches.py), so
that they never wait for each other's locks.

Each move is an `UPDATE ... RETURNING` of its own (locking its rows in their order), run
as a data-modifying WITH, or for the rows every close shares a database function's
(`ByFunction`: its own snapshot, so that a wait for another close's lock never makes the
whole statement re-check itself); the statement reads the moves' counts in the order they were
held, so their rows are locked in that order, the order every writer of them keeps. The
rows it adds are given as one JSON parameter a table (`json_to_recordset`): one SQL text
for any count of rows, and some ten parameters where a close had 159, whose conversion and
encoding cost this process more than the JSON (docs/performance.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from sqlalchemy import (
    JSON,
    Connection,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    bindparam,
    cast,
    column,
    func,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine

from clopos.store.direct import Direct

# A column of the added rows worked out from the moved row and the given one.
Computed = Callable[[Any, Any], ColumnElement[Any]]


# The error `clopos_refused` raises (migration 0016), naming the move refused.
REFUSED = "CL001"
_REFUSED = re.compile(r"clopos refused move (\d+)")


def rounded(value: Any, places: int) -> ColumnElement[Any]:
    """`value` rounded to `places` decimals in SQL, as a float (through numeric, which
    PostgreSQL rounds half away from zero), for a computed column."""
    return cast(func.round(cast(value, Numeric), places), Float)


@dataclass(frozen=True, eq=False)  # one per module, compared by identity (a cache's key)
class Follows:
    """How the rows a move adds follow from the rows it moved: into `table`, each given
    row joined to its moved row (`on`: the moved row's column and the given row's);
    `computed`: the table's columns the statement works out; `extra`: given columns that
    are not the table's (the rests), with their types. A module constant: statements are
    compiled once per `Follows`."""

    table: Table
    on: tuple[str, str]
    computed: Mapping[str, Computed]
    extra: Mapping[str, TypeEngine[Any]]


class ByFunction(Direct):
    """A move of rows every close shares (stock levels, balances), made by its database
    function (migration 0019): the function's statement takes its own snapshot, so a
    move that waited for another close's lock re-checks its own small plan alone, where
    an `UPDATE` in the commit's statement re-checked by building all of that statement
    again (docs/performance.md). `given`: the function's parameters, by name and type, in
    its order; `answers`: the columns of `table` it answers, as the table types them."""

    def __init__(
        self,
        function: str,
        table: Table,
        given: Sequence[tuple[str, TypeEngine[Any]]],
        answers: Sequence[str],
    ) -> None:
        made = getattr(func, function)(*(bindparam(name, type_=kind) for name, kind in given))
        moved = made.table_valued(*(column(name, table.columns[name].type) for name in answers))
        super().__init__(select(*moved.c))
        self.table = table


def moved_table(update: Direct) -> Table:
    """The table a move's statement moves rows of: its function's, or its `UPDATE`'s."""
    if isinstance(update, ByFunction):
        return update.table
    return update.statement.table  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True)
class Move:
    """An `UPDATE ... RETURNING` or a `ByFunction` (`update`, its parameters `values`,
    named apart from every other move's that a statement may hold) that must move
    `expected` rows (None: any number), and the rows that follow from them (`follows`,
    None for none; `rows`: each with the table's columns but the computed ones, and the
    extra ones). `refused`: what a move that did not move `expected` rows raises (the
    unit is undone); a RuntimeError if None, for a move that cannot miss but by a fault."""

    update: Direct
    values: Mapping[str, Any]
    follows: Follows | None = None
    rows: Sequence[Mapping[str, Any]] = ()
    expected: int | None = None
    refused: Callable[[], Exception] | None = None


class Batches(Protocol):
    """Where a statement that commits by itself may run with others' (store/commit_batches.py):
    True once committed, False where it must run on its own."""

    def commit(self, sql: str, parameters: Sequence[Any]) -> bool: ...


def write(
    connection: Connection,
    moves: Sequence[Move],
    parts: Sequence[tuple[Table, Sequence[Mapping[str, Any]]]],
    batches: Batches | None = None,
) -> None:
    """Run `moves` and insert `parts` (each a table's rows of one set of columns) in one
    statement, with other units' in `batches` when given (the statement then commits by
    itself: the unit runs outside a transaction); raise if a move did not move the rows it
    expected (the unit is undone)."""
    shape = (
        tuple(
            (
                move.update,
                move.follows,
                frozenset(move.rows[0]) if move.follows else None,
                move.expected is not None,
            )
            for move in moves
        ),
        tuple((table, frozenset(rows[0])) for table, rows in parts),
    )
    dialect = connection.dialect
    values: dict[str, Any] = {}
    for index, (move, (_, follows, keys, _)) in enumerate(zip(moves, shape[0], strict=True)):
        for name, value in move.values.items():
            if values.setdefault(name, value) != value:
                raise ValueError(f"moves held together disagree on parameter {name!r}")
        if follows is not None:
            converters = _converters(dialect, _types(follows.table, keys, follows))
            values[f"g{index}"] = _json_rows(converters, move.rows)
        if move.expected is not None:
            values[f"e{index}"] = move.expected
    for part, ((table, rows), (_, keys)) in enumerate(zip(parts, shape[1], strict=True)):
        values[f"t{part}"] = _json_rows(_converters(dialect, _types(table, keys)), rows)
    statement = _statement(shape)
    if batches is not None and batches.commit(*statement.prepared(dialect, values)):
        return
    try:
        statement.rows(connection, values)
    except DBAPIError as error:
        found = _REFUSED.search(str(error.orig))
        if getattr(error.orig, "sqlstate", None) != REFUSED or found is None:
            raise
        move = moves[int(found.group(1))]
        if move.refused is not None:
            raise move.refused() from None
        name = moved_table(move.update).name
        raise RuntimeError(f"a move of {name} did not move {move.expected} rows") from None


def _json_rows(
    converters: Mapping[str, Callable[[Any], Any]], rows: Sequence[Mapping[str, Any]]
) -> str:
    """`rows` as one JSON array of objects, each value as its column's type gives it to the
    driver (`converters`, by column: a time stamp without its zone, in UTC); a JSON
    column's value as it is. A value the rows share (their moment) is converted once."""
    if converters:
        made: dict[tuple[int, int], tuple[Any, Any]] = {}
        converted = []
        for row in rows:
            row = dict(row)
            for name, convert in converters.items():
                value = row.get(name)
                if value is None:
                    continue
                key = (id(convert), id(value))
                known = made.get(key)
                if known is None or known[0] is not value:
                    known = made[key] = (value, convert(value))  # holds `value`: its id stays
                row[name] = known[1]
            converted.append(row)
        rows = converted
    return orjson.dumps(rows).decode()


# A table's given columns with their types, in name order (`_types`).
Types = tuple[tuple[str, TypeEngine[Any]], ...]


@functools.lru_cache(maxsize=64)  # the columns of a few tables, their types the tables'
def _converters(dialect: Dialect, types: Types) -> dict[str, Callable[[Any], Any]]:
    found = {
        name: kind.bind_processor(dialect) for name, kind in types if not isinstance(kind, JSON)
    }
    return {name: convert for name, convert in found.items() if convert is not None}


@functools.lru_cache(maxsize=64)  # the same few tables' columns
def _types(table: Table, keys: frozenset[str], follows: Follows | None = None) -> Types:
    """The given columns `keys` with their types, in name order: the table's, or those of
    `follows.extra` for the columns that are not the table's (a `Follows`' rests)."""
    extra = follows.extra if follows is not None else {}
    return tuple(
        (name, extra[name] if name in extra else table.columns[name].type) for name in sorted(keys)
    )


def _recordset(parameter: str, types: Types, name: str) -> Any:
    """Rows given as one JSON parameter (`_json_rows`), as a table `name` of the columns
    `types`: one parameter for any number of rows, where a parameter a value cost this
    process (and the driver) more than the statement's other work (docs/performance.md)."""
    given = cast(bindparam(parameter, type_=String), JSON)
    columns = [column(key, kind) for key, kind in types]
    return (
        func.json_to_recordset(given).table_valued(*columns).render_derived(name, with_types=True)
    )


@functools.lru_cache(maxsize=256)  # shapes vary with the moves and the rows' columns
def _statement(shape: Any) -> Direct:
    moves, parts = shape
    withs = []
    counts = []
    for index, (update, follows, keys, checked) in enumerate(moves):
        moved = update.statement.cte(f"moved_{index}")
        withs.append(moved)
        if follows is not None:
            withs.append(_added(index, moved, follows, keys).cte(f"added_{index}"))
        # Every move's count is read, in the order held: that runs each move then, a
        # `ByFunction`'s too (a WITH that only selects runs only as far as it is read).
        count: Any = select(func.count()).select_from(moved).scalar_subquery()
        if checked:
            # Fails the statement, with every move and row in it, where the count is off:
            # no move after it is made (and locks its rows) in vain.
            expected = bindparam(f"e{index}", type_=Integer)
            count = func.clopos_refused(count == expected, f"clopos refused move {index}")
        counts.append(count)
    for part, (table, keys) in enumerate(parts):
        types = _types(table, keys)
        rows = _recordset(f"t{part}", types, f"rows_{part}")
        columns = [table.columns[key] for key, _ in types]
        given = [rows.c[key] for key, _ in types]
        inserted = table.insert().from_select(columns, select(*given))
        withs.append(inserted.cte(f"together_{part}"))
    return Direct(select(*counts).add_cte(*withs))


def _added(index: int, moved: Any, follows: Follows, keys: frozenset[str]) -> Any:
    """The INSERT of a move's rows: the given ones (`g<index>`, `_recordset`) joined to the
    moved rows, the computed columns worked out."""
    table = follows.table
    given = _recordset(f"g{index}", _types(follows.table, keys, follows), f"given_{index}")
    wanted = follows.computed.keys() | (keys - follows.extra.keys())
    columns = [target for target in table.columns if target.key in wanted]
    made = [
        follows.computed[target.key](moved, given)
        if target.key in follows.computed
        else given.c[target.key]
        for target in columns
    ]
    moved_on, given_on = follows.on
    joined = given.join(moved, moved.c[moved_on] == given.c[given_on])
    return table.insert().from_select(columns, select(*made).select_from(joined))
