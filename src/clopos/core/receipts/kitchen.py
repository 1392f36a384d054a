"""The kitchen's side of a receipt: its statuses (the wire's `order_status`) and the moves
between them. Free of the database's imports, so that the CLI, the console and the wire schemas
take this one definition."""

from __future__ import annotations

from typing import Literal, get_args

from clopos.core.errors import Invalid

# The wire models take this `Literal` (schemas/receipts.py); everything else the tuple.
KitchenStatus = Literal[
    "NEW", "SCHEDULED", "IN_PROGRESS", "READY", "PICKED_UP", "COMPLETED", "CANCELLED"
]
KITCHEN_STATUSES: tuple[str, ...] = get_args(KitchenStatus)
CANCELLED: KitchenStatus = "CANCELLED"
# The statuses of an order still being made; past them it is ready to hand over.
COOKING: frozenset[str] = frozenset({"NEW", "SCHEDULED", "IN_PROGRESS"})

# What a kitchen lets an order go to next (staying put is always allowed).
TRANSITIONS: dict[str, frozenset[str]] = {
    "NEW": frozenset({"SCHEDULED", "IN_PROGRESS", "READY", "CANCELLED"}),
    "SCHEDULED": frozenset({"NEW", "IN_PROGRESS", "CANCELLED"}),
    "IN_PROGRESS": frozenset({"READY", "CANCELLED"}),
    "READY": frozenset({"IN_PROGRESS", "PICKED_UP", "COMPLETED", "CANCELLED"}),
    "PICKED_UP": frozenset({"COMPLETED"}),
    "COMPLETED": frozenset(),
    "CANCELLED": frozenset(),
}


def check_transition(current: str, wanted: str) -> None:
    if wanted != current and wanted not in TRANSITIONS.get(current, frozenset()):
        raise Invalid(
            f"order_status cannot change from {current} to {wanted}", error="validation_failed"
        )
