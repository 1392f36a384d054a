"""The receipt write bodies as the core's plain types: payments, a kitchen's patch, a
terminal's receipt and its change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from clopos.core.receipts.payments import Payment
from clopos.core.receipts.terminal import TerminalChange, TerminalLine, TerminalReceipt
from clopos.schemas.receipts import PaymentIn, ReceiptCreate, ReceiptPatch, ReceiptUpdate

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


def payments(given: Sequence[PaymentIn]) -> list[Payment]:
    return [Payment(id=p.id, amount=p.amount, name=p.name) for p in given]


def patch_fields(body: ReceiptPatch) -> dict[str, Any]:
    """The fields the patch names (a `null` among them is refused by the core)."""
    return body.model_dump(exclude_unset=True)


def _same_named(kind: type[T], body: BaseModel, **converted: Any) -> T:
    """A core dataclass from the body's fields of the same names (the dataclass is the list
    of them); `converted` gives those the core takes in another form."""
    taken = {f.name: getattr(body, f.name) for f in fields(kind) if f.name not in converted}
    return kind(**taken, **converted)


def terminal_receipt(body: ReceiptCreate) -> TerminalReceipt:
    return _same_named(
        TerminalReceipt,
        body,
        cid=str(body.cid),
        payments=payments(body.payment_methods),
        lines=[
            _same_named(TerminalLine, line, cid=str(line.cid) if line.cid else None)
            for line in body.receipt_products
        ],
    )


def terminal_change(body: ReceiptUpdate) -> TerminalChange:
    return _same_named(
        TerminalChange,
        body,
        cid=str(body.cid),
        given=frozenset(body.model_fields_set),
        payments=None if body.payment_methods is None else payments(body.payment_methods),
    )
