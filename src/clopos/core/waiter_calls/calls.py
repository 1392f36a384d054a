"""A waiter call (reference 2.12): `table_id` an existing table, `type` `WAITER` or `PAY`; a
`PAY` call names the payment method the guest will use, one of the venue's cash or card
methods, and a `WAITER` call names none. Every refusal is a 400."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.errors import Invalid
from clopos.core.sales.table import PaymentMethod
from clopos.core.sales.venues import active_at
from clopos.core.waiter_calls.table import VenueTable, WaiterCall
from clopos.store.sequences import next_ids, reserve_id

CALL_TYPES = ("WAITER", "PAY")
# The accounts a bill may be settled to at the table: cash and card (a bank account).
TABLE_PAYMENTS = frozenset({"CASH", "BANK"})
DEMO_TABLES = 8


def _refused(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


def call_waiter(
    session: Session, brand_id: int, table_id: Any, kind: Any, payment_method: Any
) -> int:
    """Record a guest's call; answers its id."""
    if not isinstance(table_id, int) or isinstance(table_id, bool):
        raise _refused("table_id must be an integer")
    table = session.get(VenueTable, (brand_id, table_id))
    if table is None or table.status != 1:
        raise _refused("The selected table_id is invalid.")
    if kind not in CALL_TYPES:
        raise _refused("type must be WAITER or PAY")
    if kind == "WAITER" and payment_method is not None:
        raise _refused("payment_method must not be sent for a WAITER call")
    if kind == "PAY":
        if not isinstance(payment_method, int) or isinstance(payment_method, bool):
            raise _refused("payment_method is required for a PAY call")
        method = session.get(PaymentMethod, (brand_id, payment_method))
        usable = (
            method is not None
            and method.deleted_at is None
            and active_at(method.status, table.venue_id)
            and (method.balance or {}).get("type") in TABLE_PAYMENTS
        )
        if not usable:
            raise _refused("payment_method must be the venue's cash or card method")
    call = WaiterCall(
        brand_id=brand_id,
        id=next_ids(session, brand_id, "waiter_calls"),
        venue_id=table.venue_id,
        table_id=table.id,
        type=kind,
        payment_method_id=payment_method if kind == "PAY" else None,
    )
    session.add(call)
    session.flush()
    return call.id


def pending_calls(session: Session, brand_id: int, venue_id: int) -> list[dict[str, Any]]:
    """The venue's unanswered calls, oldest first (the venue's side)."""
    calls = session.scalars(
        select(WaiterCall)
        .where(
            WaiterCall.brand_id == brand_id,
            WaiterCall.venue_id == venue_id,
            WaiterCall.answered_at.is_(None),
        )
        .order_by(WaiterCall.id)
    )
    return [
        {
            "id": c.id,
            "table_id": c.table_id,
            "type": c.type,
            "payment_method_id": c.payment_method_id,
            "created_at": c.created_at.isoformat(),
        }
        for c in calls
    ]


def demo_tables(session: Session, brand_id: int, venue_id: int = 1) -> None:
    """The demo café's tables, ids 1..8 (once)."""
    if session.get(VenueTable, (brand_id, 1)) is not None:
        return
    for number in range(1, DEMO_TABLES + 1):
        session.add(
            VenueTable(brand_id=brand_id, id=number, venue_id=venue_id, name=f"T{number}", seats=4)
        )
    reserve_id(session, brand_id, "venue_tables", DEMO_TABLES)
    session.flush()
