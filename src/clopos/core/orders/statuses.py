"""Where the venue is with an order: PENDING until it accepts (RECEIVED) or declines
(IGNORE); DELIVERED once the receipt is paid; and how the sandbox venue answers new
orders. Free of the database's imports, so that the
CLI, the console and the wire schemas take this one definition."""

from __future__ import annotations

from typing import Literal, get_args

# The wire models take the `Literal`s (schemas/orders.py); everything else the tuples.
OrderStatus = Literal["PENDING", "RECEIVED", "IGNORE", "DELIVERED"]
STATUSES: tuple[str, ...] = get_args(OrderStatus)

# How the sandbox venue answers a new order: the operator decides, it accepts or declines
# at once, or it accepts after a delay (server/venue_side.py).
OrderMode = Literal["manual", "accept", "ignore", "accept-after"]
ORDER_MODES: tuple[str, ...] = get_args(OrderMode)
