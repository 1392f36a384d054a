"""Taxes a receipt is charged at closing: each line's product's taxes (active, and limited
to the receipt's sale type where a tax says so), included in the price the guest paid.

Closing a receipt is a named hot path (docs/performance.md, "Issue 20"): the taxes of its
lines' products are read in one statement compiled once, the charges inserted by
`insert_rows`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from clopos.core.finance.table import ReceiptTax
from clopos.core.products.table import ProductTax, Tax
from clopos.core.receipts.pricing import money
from clopos.core.receipts.table import ReceiptProduct
from clopos.store.uow import insert_rows

INCLUDED = 1

_PRODUCT_TAXES: Table = ProductTax.__table__  # type: ignore[assignment]
_TAXES: Table = Tax.__table__  # type: ignore[assignment]
_LINES: Table = ReceiptProduct.__table__  # type: ignore[assignment]
_RECEIPT_TAXES: Table = ReceiptTax.__table__  # type: ignore[assignment]

# The active taxes of a receipt's lines' products (parameters `brand_id`, `receipt_id`),
# unordered: read with the rest of what a close reads (core/receipts/payments.py).
OF_RECEIPT = (
    select(
        _PRODUCT_TAXES.c.product_id,
        _TAXES.c.id,
        _TAXES.c.name,
        _TAXES.c.rate,
        _TAXES.c.sale_type_ids,
        _TAXES.c.priority,
    )
    .select_from(_PRODUCT_TAXES)
    .join(
        _TAXES,
        (_TAXES.c.brand_id == _PRODUCT_TAXES.c.brand_id) & (_TAXES.c.id == _PRODUCT_TAXES.c.tax_id),
    )
    .where(
        _PRODUCT_TAXES.c.brand_id == bindparam("brand_id"),
        _PRODUCT_TAXES.c.product_id.in_(
            select(_LINES.c.product_id).where(
                _LINES.c.brand_id == bindparam("brand_id"),
                _LINES.c.receipt_id == bindparam("receipt_id"),
            )
        ),
        _TAXES.c.deleted_at.is_(None),
        _TAXES.c.status == 1,
    )
)


class Taxed(Protocol):
    """A receipt line as taxes see it: its product and what it came to."""

    @property
    def id(self) -> int: ...

    @property
    def product_id(self) -> int: ...

    @property
    def total(self) -> float: ...


@dataclass(frozen=True)
class Charge:
    """A tax a line is charged: on `taxable`, `amount` of it is the tax."""

    line_id: int
    product_id: int
    tax_id: int
    name: str
    rate: float
    taxable: float
    amount: float


def taxes_of(rows: Iterable[Any], sale_type_id: int | None) -> dict[int, list[Any]]:
    """Of `OF_RECEIPT`'s rows, the taxes that apply to the receipt's sale type, by product
    id, in the order they apply (by priority, then id)."""
    found: dict[int, list[Any]] = defaultdict(list)
    for tax in sorted(rows, key=lambda tax: (tax.priority, tax.id)):
        if not tax.sale_type_ids or sale_type_id in tax.sale_type_ids:
            found[tax.product_id].append(tax)
    return found


def charges(
    subtotal: float, total_discount: float, lines: Sequence[Taxed], taxes: dict[int, list[Any]]
) -> list[Charge]:
    """What each line is charged: a line is taxed on what it came to after its share of the
    receipt's discount."""
    share = (subtotal - total_discount) / subtotal if subtotal else 1
    found = []
    for line in lines:
        for tax in taxes.get(line.product_id, ()):
            if tax.rate > 0:
                taxable = money(line.total * share)
                amount = money(taxable * tax.rate / (100 + tax.rate))
                found.append(
                    Charge(line.id, line.product_id, tax.id, tax.name, tax.rate, taxable, amount)
                )
    return found


def charged(found: Sequence[Charge]) -> float:
    """What the charges come to."""
    return money(sum(charge.amount for charge in found))


def write(
    session: Session,
    brand_id: int,
    receipt_id: int,
    venue_id: int,
    found: Sequence[Charge],
    at: datetime,
    first_id: int,
) -> None:
    """Write a receipt's charges (`first_id`: the first of the `len(found)` ids taken for
    them)."""
    if not found:
        return
    insert_rows(
        session,
        _RECEIPT_TAXES,
        [
            {
                "brand_id": brand_id,
                "id": first_id + offset,
                "receipt_id": receipt_id,
                "receipt_product_id": charge.line_id,
                "product_id": charge.product_id,
                "tax_id": charge.tax_id,
                "venue_id": venue_id,
                "name": charge.name,
                "rate": charge.rate,
                "kind": INCLUDED,
                "taxable": charge.taxable,
                "amount": charge.amount,
                "operated_at": at,
            }
            for offset, charge in enumerate(found)
        ],
        by_record=False,  # followed by table and brand (caches), never one by one
    )
