"""Stations: where orders print (kitchen, bar)."""

from __future__ import annotations

from clopos.schemas.common import WireModel


class Station(WireModel):
    """v2 shape (`type`, `printable`) plus v1's `can_print`, `reminder_enabled`, `description`."""

    id: int
    name: str
    status: int = 1
    type: int = 1
    printable: int = 1
    can_print: bool = True
    reminder_enabled: bool = False
    description: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
