"""Where a sale type or payment method may be used: its venue map."""

from __future__ import annotations

from typing import Any


def active_at(status: dict[str, Any], venue_id: int) -> bool:
    """A sale type's or payment method's venue map (`{"1": 1, "2": 0}`): active at the venue
    if it says 1 there; an empty map means every venue."""
    return not status or int(status.get(str(venue_id), 0)) == 1
