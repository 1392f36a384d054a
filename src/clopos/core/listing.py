"""One list machinery for every resource: filters, sorting, date range, paging, counting.

A resource describes itself with a `ListSpec` (which filters, sorts and relations it accepts,
its `limit` bounds); `fetch_page` turns a parsed `ListQuery` into two queries, a count and a
page, whatever the resource.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from clopos.core.errors import bad_request
from clopos.core.query import Filter, FilterValue, ListQuery, Paging, Sort, parse_list_query
from clopos.store.direct import Direct
from clopos.store.uow import connection_of

T = TypeVar("T")
Clause = ColumnElement[bool]
Column = InstrumentedAttribute[Any] | ColumnElement[Any]
_INT = re.compile(r"^-?\d{1,18}$")


@dataclass(frozen=True, slots=True)
class FilterField:
    """How one filter field becomes a SQL condition; `build` raises 400 on a bad value."""

    build: Callable[[str, FilterValue], Clause]


def int_choice(column: Column, choices: Sequence[int]) -> FilterField:
    """One or more integers from a fixed set (`status` 1/0, `inventory_behavior` 0/1/3)."""

    def build(name: str, value: FilterValue) -> Clause:
        items = [item.strip() for item in _as_list(value)]
        allowed = {str(choice): choice for choice in choices}
        if not items or any(item not in allowed for item in items):
            raise bad_request(f"{name} must be one of {', '.join(map(str, choices))}")
        return column.in_([allowed[item] for item in items])

    return FilterField(build)


def _as_list(value: FilterValue) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value


def _integers(name: str, value: FilterValue) -> list[int]:
    items = [item.strip() for item in _as_list(value)]
    if not items or not all(_INT.match(item) for item in items):
        raise bad_request(f"{name} must be an integer or a list of integers")
    return [int(item) for item in items]


def integers(column: Column) -> FilterField:
    """Exact match on one id or any of a list of ids."""
    return FilterField(lambda name, value: column.in_(_integers(name, value)))


def integer_range(column: Column) -> FilterField:
    """An exact value, or `[from, to]` (either bound may be empty) as an inclusive range."""

    def build(name: str, value: FilterValue) -> Clause:
        if isinstance(value, str):
            return column == _integers(name, value)[0]
        if len(value) != 2:
            raise bad_request(f"{name} must be a value or a [from, to] pair")
        low, high = (None if item.strip() == "" else _integers(name, item)[0] for item in value)
        clauses = [column >= low] if low is not None else []
        clauses += [column <= high] if high is not None else []
        return clauses[0] & clauses[1] if len(clauses) == 2 else (clauses[0] if clauses else true())

    return FilterField(build)


def one_of(column: Column, choices: Sequence[str], *, upper: bool = True) -> FilterField:
    """A value (or values) from a fixed vocabulary."""

    def build(name: str, value: FilterValue) -> Clause:
        items = [item.strip().upper() if upper else item.strip() for item in _as_list(value)]
        if not items or any(item not in choices for item in items):
            raise bad_request(f"{name} must be one of {', '.join(choices)}")
        return column.in_(items)

    return FilterField(build)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_flag(name: str, value: FilterValue | None) -> bool:
    """`1`/`0` (and `true`/`false`): the documented boolean query values."""
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise bad_request(f"{name} must be 1 or 0")


def flag(when_true: Clause, when_false: Clause | None = None) -> FilterField:
    """A yes/no filter: `1` selects rows matching `when_true`, `0` the rest."""
    negative = when_false if when_false is not None else ~when_true
    return FilterField(lambda name, value: when_true if parse_flag(name, value) else negative)


def contains(*columns: Column) -> FilterField:
    """Case-insensitive partial match on any of the columns (`%` and `_` taken literally)."""

    def build(name: str, value: FilterValue) -> Clause:
        if not isinstance(value, str) or not value.strip():
            raise bad_request(f"{name} must be a non-empty text")
        escaped = value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return or_(*(column.ilike(f"%{escaped}%", escape="\\") for column in columns))

    return FilterField(build)


def equals_text(column: Column) -> FilterField:
    return FilterField(lambda name, value: column.in_(list(_as_list(value))))


@dataclass(frozen=True)
class ListSpec:
    """What a list endpoint accepts. `sorts` are the names answered in the envelope."""

    paging: Paging
    id_column: Column
    sorts: Mapping[str, Column] = field(default_factory=dict)
    filters: Mapping[str, FilterField] = field(default_factory=dict)
    # Filters that may also be sent as plain query parameters (`?type=PRODUCT`).
    named: frozenset[str] = frozenset()
    relations: frozenset[str] = frozenset()
    selects: frozenset[str] | None = None
    date_column: Column | None = None
    default_sort: tuple[tuple[Column, bool], ...] = ()

    @property
    def sort_names(self) -> list[str]:
        return list(self.sorts)

    def parse(self, items: Iterable[tuple[str, str]]) -> ListQuery:
        """Parse and check the query against this resource's vocabulary (400 otherwise)."""
        query = parse_list_query(items, self.paging)
        check_relations(query.relations, self.relations)
        for sort in query.sorts:
            if sort.field not in self.sorts:
                raise bad_request(f"sort[0] must be one of {', '.join(self.sorts) or '(none)'}")
        if query.selects is not None:
            if self.selects is None:
                raise bad_request("selects is not supported by this endpoint")
            unknown = [name for name in query.selects if name not in self.selects]
            if unknown:
                raise bad_request(f"selects must be among {', '.join(sorted(self.selects))}")
        return query

    def conditions(self, query: ListQuery) -> list[Clause]:
        """SQL conditions for `filters[N]`, the named parameters and `date[0..1]`."""
        conditions = []
        filters = list(query.filters)
        for name in sorted(self.named):
            raw = query.scalar(name)
            if raw is not None and raw != "":
                filters.append(Filter(name, raw, name))
        for item in filters:
            spec = self.filters.get(item.field)
            if spec is None:
                raise bad_request(
                    f"{item.where}[0] must be one of {', '.join(self.filters) or '(none)'}"
                    if item.where != item.field
                    else f"Unknown filter {item.field}"
                )
            conditions.append(spec.build(item.field, item.value))
        if self.date_column is not None:
            if query.date_from is not None:
                start = datetime.combine(query.date_from, time.min, UTC)
                conditions.append(self.date_column >= start)
            if query.date_to is not None:
                end = datetime.combine(query.date_to + timedelta(days=1), time.min, UTC)
                conditions.append(self.date_column < end)
        return conditions

    def order(self, sorts: Sequence[Sort]) -> list[ColumnElement[Any]]:
        chosen = [(self.sorts[sort.field], sort.descending) for sort in sorts] or list(
            self.default_sort
        )
        clauses = [column.desc() if descending else column.asc() for column, descending in chosen]
        return [*clauses, self.id_column.asc()]  # a total order keeps pages stable


def check_relations(relations: Iterable[str], allowed: frozenset[str]) -> None:
    """`with[]` values must be known; a `:columns` suffix is accepted and ignored."""
    for index, relation in enumerate(relations):
        if relation.split(":", 1)[0] not in allowed:
            choices = ", ".join(sorted(allowed)) or "(none)"
            raise bad_request(f"with[{index}] must be one of {choices}")


def relation_names(relations: Iterable[str]) -> set[str]:
    return {relation.split(":", 1)[0] for relation in relations}


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: list[T]
    total: int


def fetch_page(
    session: Session,
    spec: ListSpec,
    query: ListQuery,
    statement: Select[T],
    params: Mapping[str, Any] | None = None,
) -> Page[T]:
    """Count the matching rows, then load the requested page of them: two queries.

    With `params`, `statement` is a template built once, its named bind parameters given
    by `params` (such as `select(Order.id).where(Order.brand_id == bindparam("brand_id"))`),
    and the page carries the count as a column (an uncorrelated subquery, which both
    databases evaluate once): one statement where a page has rows, on the unit's
    connection. A plain page (any sort, any offset) is built once for its template and sort
    and runs on the driver (store/direct.py): building and running it through SQLAlchemy
    cost several times the query itself (docs/performance.md). Such a template must select
    columns, not ORM entities."""
    if params is None:
        count, page = _statements(spec, query, statement)
        total = session.scalar(count)
        if not total or query.offset >= total:
            return Page([], total or 0)
        return Page(list(session.scalars(page).all()), total)
    connection = connection_of(session)
    if _narrowed(spec, query):
        # Values of the client's own (a filter, a date, a search) end up in the statements:
        # built anew, and run through SQLAlchemy, whose compiled cache takes them as
        # parameters. Kept as `Direct` statements, each new value would compile anew.
        count, page = _statements(spec, query, statement)
        counted = page.add_columns(count.scalar_subquery().label("total"))
        rows: Sequence[Any] = connection.execute(counted, params).all()
        if rows or not query.offset:
            return Page([row[0] for row in rows], int(rows[-1][-1]) if rows else 0)
        return Page([], int(connection.execute(count, params).scalar() or 0))
    # The template and the sort alone decide the statements: built once, paging given as
    # parameters.
    key = (statement, id(spec), query.sorts)  # specs are module constants
    built = _built.get(key)
    if built is None:
        if len(_built) >= _BUILT_MAX:
            _built.clear()
        count, page = _statements(spec, query, statement, paged=True)
        counted = page.add_columns(count.scalar_subquery().label("total"))
        built = _built[key] = (Direct(count), Direct(counted))
    count_rows, counted_rows = built
    paging = {**params, _OFFSET: query.offset, _LIMIT: query.limit}
    rows = counted_rows.rows(connection, paging)
    if rows:
        return Page([row[0] for row in rows], int(rows[-1][-1]))
    # No row: nothing matches, or the page lies past the last one (then count them).
    total = count_rows.scalar(connection, params) if query.offset else 0
    return Page([], total or 0)


# Statements built from templates (see `fetch_page`), by template, spec and sort: the
# count, and the page with the count as its last column.
_built: dict[tuple[Any, ...], tuple[Direct, Direct]] = {}
_BUILT_MAX = 1024
# The paging parameters of a page built once.
_OFFSET, _LIMIT = "page_offset", "page_limit"


def _statements(
    spec: ListSpec, query: ListQuery, statement: Select[T], *, paged: bool = False
) -> tuple[Select[Any], Select[T]]:
    """The count and the page statements of `query` over `statement` (`paged`: offset and
    limit as the parameters `_OFFSET` and `_LIMIT`)."""
    filtered = statement.where(*spec.conditions(query))
    count = select(func.count()).select_from(filtered.order_by(None).subquery())
    ordered = filtered.order_by(*spec.order(query.sorts))
    if paged:
        # 64-bit: a page far past the end (up to MAX_PAGE) makes an offset over 2**31,
        # which asyncpg refuses for a 32-bit parameter.
        page = ordered.offset(bindparam(_OFFSET, type_=BigInteger)).limit(
            bindparam(_LIMIT, type_=Integer)
        )
    else:
        page = ordered.offset(query.offset).limit(query.limit)
    return count, page


def _narrowed(spec: ListSpec, query: ListQuery) -> bool:
    """Whether `query` carries values of its own into the statements (see
    `ListSpec.conditions`): filters, named parameters, a date range."""
    return bool(
        query.filters
        or query.date_from
        or query.date_to
        or any(query.scalar(name) is not None for name in spec.named)
    )


def select_fields(item: dict[str, Any], selects: Sequence[str] | None, keep: Iterable[str]) -> None:
    """Drop fields not asked for by `selects`, keeping `keep` (always returned) in place."""
    if selects is None:
        return
    wanted = set(selects) | set(keep)
    for key in [key for key in item if key not in wanted]:
        del item[key]
