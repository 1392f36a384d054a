"""One sender among every instance: the lease row (core/webhooks/lease.py), on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from clopos.core.webhooks import lease
from clopos.store.base import utcnow
from tests.webhooks.conftest import Venue


def _write(venue: Venue, fn: Any, *args: Any) -> Any:
    live = venue.server
    assert live._portal is not None
    return live._portal.call(live.state.db.write, fn, *args)


def test_one_sender_holds_the_lease_until_it_lapses_or_is_given_up(
    make_venue: Callable[..., Venue],
) -> None:
    venue = make_venue(webhook_lease_seconds=30)
    sender = venue.server.state.webhooks
    assert venue.server._portal is not None
    venue.server._portal.call(sender.round)
    assert sender.holding
    now = utcnow()
    # Another instance is refused while the lease runs...
    assert _write(venue, lease.take, "other-instance", now, 5) is None
    assert _write(venue, lease.advance, "other-instance", False) is None
    # ...and takes it over once it has lapsed (its holder died without giving it up).
    later = now + timedelta(seconds=31)
    taken = _write(venue, lease.take, "other-instance", later, 5)
    assert taken is not None
    # The first one finds it gone, and makes no events.
    assert _write(venue, lease.advance, sender.holder, False) is None
    _write(venue, lease.release, "other-instance")
    assert _write(venue, lease.take, sender.holder, utcnow(), 5) == taken
