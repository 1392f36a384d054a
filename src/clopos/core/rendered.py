"""Rows rendered once per change of their resource (store/renders.py), for list pages whose
row shape depends only on the row itself (orders, receipts with their payments).

Each row is kept with its JSON, made once when first asked for: a page answered with rows alone (no
relations added) embeds that JSON as it is, and serialising a page of orders measured more
than the rest of its unit of work (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import orjson
from sqlalchemy.orm import Session

from clopos.store.uow import current_unit

# The options every answer is serialised with (server/responses.py takes them from here): a
# row's JSON embedded in a page is the bytes the page would have made.
JSON_OPTIONS = orjson.OPT_NON_STR_KEYS


class _Rendered(dict[str, Any]):
    """A rendered row, and its JSON once asked for (kept with it: never changed after)."""

    __slots__ = ("_json",)

    def __init__(self, row: Mapping[str, Any]) -> None:
        super().__init__(row)
        self._json: orjson.Fragment | None = None

    @property
    def json(self) -> orjson.Fragment:
        if self._json is None:  # two threads may both make it: the same bytes
            self._json = orjson.Fragment(orjson.dumps(self, option=JSON_OPTIONS))
        return self._json


def rendered(
    session: Session,
    resource: str,
    brand_id: int,
    ids: Sequence[int],
    render: Callable[[list[int]], Mapping[int, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """The rows `ids`, in that order, as copies (callers add relations to them): from the
    cache where it has them, else `render(missing_ids)`, offered to the cache unless this
    unit itself changed the resource (its renders could outlive the change)."""
    known = _known(session, resource, brand_id, ids, render)
    return [dict(known[record_id]) for record_id in ids if record_id in known]


def rendered_json(
    session: Session,
    resource: str,
    brand_id: int,
    ids: Sequence[int],
    render: Callable[[list[int]], Mapping[int, dict[str, Any]]],
) -> list[orjson.Fragment]:
    """The rows `ids` as `rendered` finds them, each as its JSON (for an answer that only
    serialises them)."""
    known = _known(session, resource, brand_id, ids, render)
    return [known[record_id].json for record_id in ids if record_id in known]


def _known(
    session: Session,
    resource: str,
    brand_id: int,
    ids: Sequence[int],
    render: Callable[[list[int]], Mapping[int, dict[str, Any]]],
) -> dict[int, _Rendered]:
    uow = current_unit(session)
    if uow is not None:
        # Read, even when every row comes from the cache: an answer made from them is an
        # answer about `resource`, which the response cache drops when it changes.
        uow.reads.add(resource)
    cache = uow.renders if uow is not None else None
    # The cache holds only what this module made for these resources.
    known = cast(
        dict[int, _Rendered], dict(cache.get(resource, brand_id, ids)) if cache is not None else {}
    )
    missing = [record_id for record_id in ids if record_id not in known]
    if missing:
        made: dict[int, _Rendered] = {
            record_id: _Rendered(row) for record_id, row in render(missing).items()
        }
        if uow is not None and not any(key[0] == resource for key in uow.changes):
            uow.rendered(resource, brand_id, dict(made))
        known.update(made)
    return known
