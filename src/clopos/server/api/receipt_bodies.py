"""The receipt write bodies as the core's plain types: payments, a kitchen's patch, a
terminal's receipt and its change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clopos.core.receipts.payments import Payment
from clopos.core.receipts.terminal import TerminalChange, TerminalLine, TerminalReceipt
from clopos.schemas.receipts import PaymentIn, ReceiptCreate, ReceiptPatch, ReceiptUpdate


def payments(given: Sequence[PaymentIn]) -> list[Payment]:
    return [Payment(id=p.id, amount=p.amount, name=p.name) for p in given]


def patch_fields(body: ReceiptPatch) -> dict[str, Any]:
    """The fields the patch names (a `null` among them is refused by the core)."""
    return body.model_dump(exclude_unset=True)


def terminal_receipt(body: ReceiptCreate) -> TerminalReceipt:
    return TerminalReceipt(
        cid=str(body.cid),
        payments=payments(body.payment_methods),
        sale_type_id=body.sale_type_id,
        customer_id=body.customer_id,
        user_id=body.user_id,
        terminal_id=body.terminal_id,
        guests=body.guests,
        subtotal=body.subtotal,
        total=body.total,
        delivery_fee=body.delivery_fee,
        discount_type=body.discount_type,
        discount_value=body.discount_value,
        service_charge=body.service_charge,
        address=body.address,
        description=body.description,
        order_number=body.order_number,
        created_at=body.created_at,
        closed_at=body.closed_at,
        meta=body.meta,
        lines=[
            TerminalLine(
                product_id=line.product_id,
                count=line.count,
                portion_size=line.portion_size,
                price=line.price,
                is_gift=line.is_gift,
                cid=str(line.cid) if line.cid else None,
                meta=line.meta,
            )
            for line in body.receipt_products
        ],
    )


def terminal_change(body: ReceiptUpdate) -> TerminalChange:
    return TerminalChange(
        id=body.id,
        cid=str(body.cid),
        given=frozenset(body.model_fields_set),
        delivery_fee=body.delivery_fee,
        description=body.description,
        order_number=body.order_number,
        order_status=body.order_status,
        guests=body.guests,
        discount_rate=body.discount_rate,
        discount_type=body.discount_type,
        discount_value=body.discount_value,
        customer_id=body.customer_id,
        closed_at=body.closed_at,
        payments=None if body.payment_methods is None else payments(body.payment_methods),
        meta=body.meta,
    )
