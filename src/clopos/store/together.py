"""Several reads answered by one statement: one round trip where each was one.

On PostgreSQL each statement is a round trip, and each costs the worker its driver's and
its event loop's turn (about 70 us here: docs/performance.md, issue 20) on top of the
database's own work. Reads that need only what a request already holds can go together:
`Together` runs its parts as one `UNION ALL`. Each part's columns have slots of their own
(typed NULLs in the other parts' rows, so every slot has one type whichever part a row
comes from), and a first column names the part; its rows come back split by part, as
named tuples of its own columns, their values converted as those columns' types say,
as `Direct` answers them.

A `UNION ALL` promises no order: the parts must not be ordered (a part with an ORDER BY
or a LIMIT is refused), and a reader that needs an order sorts what it is given.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Integer,
    Select,
    cast,
    literal_column,
    null,
    select,
    union_all,
)

from clopos.store.direct import Converter, Direct, Results, field_name

Part = Select[Any] | CompoundSelect[Any]


class Together:
    """Named SELECTs built once (a module constant, or cached per shape), run as one."""

    def __init__(self, **parts: Part) -> None:
        if not parts:
            raise ValueError("no parts to read")
        for name, part in parts.items():
            if part._order_by_clauses or part._limit_clause is not None:
                raise ValueError(f"part {name!r} is ordered or limited: its order is not kept")
        subqueries = [part.subquery(name) for name, part in parts.items()]
        self._names = tuple(parts)
        # Each part's own row type, and where its columns sit in the statement's rows.
        self._tuples: list[Any] = []
        self._slices: list[slice] = []
        start = 1  # after the part's number
        for subquery in subqueries:
            fields = [field_name(column) for column in subquery.c]
            self._tuples.append(collections.namedtuple("Row", fields, rename=True))
            self._slices.append(slice(start, start + len(fields)))
            start += len(fields)
        # Slots are labelled by their place (rows are read by position).
        every = [
            (owner, column) for owner, subquery in enumerate(subqueries) for column in subquery.c
        ]
        selects = []
        for index, subquery in enumerate(subqueries):
            slots = [literal_column(str(index), Integer).label("part")]
            slots += [
                (column if owner == index else cast(null(), column.type)).label(f"c{number}")
                for number, (owner, column) in enumerate(every)
            ]
            selects.append(select(*slots).select_from(subquery))
        self._statement = Direct(union_all(*selects))
        # Per-part converters, by the statement's results (one per database kind).
        self._by_results: dict[Results, list[tuple[Converter, ...] | None]] = {}

    def rows(
        self, connection: Connection, values: Mapping[str, Any] | None = None
    ) -> dict[str, list[Any]]:
        """Run with `values` (every part's named parameters: a name the parts share is
        one value); answers each part's rows by its name."""
        found: list[list[Any]] = [[] for _ in self._names]
        raw, results = self._statement.raw(connection, values)
        if raw:
            assert results is not None
            slices, tuples = self._slices, self._tuples
            # Each row converted in its part's slots only: the others' are NULL, and a row
            # is some five times as wide as its part.
            converters = self._converters(results)
            for row in raw:
                part = row[0]
                own = row[slices[part]]
                convert = converters[part]
                if convert is not None:
                    own = [
                        value if c is None else c(value)
                        for c, value in zip(convert, own, strict=True)
                    ]
                found[part].append(tuples[part]._make(own))
        return dict(zip(self._names, found, strict=True))

    def _converters(self, results: Results) -> list[tuple[Converter, ...] | None]:
        """Each part's converters (None: none converts) where `results` makes the rows."""
        parts = self._by_results.get(results)
        if parts is None:
            every = results.converters or ()
            parts = [every[part] if any(every[part]) else None for part in self._slices]
            self._by_results[results] = parts
        return parts
