"""Events made from the change log: every write path logs its changes (store/uow.py), so
reading the log is how every write, from any process, becomes an event.

A batch of log rows becomes events by a read (`make_events`), stored in one transaction
with the sender's new position (lease.py's `commit`): events are made once, whatever
happens to the process.

- `orders` inserted: `order.created`; updated, with another status than the last event
  of that order said: `order.status_changed`;
- `receipts` inserted: `receipt.created`; updated, with another `status` or `order_status`:
  `receipt.status_changed`, and `receipt.closed` when it became closed;
- `stop_list` changed: `stop_list.changed` for each venue whose list differs from the
  last event's (the log names the brand, not the venue);
- the menu's tables changed: one `menu.changed` per brand and batch, naming what changed.

`data` is the resource as the API answers it (its read model), as it is when the event
is made: two changes close together may give one event with the latest state.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from clopos.core.access.table import Brand
from clopos.core.formats import iso
from clopos.core.orders import read as orders
from clopos.core.orders.table import Order
from clopos.core.readmodel import in_parameters, in_size, in_values
from clopos.core.receipts import read as receipts
from clopos.core.receipts.table import CLOSED, Receipt
from clopos.core.stop_list import service as stop_list
from clopos.core.venues.table import Venue
from clopos.core.webhooks.table import (
    WebhookDelivery,
    WebhookEvent,
    WebhookState,
    WebhookSubscription,
)
from clopos.store.changes import LogRow
from clopos.store.direct import Direct
from clopos.store.uow import connection_of, insert_rows

# The tables whose changes are the menu's (categories, products and what they are made of).
MENU = frozenset(
    {
        "categories",
        "products",
        "modifier_groups",
        "modifiers",
        "product_modifier_groups",
        "price_lists",
        "price_list_prices",
        "product_codes",
        "product_taxes",
        "product_tags",
        "packages",
        "taxes",
        "tags",
        "units",
    }
)
WATCHED = MENU | {"orders", "receipts", "stop_list"}
_EVENTS: Table = WebhookEvent.__table__  # type: ignore[assignment]
_DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[assignment]
_BRANDS: Table = Brand.__table__  # type: ignore[assignment]
_SUBSCRIPTIONS: Table = WebhookSubscription.__table__  # type: ignore[assignment]
_STATES: Table = WebhookState.__table__  # type: ignore[assignment]
UNKNOWN = ""
# A record as the API answers it, and its `updated_at` as stored.
_Found = tuple[dict[str, Any], datetime]


@dataclass(frozen=True, slots=True)
class Made:
    """One event to store: `key` orders its deliveries (one resource's go out in order)."""

    type: str
    venue_id: int | None
    key: str
    data: Any


@dataclass
class _Brand:
    slug: str
    test: bool
    subscriptions: list[Any] = field(default_factory=list)  # rows: id, events, created_at

    def wanted(self, capture_tests: bool, at: datetime) -> bool:
        """Whether a change at `at` makes events: a subscription older than it, or a test
        brand's events kept for the sandbox."""
        return (capture_tests and self.test) or any(s.created_at <= at for s in self.subscriptions)


@functools.cache
def _states_statement(size: int) -> Direct:
    """A brand's states of keys `k0...`: compiled once (the sender reads them every round)."""
    return Direct(
        select(_STATES.c.key, _STATES.c.value).where(
            _STATES.c.brand_id == bindparam("brand_id"), in_parameters(_STATES.c.key, "k", size)
        )
    )


class _States:
    """The last value each record's events said: read in one statement per brand and
    batch; the new values are kept here and written by `Batch.store`. Of `keys`, those in
    `new` are records inserted in the batch: none has had an event yet (the insert's own
    log row is read before any change to it), so they are not read."""

    def __init__(
        self, session: Session, keys: dict[int, set[str]], new: dict[int, set[str]]
    ) -> None:
        self._session = session
        self.known: dict[tuple[int, str], str] = {}
        self.stored: set[tuple[int, str]] = set()
        # Read already (found or not), or known to have none: no statement of their own.
        self._read = {(brand_id, key) for brand_id, some in keys.items() for key in some}
        connection = connection_of(session)
        for brand_id, some in keys.items():
            wanted = some - new.get(brand_id, set())
            if wanted:
                size = in_size(len(wanted))
                values = {"brand_id": brand_id, **in_values("k", sorted(wanted), size)}
                for key, value in _states_statement(size).rows(connection, values):
                    self.known[(brand_id, key)] = value
                    self.stored.add((brand_id, key))
        self.changed: dict[tuple[int, str], str] = {}

    def swap(self, brand_id: int, key: str, value: str) -> str | None:
        """Keep `value`; answers the previous one (None: none known)."""
        where = (brand_id, key)
        if where not in self.known and where not in self._read:
            self._read.add(where)
            stored = self._session.get(WebhookState, where)
            if stored is not None:
                self.known[where] = stored.value
                self.stored.add(where)
        previous = self.known.get(where)
        self.known[where] = self.changed[where] = value
        return previous


def _state(row: LogRow, updated_at: datetime, value: str) -> str:
    """What a record's event says, to compare its next change with. An insert read after
    the record changed again (its `updated_at` past the inserting commit's log time) says
    nothing: its status then is not known, and the change's own log row, read next, makes
    the status event."""
    return value if row.kind != "insert" or updated_at <= row.at else UNKNOWN


def _order(states: _States, row: LogRow, brand_id: int, found: _Found) -> list[Made]:
    data, updated_at = found
    key = f"orders:{row.record_id}"
    previous = states.swap(brand_id, key, _state(row, updated_at, str(data["status"])))
    if row.kind == "insert":
        return [Made("order.created", data["venue_id"], key, data)]
    if previous != str(data["status"]):
        return [Made("order.status_changed", data["venue_id"], key, data)]
    return []


def _receipt(states: _States, row: LogRow, brand_id: int, found: _Found) -> list[Made]:
    data, updated_at = found
    key = f"receipts:{row.record_id}"
    now = f"{data['status']}/{data['order_status']}"
    previous = states.swap(brand_id, key, _state(row, updated_at, now))
    venue = data["venue_id"]
    if row.kind == "insert":
        return [Made("receipt.created", venue, key, data)]
    if previous == now:
        return []
    made = [Made("receipt.status_changed", venue, key, data)]
    was_closed = bool(previous) and str(previous).split("/")[0] == str(CLOSED)
    if data["status"] == CLOSED and not was_closed:
        made.append(Made("receipt.closed", venue, key, data))
    return made


_PER_ROW: dict[str, Callable[[_States, LogRow, int, _Found], list[Made]]] = {
    "orders": _order,
    "receipts": _receipt,
}


def _rendered(session: Session, rows: list[LogRow]) -> dict[tuple[str, int, str], _Found]:
    """The orders and receipts `rows` name, as the API answers them now, with their exact
    `updated_at`: one batch per brand and resource (not through the render cache, which
    follows this process's change feed, not the sender's place in the log). A record gone
    since is left out."""
    wanted: dict[tuple[str, int], set[int]] = {}
    for row in rows:
        if row.resource in _PER_ROW and row.record_id is not None and row.brand_id is not None:
            wanted.setdefault((row.resource, row.brand_id), set()).add(int(row.record_id))
    found: dict[tuple[str, int, str], _Found] = {}
    for (resource, brand_id), ids in wanted.items():
        table: Any = Order if resource == "orders" else Receipt
        made: Mapping[int, Mapping[str, Any]]
        if resource == "orders":
            made = orders.ORDER.renders(session, brand_id, sorted(ids))
        else:
            made = receipts.receipts_by_id(session, brand_id, ids)
        stamps = session.execute(
            select(table.id, table.updated_at).where(table.brand_id == brand_id, table.id.in_(ids))
        )
        updated: dict[int, datetime] = {row[0]: row[1] for row in stamps}
        for record_id, data in made.items():
            found[(resource, brand_id, str(record_id))] = (dict(data), updated[record_id])
    return found


def _stop_lists(session: Session, states: _States, brand_id: int) -> list[Made]:
    venues = session.scalars(
        select(Venue.id).where(Venue.brand_id == brand_id).order_by(Venue.id)
    ).all()
    made = []
    for venue_id in venues:
        items = stop_list.all_entries(session, brand_id, venue_id)
        # What an item says, without its timestamp: a limit set again to the same value
        # is no news.
        digest = hashlib.sha256(orjson.dumps([(i["id"], i["limit"]) for i in items])).hexdigest()[
            :32
        ]
        key = f"stop_list:{venue_id}"
        if states.swap(brand_id, key, digest) != digest:
            made.append(
                Made("stop_list.changed", venue_id, key, {"venue_id": venue_id, "items": items})
            )
    return made


def _menu(changed: dict[str, set[str] | None]) -> Made:
    """What changed in the menu: per table the ids, or null when a statement changed many
    at once (fetch that table again)."""
    data = {
        table: (None if ids is None else sorted(ids, key=lambda i: (len(i), i)))
        for table, ids in sorted(changed.items())
    }
    return Made("menu.changed", None, "menu", {"changed": data})


@functools.cache
def _brands_statement(size: int) -> Direct:
    return Direct(
        select(_BRANDS.c.id, _BRANDS.c.slug, _BRANDS.c.mode).where(
            in_parameters(_BRANDS.c.id, "b", size)
        )
    )


@functools.cache
def _subscriptions_statement(size: int) -> Direct:
    return Direct(
        select(
            _SUBSCRIPTIONS.c.id,
            _SUBSCRIPTIONS.c.brand_id,
            _SUBSCRIPTIONS.c.events,
            _SUBSCRIPTIONS.c.created_at,
        ).where(
            in_parameters(_SUBSCRIPTIONS.c.brand_id, "b", size),
            _SUBSCRIPTIONS.c.enabled.is_(True),
        )
    )


def _brands(session: Session, brand_ids: Iterable[int]) -> dict[int, _Brand]:
    """The brands of a batch's changes with their enabled subscriptions: two statements
    compiled once (the sender reads them every round; through the ORM they were a tenth of
    its CPU under load)."""
    wanted = sorted(set(brand_ids))
    if not wanted:
        return {}
    connection = connection_of(session)
    size = in_size(len(wanted))
    values = in_values("b", wanted, size)
    found = {
        row.id: _Brand(row.slug, row.mode == "test")
        for row in _brands_statement(size).rows(connection, values)
    }
    for row in _subscriptions_statement(size).rows(connection, values):
        if row.brand_id in found:
            found[row.brand_id].subscriptions.append(row)
    return found


class _Writer:
    """Gathers events and their deliveries; ids follow the log row they come from."""

    def __init__(self) -> None:
        self._counts: dict[int, int] = {}
        self.events: list[dict[str, Any]] = []
        self.deliveries: list[dict[str, Any]] = []

    def store(self, brand_id: int, brand: _Brand, row: LogRow, made: Made) -> None:
        index = self._counts.get(row.seq, 0)
        self._counts[row.seq] = index + 1
        event_id = f"evt_{row.seq}_{index}"
        body = orjson.dumps(
            {
                "id": event_id,
                "type": made.type,
                "created_at": iso(row.at),
                "brand": brand.slug,
                "venue_id": made.venue_id,
                "data": made.data,
            }
        )
        self.events.append(
            {
                "id": event_id,
                "seq": row.seq,
                "brand_id": brand_id,
                "type": made.type,
                "venue_id": made.venue_id,
                "created_at": row.at,
                "body": body,
            }
        )
        self.deliveries += [
            {
                "subscription_id": subscription.id,
                "event_id": event_id,
                "ordering": made.key,
                "status": "pending",
                "attempts": 0,
                "next_at": row.at,
                "created_at": row.at,
            }
            for subscription in brand.subscriptions
            if made.type in subscription.events and subscription.created_at <= row.at
        ]


@dataclass
class Batch:
    """Events made from some log rows, to be stored: the rows, states and deliveries, as
    plain values (made by a read, stored by a short write)."""

    events: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    new_states: list[dict[str, Any]] = field(default_factory=list)
    changed_states: list[dict[str, Any]] = field(default_factory=list)

    def store(self, session: Session) -> None:
        """Multi-row inserts and updates: the write holds the database a short while. The
        events and deliveries, a row or more per change, go in by Direct executemany
        statements (`insert_rows`, the sender's named hot path: docs/performance.md,
        issue 19), a part of the ORM's bulk insert's cost."""
        insert_rows(session, _EVENTS, self.events)
        insert_rows(session, _DELIVERIES, self.deliveries)
        insert_rows(session, _STATES, self.new_states)
        if self.changed_states:
            session.execute(update(WebhookState), self.changed_states)


def make_events(session: Session, rows: list[LogRow], capture_tests: bool) -> Batch:
    """The events (and deliveries) of `rows`, to be stored (it only reads). `capture_tests`:
    a test brand's events are kept without a subscription (the sandbox's `events`)."""
    relevant = [r for r in rows if r.resource in WATCHED and r.brand_id is not None]
    brands = _brands(session, (r.brand_id for r in relevant if r.brand_id is not None))
    wanted = [
        r
        for r in relevant
        if r.brand_id in brands and brands[r.brand_id].wanted(capture_tests, r.at)
    ]
    keys: dict[int, set[str]] = {}
    new: dict[int, set[str]] = {}
    for row in wanted:
        if row.resource in _PER_ROW and row.brand_id is not None:
            key = f"{row.resource}:{row.record_id}"
            keys.setdefault(row.brand_id, set()).add(key)
            if row.kind == "insert":
                new.setdefault(row.brand_id, set()).add(key)
    states = _States(session, keys, new)
    rendered = _rendered(session, wanted)
    writer = _Writer()
    # Stop lists and the menu: one look per brand and batch, after its last such row.
    stop_rows: dict[int, LogRow] = {}
    menu_rows: dict[int, LogRow] = {}
    menu_changes: dict[int, dict[str, set[str] | None]] = {}
    for row in wanted:
        brand_id = row.brand_id
        assert brand_id is not None
        per_row = _PER_ROW.get(row.resource)
        if per_row is not None:
            data = rendered.get((row.resource, brand_id, str(row.record_id)))
            if data is None:
                continue  # gone since (a sandbox reset), or not one record: nothing to tell
            for made in per_row(states, row, brand_id, data):
                writer.store(brand_id, brands[brand_id], row, made)
        elif row.resource == "stop_list":
            stop_rows[brand_id] = row
        else:
            menu_rows[brand_id] = row
            tables = menu_changes.setdefault(brand_id, {})
            ids = tables.setdefault(row.resource, set())
            if ids is None or row.record_id is None:
                tables[row.resource] = None
            else:
                ids.add(row.record_id)
    for brand_id, row in stop_rows.items():
        for made in _stop_lists(session, states, brand_id):
            writer.store(brand_id, brands[brand_id], row, made)
    for brand_id, row in menu_rows.items():
        writer.store(brand_id, brands[brand_id], row, _menu(menu_changes[brand_id]))
    states_of = [
        {"brand_id": brand_id, "key": key, "value": value}
        for (brand_id, key), value in states.changed.items()
    ]
    return Batch(
        writer.events,
        writer.deliveries,
        [s for s in states_of if (s["brand_id"], s["key"]) not in states.stored],
        [s for s in states_of if (s["brand_id"], s["key"]) in states.stored],
    )
