"""The list-query language of the Open API: PHP/Laravel bracket notation.

`filters[0][0]=type&filters[0][1][0]=GOODS`, `with[]=taxes`, `sort[0]=name&sort[1]=-1`,
`sort[0][0]=name&sort[0][1]=asc` (price lists), `date[0]=2026-01-01`, `selects=id,name`,
`page`, `limit`. The parser answers a `ListQuery` whose syntax is valid; which fields,
relations and sorts a resource accepts is checked by the listing machinery.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Union

from clopos.core.errors import Invalid, bad_request

Nested = Union[str, dict[str, "Nested"]]  # noqa: UP007  (a recursive alias needs Union)
FilterValue = str | tuple[str, ...]

MAX_ITEMS = 500
MAX_DEPTH = 4
MAX_PAGE = 1_000_000_000
MAX_JSON_FILTERS = 4096
_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_brackets(items: Iterable[tuple[str, str]]) -> dict[str, Nested]:
    """Nest `a[b][]=v` pairs as PHP does: `[]` appends, a repeated plain key keeps the last."""
    root: dict[str, Nested] = {}
    for count, (key, value) in enumerate(items, start=1):
        if count > MAX_ITEMS:
            raise bad_request(f"Too many query parameters (at most {MAX_ITEMS})")
        match = _KEY.match(key)
        if match is None:  # not bracket notation: kept verbatim, like PHP keeps `a]b`
            root[key] = value
            continue
        path = [match.group(1), *_SEGMENT.findall(match.group(2))]
        if len(path) > MAX_DEPTH + 1:
            raise bad_request(f"Query parameter '{key}' is nested too deeply")
        _assign(root, path, value, key)
    return root


def _assign(root: dict[str, Nested], path: list[str], value: str, key: str) -> None:
    node = root
    for index, segment in enumerate(path):
        last = index == len(path) - 1
        name = segment if segment != "" else str(_next_index(node))
        if last:
            if isinstance(node.get(name), dict):
                raise bad_request(f"Query parameter '{key}' conflicts with another parameter")
            node[name] = value
            return
        child = node.setdefault(name, {})
        if not isinstance(child, dict):
            raise bad_request(f"Query parameter '{key}' conflicts with another parameter")
        node = child


def _next_index(node: Mapping[str, Nested]) -> int:
    numbers = [int(key) for key in node if key.isdigit()]
    return max(numbers) + 1 if numbers else 0


@dataclass(frozen=True, slots=True)
class Filter:
    """One `filters[N]` tuple; `where` names it in error messages (`filters[N]`)."""

    field: str
    value: FilterValue
    where: str


@dataclass(frozen=True, slots=True)
class Sort:
    field: str
    descending: bool


@dataclass(frozen=True, slots=True)
class Paging:
    """A resource's `limit` bounds and default."""

    maximum: int
    default: int = 50
    minimum: int = 1


@dataclass(frozen=True, slots=True)
class ListQuery:
    page: int
    limit: int
    filters: tuple[Filter, ...] = ()
    relations: tuple[str, ...] = ()
    sorts: tuple[Sort, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    selects: tuple[str, ...] | None = None
    params: Mapping[str, Nested] = field(default_factory=dict)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def scalar(self, name: str) -> str | None:
        """A plain top-level parameter (`parent_id=3`); a bracketed one is a 400."""
        value = self.params.get(name)
        if isinstance(value, dict):
            raise bad_request(f"The '{name}' parameter must be a single value")
        return value


def parse_list_query(items: Iterable[tuple[str, str]], paging: Paging) -> ListQuery:
    """Parse `request.query_params.multi_items()` into a syntactically valid `ListQuery`."""
    params = parse_brackets(items)
    date_from, date_to = _dates(params.get("date"))
    return ListQuery(
        page=_page(params.get("page")),
        limit=_limit(params.get("limit"), paging),
        filters=_filters(params.get("filters")),
        relations=_relations(params.get("with")),
        sorts=_sorts(params.get("sort")),
        date_from=date_from,
        date_to=date_to,
        selects=_selects(params.get("selects")),
        params=params,
    )


def parse_relations(items: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """Only `with[]`: what a by-id endpoint accepts."""
    return _relations(parse_brackets(items).get("with"))


def _integer(raw: Nested | None, name: str, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if isinstance(raw, str) and re.fullmatch(r"[+]?\d{1,12}", raw.strip()):
        value = int(raw)
        if low <= value <= high:
            return value
    raise Invalid(
        f"The '{name}' parameter must be between {low} and {high}",
        extra={
            "details": {
                "parameter": name,
                "provided_value": raw,
                "valid_range": f"{low}-{high}",
            }
        },
    )


def _page(raw: Nested | None) -> int:
    return _integer(raw, "page", 1, 1, MAX_PAGE)


def _limit(raw: Nested | None, paging: Paging) -> int:
    return _integer(raw, "limit", paging.default, paging.minimum, paging.maximum)


def _values(node: Nested, where: str) -> FilterValue:
    if isinstance(node, str):
        return node
    if all(isinstance(item, str) for item in node.values()):
        ordered = sorted(node.items(), key=lambda item: _order_key(item[0]))
        return tuple(str(item) for _, item in ordered)
    raise bad_request(f"{where}[1] must be a value or a list of values")


def _order_key(key: str) -> tuple[int, int, str]:
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def _filters(raw: Nested | None) -> tuple[Filter, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return _json_filters(raw)
    filters = []
    for index, entry in sorted(raw.items(), key=lambda item: _order_key(item[0])):
        where = f"filters[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("0"), str) or "1" not in entry:
            raise bad_request("Invalid filter parameters")
        name = entry["0"]
        assert isinstance(name, str)
        filters.append(Filter(name.strip(), _values(entry["1"], where), where))
    return tuple(filters)


def _json_filters(raw: str) -> tuple[Filter, ...]:
    """v1 products send `filters` as one URL-encoded JSON value: `[[field, value], ...]`
    or `{field: value}` (the exact shape was never published; both are accepted)."""
    if len(raw) > MAX_JSON_FILTERS:
        raise bad_request(f"filters must be at most {MAX_JSON_FILTERS} characters")
    try:
        # Deep nesting ends in RecursionError, not ValueError; no filter nests beyond 3.
        decoded = json.loads(raw)
    except (ValueError, RecursionError):
        raise bad_request("Invalid filter parameters") from None
    if not _storable(decoded):
        # `\ud800` decodes to a lone surrogate: no database (or UTF-8) can carry it.
        raise bad_request("Invalid filter parameters")
    pairs = list(decoded.items()) if isinstance(decoded, dict) else decoded
    if not isinstance(pairs, list):
        raise bad_request("Invalid filter parameters")
    filters = []
    for index, pair in enumerate(pairs):
        if not (isinstance(pair, list | tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            raise bad_request("Invalid filter parameters")
        name, value = pair
        if isinstance(value, list):
            if not all(isinstance(item, str | int | float) for item in value):
                raise bad_request("Invalid filter parameters")
            filters.append(Filter(name, tuple(_text(item) for item in value), f"filters[{index}]"))
        elif isinstance(value, str | int | float | bool):
            filters.append(Filter(name, _text(value), f"filters[{index}]"))
        else:
            raise bad_request("Invalid filter parameters")
    return tuple(filters)


def _storable(value: object, depth: int = 0) -> bool:
    """Whether a decoded JSON value nests at most 3 deep and holds only encodable text."""
    if depth > 3:
        return False
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_storable(k, depth + 1) and _storable(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(item, depth + 1) for item in value)
    return True


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _listing(raw: Nested | None, name: str) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [item.strip() for item in raw.split(",") if item.strip()]
    items = []
    for key, value in sorted(raw.items(), key=lambda item: _order_key(item[0])):
        if not isinstance(value, str):
            raise bad_request(f"{name}[{key}] must be a single value")
        items.append(value.strip())
    return [item for item in items if item]


def _relations(raw: Nested | None) -> tuple[str, ...]:
    if isinstance(raw, str):  # `with=a` is one relation; a column list may follow a colon
        return (raw.strip(),) if raw.strip() else ()
    return tuple(dict.fromkeys(_listing(raw, "with")))


def _selects(raw: Nested | None) -> tuple[str, ...] | None:
    items = _listing(raw, "selects")
    return tuple(dict.fromkeys(items)) if items else None


_DIRECTIONS = {"1": False, "asc": False, "-1": True, "desc": True}


def _direction(raw: Nested | None, where: str) -> bool:
    if raw is None or raw == "":
        return True  # documented default: -1 (descending)
    if isinstance(raw, str) and raw.strip().lower() in _DIRECTIONS:
        return _DIRECTIONS[raw.strip().lower()]
    raise bad_request(f"{where} must be 1 or -1")


def _sorts(raw: Nested | None) -> tuple[Sort, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (Sort(raw.strip(), True),) if raw.strip() else ()
    first = raw.get("0")
    if isinstance(first, str) or first is None:  # sort[0]=field&sort[1]=direction
        if not first:
            raise bad_request("sort[0] must name a field")
        return (Sort(first.strip(), _direction(raw.get("1"), "sort[1]")),)
    sorts = []  # sort[N][0]=field&sort[N][1]=asc (price lists)
    for index, pair in sorted(raw.items(), key=lambda item: _order_key(item[0])):
        if not isinstance(pair, dict) or not isinstance(pair.get("0"), str) or not pair["0"]:
            raise bad_request(f"sort[{index}][0] must name a field")
        name = pair["0"]
        assert isinstance(name, str)
        sorts.append(Sort(name.strip(), _direction(pair.get("1"), f"sort[{index}][1]")))
    return tuple(sorts)


def _date(raw: Nested | None, where: str) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and _DATE.match(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise bad_request(f"{where} must be a date in YYYY-MM-DD format")


def _dates(raw: Nested | None) -> tuple[date | None, date | None]:
    if raw is None:
        return None, None
    if isinstance(raw, str):
        raise bad_request("date must be given as date[0] and date[1]")
    start, end = _date(raw.get("0"), "date[0]"), _date(raw.get("1"), "date[1]")
    if start and end and start > end:
        raise bad_request("date[0] must not be later than date[1]")
    return start, end
