"""An INSERT of several rows as parameters, and its parameters' values: the unit of work's
inserts build theirs with it (store/uow.py). The moves held to the commit give theirs as
one JSON parameter (store/moves.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, bindparam


def rows_insert(table: Table, keys: frozenset[str], count: int, prefix: str = "") -> Any:
    """An INSERT of `count` rows of `keys`, its parameters `<prefix><column>__<row>`."""
    columns = table.columns
    return table.insert().values(
        [
            {key: bindparam(f"{prefix}{key}__{index}", type_=columns[key].type) for key in keys}
            for index in range(count)
        ]
    )


def rows_values(rows: Sequence[Mapping[str, Any]], prefix: str = "") -> dict[str, Any]:
    """The parameters of `rows_insert` for `rows`."""
    return {
        f"{prefix}{key}__{index}": value
        for index, row in enumerate(rows)
        for key, value in row.items()
    }
