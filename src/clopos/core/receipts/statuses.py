"""A receipt's `status` on the wire: 1 while the venue works on it, 2 once paid and closed.
The one definition: the tables, the schemas and the client take it from here."""

from __future__ import annotations

from enum import IntEnum


class ReceiptStatus(IntEnum):
    OPEN = 1
    CLOSED = 2
