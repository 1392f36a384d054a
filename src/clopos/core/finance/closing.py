"""What closing a receipt does to the books, in the unit of work that closes it: each
payment's money onto its method's balance (in the venue's open cash shift, if any), or taken
from the customer's account when the method pays from it, and the taxes in its lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from clopos.core.finance import ledger, shifts, taxes
from clopos.core.finance.table import ReceiptTax
from clopos.core.receipts.table import Receipt, ReceiptProduct
from clopos.core.sales.table import PaymentMethod


def settle(
    session: Session,
    receipt: Receipt,
    payments: Sequence[tuple[PaymentMethod, float]],
    lines: list[ReceiptProduct],
    at: datetime,
) -> None:
    brand_id = receipt.brand_id
    shift_id = shifts.open_shift_id(session, brand_id, receipt.venue_id)
    receipt.cash_shift_id = shift_id
    moves = []
    for method, amount in payments:
        if ledger.pays_from_customer(method):
            # `pay` made sure the receipt has a customer.
            assert receipt.customer_id is not None
            balance_id = ledger.customer_account(session, brand_id, receipt.customer_id)
            amount = -amount
        else:
            balance_id = ledger.method_balance(session, brand_id, method)
        moves.append(
            ledger.Move(
                balance_id=balance_id,
                amount=amount,
                category_id=ledger.SALES,
                venue_id=receipt.venue_id,
                cash_shift_id=shift_id,
                receipt_id=receipt.id,
                customer_id=receipt.customer_id,
                payment_method_id=method.id,
            )
        )
    ledger.record(session, brand_id, moves, at)
    charged = taxes.charge(session, receipt, lines, at)
    if charged and not receipt.total_tax:
        # A terminal that sent its own tax figures keeps them.
        receipt.i_tax = charged
        receipt.total_tax = round(charged + receipt.e_tax, 2)


def unsettle(session: Session, brand_id: int, receipt_id: int, at: datetime) -> None:
    """A removed receipt: its payments refunded, its taxes no longer charged."""
    ledger.reverse_receipt(session, brand_id, receipt_id, at)
    session.execute(
        delete(ReceiptTax).where(
            ReceiptTax.brand_id == brand_id, ReceiptTax.receipt_id == receipt_id
        )
    )
