"""The time and id formats the documented objects use."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from clopos.core.errors import bad_request

_ID = re.compile(r"^\d{1,18}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def iso(moment: datetime | None) -> str | None:
    """Catalogue objects: `2026-01-13T14:08:49.000000Z`."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def plain(moment: datetime | None) -> str | None:
    """Products and receipts: `2024-07-01 07:51:25` (UTC)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def unix_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def now_ms() -> int:
    return unix_ms(datetime.now(UTC))


def parse_id(raw: str) -> int:
    """A path id: a positive decimal integer, else 400 (never a 500 from the database)."""
    if not _ID.match(raw) or int(raw) == 0:
        raise bad_request("The 'id' parameter must be a positive integer")
    return int(raw)


def is_uuid(raw: str) -> bool:
    return _UUID.match(raw) is not None
