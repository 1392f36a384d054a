"""A sandbox with history: the demo café's storages, suppliers and stock (initial stock, a
few supplies and some waste), and a few past days of cash shifts with their orders and
receipts, all played through the same order life and documents as anything else, so an
integrator's first read of a receipt, a shift or the stock ledger answers and adds up."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.finance import shifts
from clopos.core.finance.table import Balance
from clopos.core.inventory import documents, kinds
from clopos.core.inventory.documents import DocumentDraft, ItemDraft
from clopos.core.inventory.table import Operation
from clopos.core.orders.demo import demo_orders
from clopos.core.products.table import Product, Unit

SUPPLIERS = (
    ("Baku Coffee Roasters", "+994125550101", ("Coffee beans",)),
    ("Fresh Dairy LLC", "+994125550102", ("Whole milk", "Oat milk", "Lactose-free milk")),
    ("Caspian Bakery Supplies", "+994125550103", ("Flour", "Butter", "Eggs", "Sourdough loaf")),
)
# What a unit of each kind the café starts with (kilograms, litres, pieces).
START = {"WEIGHT": 10.0, "VOLUME": 20.0}
START_PIECES = 60.0


def demo_history(
    session: Session,
    brand_id: int,
    *,
    venue_id: int = 1,
    days: int = 3,
    orders_a_day: int = 6,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Seed the history once (a brand with inventory documents already has one)."""
    if session.scalar(select(Operation.id).where(Operation.brand_id == brand_id).limit(1)):
        return {"seeded": False}
    end = now or datetime.now(UTC)
    first_day = datetime.combine(end.date() - timedelta(days=days), time(7), UTC)
    main = documents.add_storage(session, brand_id, "Main Storage", venue_id)
    bar = documents.add_storage(session, brand_id, "Bar", venue_id)
    stocked = list(
        session.scalars(
            select(Product)
            .where(
                Product.brand_id == brand_id,
                Product.type.in_(("INGREDIENT", "GOODS")),
                Product.deleted_at.is_(None),
            )
            .order_by(Product.id)
        )
    )
    if not stocked:
        return {"seeded": False}
    by_name = {p.name: p for p in stocked}
    units = _unit_types(session, brand_id)
    documents.post_document(
        session,
        brand_id,
        DocumentDraft(
            type=kinds.INITIAL_STOCK,
            storage_id=main,
            items=[
                ItemDraft(p.id, START.get(units.get(p.unit_id or 0, ""), START_PIECES))
                for p in stocked
            ],
            description="Opening count",
            operated_at=first_day,
            by="demo",
        ),
    )
    cash = session.scalar(
        select(Balance.id).where(Balance.brand_id == brand_id, Balance.type == "CASH")
    )
    for offset, (name, phone, goods) in enumerate(SUPPLIERS):
        supplier = documents.add_supplier(session, brand_id, name, phone=phone)
        wanted = [by_name[g] for g in goods if g in by_name]
        if not wanted:
            continue
        documents.post_document(
            session,
            brand_id,
            DocumentDraft(
                type=kinds.IN,
                storage_id=main,
                supplier_id=supplier,
                items=[ItemDraft(p.id, 5) for p in wanted],
                balance_id=cash if offset == 0 else None,
                paid=50 if offset == 0 and cash is not None else 0,
                description=f"Weekly delivery from {name}",
                operated_at=first_day + timedelta(minutes=20 + offset),
                by="demo",
            ),
        )
    if "Whole milk" in by_name:
        documents.post_document(
            session,
            brand_id,
            DocumentDraft(
                type=kinds.TRANSFER,
                storage_id=main,
                to_storage_id=bar,
                items=[ItemDraft(by_name["Whole milk"].id, 4)],
                description="Milk for the bar fridge",
                operated_at=first_day + timedelta(minutes=40),
                by="demo",
            ),
        )
        documents.post_document(
            session,
            brand_id,
            DocumentDraft(
                type=kinds.WASTE,
                storage_id=main,
                items=[ItemDraft(by_name["Whole milk"].id, 1)],
                description="Past its date",
                operated_at=first_day + timedelta(hours=1),
                by="demo",
            ),
        )
    closed = 0
    for day in range(days, -1, -1):
        opens = datetime.combine(end.date() - timedelta(days=day), time(8), UTC)
        if not day:  # today's shift: opened a while ago, whatever the hour
            opens = min(opens, end - timedelta(hours=2))
        shifts.open_shift(session, brand_id, venue_id, amount=100, by="demo", at=opens)
        closes = min(opens + timedelta(hours=12), end)
        made = demo_orders(
            session,
            brand_id,
            orders_a_day,
            venue_id=venue_id,
            seed=day + 1,
            hours=max(1, int((closes - opens).total_seconds() // 3600) - 1),
            now=closes - timedelta(minutes=30),
            prefix=f"H{day}-",
        )
        closed += made["closed"]
        if day:  # today's shift stays open: receipts closed now go into it
            shifts.cash_move(
                session, brand_id, venue_id, -20, description="Change for the bank", at=closes
            )
            shifts.close_shift(session, brand_id, venue_id, by="demo", at=closes)
    return {"seeded": True, "receipts_closed": closed}


def _unit_types(session: Session, brand_id: int) -> dict[int, str]:
    return dict(session.execute(select(Unit.id, Unit.type).where(Unit.brand_id == brand_id)).all())
