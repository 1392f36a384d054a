"""Finished deliveries and their events are deleted after the retention; pending ones stay."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from clopos.core.access.brands import brand_id_of
from clopos.core.webhooks import deliveries
from clopos.store.base import utcnow
from tests.webhooks.conftest import Venue
from tests.webhooks.receiver import receiving


def test_finished_deliveries_are_pruned_and_pending_ones_kept(
    make_venue: Callable[..., Venue],
) -> None:
    venue = make_venue()
    live = venue.server
    assert live._portal is not None
    with receiving() as receiver:
        venue.subscribe(receiver.url, ["order.created"])
        first = venue.order()
        receiver.wait_type("order.created")
    # The receiver is gone: the next delivery fails and stays pending.
    venue.order()
    deadline = time.monotonic() + 15
    rows = venue.deliveries()
    while len(rows) < 2 or rows[0]["attempts"] == 0:
        assert time.monotonic() < deadline, rows
        time.sleep(0.05)
        rows = venue.deliveries()
    assert [r["status"] for r in rows] == ["pending", "delivered"]
    pruned = live._portal.call(live.state.db.write, deliveries.prune, utcnow() + timedelta(days=1))
    assert pruned == 1
    left = venue.deliveries()
    assert [r["status"] for r in left] == ["pending"]

    def events(session: Session) -> list[dict[str, Any]]:
        return deliveries.events(session, brand_id_of(session, "openapitest"), "order.created")

    kept = live._portal.call(live.state.db.read, events)
    assert first["id"] not in [event["data"]["id"] for event in kept]
    assert len(kept) == 1
