"""Rows rendered once per change of their resource (store/renders.py), for list pages whose
row shape depends only on the row itself (orders, receipts with their payments)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from clopos.store.uow import current_unit


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
    uow = current_unit(session)
    cache = uow.renders if uow is not None else None
    known: dict[int, Mapping[str, Any]] = (
        dict(cache.get(resource, brand_id, ids)) if cache is not None else {}
    )
    missing = [record_id for record_id in ids if record_id not in known]
    if missing:
        made: dict[int, Mapping[str, Any]] = dict(render(missing))
        if uow is not None and not any(key[0] == resource for key in uow.changes):
            uow.rendered(resource, brand_id, made)
        known.update(made)
    return [dict(known[record_id]) for record_id in ids if record_id in known]
