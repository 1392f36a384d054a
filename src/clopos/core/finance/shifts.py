"""Cash shifts: a venue opens its till with the cash counted in the drawer and closes it with
the cash counted again. Receipts close into the venue's open shift; cash put in or taken out
during it moves the cash balance with the shift named."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clopos.core.errors import Invalid, conflict, not_found
from clopos.core.finance import ledger
from clopos.core.finance.reports import expected_cash, shift_report
from clopos.core.finance.table import Balance, CashShift
from clopos.core.receipts.pricing import money
from clopos.core.venues.table import Venue
from clopos.store.sequences import next_ids


def open_shift_id(session: Session, brand_id: int, venue_id: int) -> int | None:
    """The id of the venue's open shift, if one is open."""
    found = session.scalar(
        select(CashShift.id).where(
            CashShift.brand_id == brand_id,
            CashShift.venue_id == venue_id,
            CashShift.closed_at.is_(None),
        )
    )
    return None if found is None else int(found)


def open_shift(
    session: Session,
    brand_id: int,
    venue_id: int,
    *,
    amount: float = 0,
    by: str | None = None,
    at: datetime | None = None,
    description: str | None = None,
) -> CashShift:
    """Open the venue's till with `amount` in the drawer; a venue has one open shift."""
    venue = session.get(Venue, (brand_id, venue_id))
    if venue is None:
        raise not_found("Venue not found")
    if amount < 0:
        raise Invalid("the opening amount cannot be negative", error="validation_failed")
    if open_shift_id(session, brand_id, venue_id) is not None:
        raise conflict(f"Venue {venue_id} already has an open cash shift", "shift_open")
    moment = at or datetime.now(UTC)
    shift = CashShift(
        brand_id=brand_id,
        id=next_ids(session, brand_id, "cash_shifts"),
        cid=str(uuid.uuid4()),
        venue_id=venue_id,
        opened_at=moment,
        opened_by=by,
        opening_amount=money(amount),
        description=description,
        created_at=moment,
        updated_at=moment,
    )
    try:
        with session.begin_nested():  # a concurrent open of the same venue loses here
            session.add(shift)
    except IntegrityError:
        raise conflict(f"Venue {venue_id} already has an open cash shift", "shift_open") from None
    return shift


def close_shift(
    session: Session,
    brand_id: int,
    venue_id: int,
    *,
    amount: float | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> CashShift:
    """Close the venue's open shift with `amount` counted in the drawer (default: what the
    shift expects there)."""
    shift_id = open_shift_id(session, brand_id, venue_id)
    if shift_id is None:
        raise conflict(f"Venue {venue_id} has no open cash shift", "shift_closed")
    shift = session.get(CashShift, (brand_id, shift_id))
    assert shift is not None
    moment = at or datetime.now(UTC)
    if moment < shift.opened_at:
        raise Invalid("a shift cannot close before it opened", error="validation_failed")
    if amount is not None and amount < 0:
        raise Invalid("the closing amount cannot be negative", error="validation_failed")
    shift.closing_amount = money(
        expected_cash(session, brand_id, shift) if amount is None else amount
    )
    shift.closed_at = moment
    shift.closed_by = by
    shift.updated_at = moment
    session.flush()
    return shift


def cash_balance(session: Session, brand_id: int) -> int:
    """The brand's cash account: where cash put in or taken out goes."""
    found = session.scalar(
        select(Balance.id)
        .where(Balance.brand_id == brand_id, Balance.type == "CASH", Balance.deleted_at.is_(None))
        .order_by(Balance.position, Balance.id)
    )
    if found is None:
        raise Invalid("the brand has no CASH balance")
    return int(found)


def cash_move(
    session: Session,
    brand_id: int,
    venue_id: int,
    amount: float,
    *,
    description: str | None = None,
    at: datetime | None = None,
) -> int:
    """Put cash in the venue's drawer (`amount` > 0) or take it out (< 0) during its open
    shift; answers the transaction's id."""
    if money(amount) == 0:
        raise Invalid("the amount cannot be zero", error="validation_failed")
    shift_id = open_shift_id(session, brand_id, venue_id)
    if shift_id is None:
        raise conflict(f"Venue {venue_id} has no open cash shift", "shift_closed")
    move = ledger.Move(
        balance_id=cash_balance(session, brand_id),
        amount=amount,
        category_id=ledger.CASH_IN if amount > 0 else ledger.CASH_OUT,
        venue_id=venue_id,
        cash_shift_id=shift_id,
        description=description,
    )
    (written,) = ledger.record(session, brand_id, [move], at or datetime.now(UTC))
    session.flush()
    return int(written["id"])


def shift_answer(session: Session, shift: CashShift) -> dict[str, Any]:
    """A shift as the API shows it (its id a UUID)."""
    from clopos.core.finance.read import SHIFTS

    return dict(SHIFTS.one(session, shift.brand_id, shift.id))


def opened(
    session: Session,
    brand_id: int,
    venue_id: int,
    *,
    amount: float = 0,
    by: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """`open_shift`, answering the shift as the API shows it."""
    shift = open_shift(session, brand_id, venue_id, amount=amount, by=by, description=description)
    return shift_answer(session, shift)


def closed(
    session: Session,
    brand_id: int,
    venue_id: int,
    *,
    amount: float | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """`close_shift`, answering the shift (and its report) as the API shows them."""
    shift = close_shift(session, brand_id, venue_id, amount=amount, by=by)
    return {**shift_answer(session, shift), "report": shift_report(session, shift)}
