"""Read models: a resource's answer derived from its wire model, the one list of its fields.

A wire model (`clopos.schemas`) names the fields an answer carries, in order. A `ReadModel`
says only where each comes from when it is not a column of the same name:

- a column of the resource's table with the field's name: the default, nothing to declare
  (a date-time column answers in the resource's date format, `plain` unless told);
- `sources`: an SQL expression selected under the field's name (a parent's name as a scalar
  subquery, whether a row has children as an `EXISTS`);
- `computed`: a function of the selected row (a full name, a slug, a margin);
- `relations`: fields a loader adds when asked (`with[]`), absent otherwise;
- `filled`: fields always in the answer whose values a loader supplies (a nested-set
  position, a group's items): rendered as null in their place, for the loader to set;
- `hidden`: the table's columns deliberately kept off the wire (`brand_id`, internals).

From that, the model derives the columns a read selects, the render of a row, and the names
`selects=` may keep; `tests/unit/test_read_models.py` fails when a table column, the wire
model and an answer disagree. Every field left underived is refused when the model is made,
at import.

The data path is chosen here, once, for every resource: rows by id come through one `Direct`
statement per size of id list (compiled once, run on the driver; docs/architecture.md), and
their renders are kept per change of the resource (store/renders.py). A rendered row is a
`Rendered`: an immutable dict the edge may keep its encoding with (server/responses.py
embeds a page's rows as the bytes made once per render).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NoReturn, cast

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, Table, bindparam, select
from sqlalchemy.orm import Session

from clopos.core.formats import plain
from clopos.store.direct import Direct
from clopos.store.uow import connection_of, current_unit

Row = Any  # a selected row: attributes named as the model's selected columns
Computed = Callable[[Row], Any]

# The largest id list one statement takes; more ids go in several. Sizes are powers of two
# up to it, each compiled once (`_IN_SIZES`).
_MAX_IN = 128


class Rendered(dict[str, Any]):
    """A row as the API answers it, shared by every request until its resource changes:
    never changed in place (copy it with `dict(row)` to add relations). `encoded` is for the
    edge: the wire bytes of this row, made once by whoever serialises it first."""

    __slots__ = ("encoded",)

    def __init__(self, fields: Mapping[str, Any]) -> None:
        super().__init__(fields)
        self.encoded: Any = None

    def _frozen(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise TypeError("a rendered row is shared: copy it with dict(row) to change it")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _frozen
    __ior__ = _frozen


def wire_fields(wire: type[BaseModel]) -> tuple[str, ...]:
    """The names a wire model's fields answer under (their aliases), in its order."""
    return tuple(field.alias or name for name, field in wire.model_fields.items())


class ReadModel:
    """How the rows of one table answer as `wire` (see the module's docstring)."""

    def __init__(
        self,
        table: Any,
        wire: type[BaseModel],
        *,
        sources: Mapping[str, ColumnElement[Any]] | None = None,
        computed: Mapping[str, Computed] | None = None,
        relations: Iterable[str] = (),
        filled: Iterable[str] = (),
        hidden: Iterable[str] = (),
        inputs: Iterable[str] = (),
        dates: Callable[[datetime | None], str | None] = plain,
    ) -> None:
        self.table: Table = getattr(table, "__table__", table)
        self.wire = wire
        self.resource = self.table.name
        # Renders of one table in two wire models are kept apart (store/renders.py).
        self.shape = f"{wire.__module__}.{wire.__qualname__}"
        self.relations = frozenset(relations)
        self.filled = frozenset(filled)
        self.hidden = frozenset(hidden)
        sources = dict(sources or {})
        computed = dict(computed or {})
        columns = self.table.c
        # The answer's own fields, in the wire model's order.
        self.fields = tuple(name for name in wire_fields(wire) if name not in self.relations)
        underived = [
            name
            for name in self.fields
            if name not in columns
            and name not in sources
            and name not in computed
            and name not in self.filled
        ]
        if underived:
            raise TypeError(
                f"{wire.__name__}: no column, source or computation for {', '.join(underived)}"
            )
        for name in self.hidden:
            if name in self.fields:
                raise TypeError(f"{wire.__name__}: {name} is a field and declared hidden")
        # What a read selects: the fields that are columns, the sources by name, and the
        # columns computations need besides (`inputs`); the id always, where the table has
        # one (a table keyed otherwise, such as the stop list's, is read by its own
        # statements: `rows` and `rendered` take ids).
        plain_columns = (
            name
            for name in self.fields
            if name in columns and name not in computed and name not in self.filled
        )
        chosen = [*(("id",) if "id" in columns else ()), *plain_columns, *inputs]
        selected: list[ColumnElement[Any]] = [columns[name] for name in dict.fromkeys(chosen)]
        selected += [expression.label(name) for name, expression in sources.items()]
        self.columns: tuple[ColumnElement[Any], ...] = tuple(selected)
        self._render = _render_function(self.fields, columns, sources, computed, self.filled, dates)

    def __repr__(self) -> str:
        return f"ReadModel({self.resource}: {self.wire.__name__})"

    def statement(self) -> Select[Any]:
        """The model's columns from its table (add conditions with `.where`)."""
        return select(*self.columns)

    def render(self, row: Row) -> Rendered:
        """One selected row as the API answers it."""
        return Rendered(self._render(row))

    # --- reading by id --------------------------------------------------------------------

    def rows(self, session: Session, brand_id: int, ids: Sequence[int]) -> list[Row]:
        """The rows `ids` of the brand (deleted ones too), in no particular order."""
        connection = connection_of(session)
        found: list[Row] = []
        for start in range(0, len(ids), _MAX_IN):
            chunk = ids[start : start + _MAX_IN]
            size = in_size(len(chunk))
            found += self._by_ids(size).rows(
                connection, {"brand_id": brand_id, **in_values("id", chunk, size)}
            )
        return found

    @functools.cache  # noqa: B019 (models are module constants, kept for the process)
    def _by_ids(self, size: int) -> Direct:
        table = self.table
        return Direct(
            self.statement().where(
                table.c.brand_id == bindparam("brand_id"), in_parameters(table.c.id, "id", size)
            )
        )

    def renders(self, session: Session, brand_id: int, ids: Sequence[int]) -> dict[int, Rendered]:
        """The rows `ids` rendered, by id, made now (not through the render cache)."""
        render = self.render
        return {row.id: render(row) for row in self.rows(session, brand_id, ids)}

    def rendered(
        self,
        session: Session,
        brand_id: int,
        ids: Sequence[int],
        make: Callable[[list[int]], Mapping[int, Mapping[str, Any]]] | None = None,
    ) -> list[dict[str, Any]]:
        """The rows `ids`, in that order, each rendered once per change of the resource in
        the brand (store/renders.py), shared: `dict(row)` to add to one. `make` renders the
        missing ones when the model's own render is not enough (rows that embed others)."""
        make = make or self._make(session, brand_id)
        known = kept(session, self.resource, brand_id, ids, make, self.shape)
        return [known[record_id] for record_id in ids if record_id in known]

    def _make(
        self, session: Session, brand_id: int
    ) -> Callable[[list[int]], Mapping[int, Mapping[str, Any]]]:
        return lambda missing: self.renders(session, brand_id, missing)


def kept(
    session: Session,
    resource: str,
    brand_id: int,
    ids: Sequence[int],
    make: Callable[[list[int]], Mapping[int, Mapping[str, Any]]],
    shape: str = "",
    also: Iterable[str] = (),
) -> dict[int, Rendered]:
    """The renders of `ids` held for `resource` in the brand, the missing ones made by
    `make` and offered to the cache unless this unit itself changed the resource (its
    renders could outlive the change). `shape` keeps apart renders of one resource in
    different wire models; `also` names the other resources they embed facts of, whose
    changes drop them too."""
    made_from = frozenset((resource, *also))
    uow = current_unit(session)
    if uow is not None:
        # Read, even when every row comes from the cache: an answer made from them is an
        # answer about `resource`, which the response cache drops when it changes.
        uow.reads |= made_from
    cache = uow.renders if uow is not None else None
    # The cache holds only what this function made: `Rendered` rows.
    known = cast(
        dict[int, Rendered], dict(cache.get(resource, brand_id, ids, shape)) if cache else {}
    )
    missing = [record_id for record_id in ids if record_id not in known]
    if missing:
        made = {
            record_id: row if isinstance(row, Rendered) else Rendered(row)
            for record_id, row in make(missing).items()
        }
        if uow is not None and not any(key[0] in made_from for key in uow.changes):
            uow.rendered(resource, brand_id, dict(made), shape, made_from - {resource})
        known.update(made)
    return known


# --- the render function ------------------------------------------------------------------


def _render_function(
    fields: Sequence[str],
    columns: Any,
    sources: Mapping[str, Any],
    computed: Mapping[str, Computed],
    filled: frozenset[str],
    dates: Callable[[datetime | None], str | None],
) -> Callable[[Row], dict[str, Any]]:
    """`lambda row: {"id": row.id, "created_at": dates(row.created_at), ...}`, written out
    as one expression: a render runs once per row and field, and a loop over per-field
    getters cost twice the dict display (as dataclasses and pydantic, it is generated)."""
    scope: dict[str, Any] = {"_dates": dates}
    items = []
    for index, name in enumerate(fields):
        if name in filled:
            value = "None"
        elif name in computed:
            scope[f"_c{index}"] = computed[name]
            value = f"_c{index}(row)"
        elif name in sources:
            value = f"row.{name}"
        elif name in columns and _is_datetime(columns[name]):
            value = f"_dates(row.{name})"
        else:
            value = f"row.{name}"
        items.append(f"{name!r}: {value}")
    source = f"def render(row):\n    return {{{', '.join(items)}}}\n"
    exec(compile(source, "<read model>", "exec"), scope)  # noqa: S102 (names from the model)
    render: Callable[[Row], dict[str, Any]] = scope["render"]
    return render


def _is_datetime(column: Any) -> bool:
    # A type decorator (UTCDateTime) answers `object` for its Python type: ask what it wraps.
    kind = getattr(column.type, "impl_instance", column.type)
    try:
        return bool(kind.python_type is datetime)
    except NotImplementedError:  # JSON and other types without one
        return False


# --- id lists compiled once -----------------------------------------------------------------


def in_size(count: int) -> int:
    """A list's size rounded up to a power of two: an `IN` list of that many parameters is
    compiled once, where SQLAlchemy's expanding parameters render the statement again at
    every execution."""
    return 1 << max(count - 1, 0).bit_length()


def in_parameters(column: Any, name: str, size: int) -> ColumnElement[bool]:
    """`column IN (:name0, ..., :name<size-1>)`; values from `in_values`."""
    clause: ColumnElement[bool] = column.in_([bindparam(f"{name}{i}") for i in range(size)])
    return clause


def in_values(name: str, ids: Sequence[Any], size: int | None = None) -> dict[str, Any]:
    """The parameters of `in_parameters(..., name, size)`: `ids` (or any values), the last
    repeated up to `size` (no ids: 0, which no row has)."""
    size = in_size(len(ids)) if size is None else size
    padded = [*ids, *[ids[-1] if ids else 0] * (size - len(ids))]
    return {f"{name}{index}": value for index, value in enumerate(padded)}
