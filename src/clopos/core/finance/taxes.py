"""Taxes a receipt is charged at closing: each line's product's taxes (active, and limited
to the receipt's sale type where a tax says so), included in the price the guest paid."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.finance.table import ReceiptTax
from clopos.core.products.table import ProductTax, Tax
from clopos.core.receipts.pricing import money
from clopos.core.receipts.table import Receipt, ReceiptProduct
from clopos.store.sequences import next_ids

INCLUDED = 1


def charge(session: Session, receipt: Receipt, lines: list[ReceiptProduct], at: datetime) -> float:
    """Write the taxes in `receipt`'s lines; answers their sum. A line is taxed on what it
    came to after its share of the receipt's discount."""
    brand_id = receipt.brand_id
    product_ids = {line.product_id for line in lines}
    if not product_ids:
        return 0.0
    taxes_of: dict[int, list[Tax]] = defaultdict(list)
    for product_id, tax in session.execute(
        select(ProductTax.product_id, Tax)
        .join(Tax, (Tax.brand_id == ProductTax.brand_id) & (Tax.id == ProductTax.tax_id))
        .where(
            ProductTax.brand_id == brand_id,
            ProductTax.product_id.in_(product_ids),
            Tax.deleted_at.is_(None),
            Tax.status == 1,
        )
        .order_by(Tax.priority, Tax.id)
    ):
        if not tax.sale_type_ids or receipt.sale_type_id in tax.sale_type_ids:
            taxes_of[product_id].append(tax)
    share = (
        (receipt.subtotal - receipt.total_discount) / receipt.subtotal if receipt.subtotal else 1
    )
    charged = [
        (line, tax, money(line.total * share))
        for line in lines
        for tax in taxes_of.get(line.product_id, ())
        if tax.rate > 0
    ]
    if not charged:
        return 0.0
    first = next_ids(session, brand_id, "receipt_taxes", len(charged))
    total = 0.0
    for offset, (line, tax, taxable) in enumerate(charged):
        amount = money(taxable * tax.rate / (100 + tax.rate))
        total += amount
        session.add(
            ReceiptTax(
                brand_id=brand_id,
                id=first + offset,
                receipt_id=receipt.id,
                receipt_product_id=line.id,
                product_id=line.product_id,
                tax_id=tax.id,
                venue_id=receipt.venue_id,
                name=tax.name,
                rate=tax.rate,
                kind=INCLUDED,
                taxable=taxable,
                amount=amount,
                operated_at=at,
            )
        )
    return money(total)
