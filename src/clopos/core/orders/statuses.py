"""Where the venue is with an order: PENDING until it accepts (RECEIVED) or declines
(IGNORE); DELIVERED once the receipt is paid. Free of the database's imports, so that the
CLI, the console and the wire schemas take this one definition."""

from __future__ import annotations

STATUSES = ("PENDING", "RECEIVED", "IGNORE", "DELIVERED")
