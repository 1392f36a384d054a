"""A day of realistic orders and receipts for a brand's venue, so that listings, filters and
reports have data: orders spread over the last hours, most accepted, cooked and paid, some
ignored, some cancelled in the kitchen, a few still waiting. Deterministic for a seed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.errors import Invalid
from clopos.core.orders import intake, life
from clopos.core.orders.draft import LineDraft, ModifierDraft, OrderDraft
from clopos.core.orders.table import Order
from clopos.core.products.table import Modifier, Product, ProductModifierGroup
from clopos.core.receipts.payments import Payment, close_receipt
from clopos.core.receipts.table import Receipt, ReceiptProduct
from clopos.core.receipts.venue_side import patch_receipt
from clopos.core.sales.table import PaymentMethod, SaleType
from clopos.core.sales.venues import active_at

NAMES = ("Aysel", "Rahid", "Leyla", "Murad", "Nigar", "Elvin", "Sevda", "Tural", "Kamala")
STREETS = ("Nizami", "Fuzuli", "Istiqlaliyyat", "Bulbul", "Rashid Behbudov", "Khagani")


def _menu(session: Session, brand_id: int) -> list[tuple[Product, list[Modifier]]]:
    products = list(
        session.scalars(
            select(Product).where(
                Product.brand_id == brand_id,
                Product.deleted_at.is_(None),
                Product.status == 1,
                Product.type.in_(("GOODS", "DISH", "MODIFICATION")),
                Product.price > 0,
            )
        )
    )
    links: dict[int, set[int]] = {}
    for product_id, group_id in session.execute(
        select(ProductModifierGroup.product_id, ProductModifierGroup.modifier_group_id).where(
            ProductModifierGroup.brand_id == brand_id
        )
    ):
        links.setdefault(product_id, set()).add(group_id)
    modifiers = list(
        session.scalars(
            select(Modifier).where(Modifier.brand_id == brand_id, Modifier.deleted_at.is_(None))
        )
    )
    return [
        (product, [m for m in modifiers if m.group_id in links.get(product.id, set())])
        for product in sorted(products, key=lambda p: p.id)
    ]


def demo_orders(
    session: Session,
    brand_id: int,
    count: int,
    *,
    venue_id: int = 1,
    seed: int = 1,
    hours: int = 12,
    now: datetime | None = None,
    prefix: str = "D-",
) -> dict[str, Any]:
    """Create `count` orders over the last `hours` hours and play the venue's answers
    (order numbers `<prefix>0001`...)."""
    rng = random.Random(seed)
    end = now or datetime.now(UTC)
    start = end - timedelta(hours=hours)
    menu = _menu(session, brand_id)
    sale_types = [
        s
        for s in session.scalars(
            select(SaleType).where(SaleType.brand_id == brand_id, SaleType.deleted_at.is_(None))
        )
        if active_at(s.status, venue_id)
    ]
    methods = [
        m
        for m in session.scalars(
            select(PaymentMethod).where(
                PaymentMethod.brand_id == brand_id, PaymentMethod.deleted_at.is_(None)
            )
        )
        if active_at(m.status, venue_id) and not m.customer_required
    ]
    if not menu or not sale_types or not methods:
        raise Invalid("the brand needs products, a sale type and a payment method at the venue")
    moments = sorted(start + (end - start) * rng.random() for _ in range(count))
    outcome = {"orders": 0, "closed": 0, "ignored": 0, "cancelled": 0, "pending": 0}
    for number, moment in enumerate(moments, start=1):
        lines: list[LineDraft] = []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            product, modifiers = rng.choice(menu)
            chosen = rng.sample(modifiers, k=min(len(modifiers), rng.choice((0, 0, 1))))
            lines.append(
                LineDraft(
                    product_id=product.id,
                    count=rng.choice((1, 1, 1, 2, 3)),
                    modifiers=[ModifierDraft(m.id, 1) for m in chosen],
                    where=str(len(lines)),
                )
            )
        sale_type = rng.choice(sale_types)
        discounted = rng.random() < 0.15
        name = rng.choice(NAMES)
        draft = OrderDraft(
            venue_id=venue_id,
            sale_type_id=sale_type.id,
            lines=lines,
            customer={
                "name": name,
                "phone": f"+99450{rng.randrange(10**7):07d}",
                "address": f"{rng.randrange(1, 200)} {rng.choice(STREETS)} St",
            },
            order_number=f"{prefix}{number:04d}",
            delivery_fee=2.5 if sale_type.system_type == "DELIVERY" else 0,
            discount_type=1 if discounted else 0,
            discount_value=10 if discounted else 0,
        )
        try:
            order, _ = intake.create_order(session, brand_id, venue_id, draft)
        except Invalid:  # the stop list, say: a guest who orders something else next time
            continue
        outcome["orders"] += 1
        _backdate(session, Order, brand_id, order["id"], moment)
        fate = rng.random()
        if moment > end - timedelta(minutes=10):  # the last few wait for the venue
            outcome["pending"] += 1
            continue
        if fate < 0.06:
            life.ignore_order(session, brand_id, order["id"])
            outcome["ignored"] += 1
            continue
        receipt_id = life.accept_order(session, brand_id, order["id"])["receipt_id"]
        _backdate(session, Receipt, brand_id, receipt_id, moment + timedelta(minutes=1))
        if fate < 0.1:
            patch_receipt(session, brand_id, receipt_id, {"order_status": "CANCELLED"})
            outcome["cancelled"] += 1
            continue
        for status in ("IN_PROGRESS", "READY", "COMPLETED"):
            patch_receipt(session, brand_id, receipt_id, {"order_status": status})
        receipt = session.get(Receipt, (brand_id, receipt_id))
        assert receipt is not None
        method = rng.choice(methods)
        closed_at = min(moment + timedelta(minutes=rng.randrange(8, 40)), end)
        # (never before the receipt opened: orders of the last 10 minutes stay pending)
        close_receipt(
            session,
            brand_id,
            receipt_id,
            [Payment(id=method.id, name=method.name, amount=receipt.total)],
            closed_at.strftime("%Y-%m-%d %H:%M:%S"),
        )
        outcome["closed"] += 1
    return outcome


def _backdate(
    session: Session, table: Any, brand_id: int, record_id: int, moment: datetime
) -> None:
    row = session.get(table, (brand_id, record_id))
    assert row is not None
    row.created_at = moment
    row.updated_at = moment
    if table is Receipt:
        for line in session.scalars(
            select(ReceiptProduct).where(
                ReceiptProduct.brand_id == brand_id, ReceiptProduct.receipt_id == record_id
            )
        ):
            line.created_at = line.updated_at = moment
    session.flush()
