"""Stock: what closing a receipt takes out of the brand's storage, and putting it back.

A sold product is deducted through its recipe (and a preparation in the recipe through its
own, per unit of its `net_output`); a product without a recipe is deducted itself if it is
stocked (GOODS, INGREDIENT). A modificator with an ingredient deducts `brutto` of it per
piece. Quantities may go below zero: a venue sells what it has not counted yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from clopos.core.formats import plain
from clopos.core.products.table import Modifier, Product, RecipeItem
from clopos.core.receipts.table import (
    ReceiptProduct,
    ReceiptProductModifier,
    Stock,
    StockOperation,
    Storage,
)
from clopos.store.sequences import next_ids, reserve_id

MAIN_STORAGE = "Main Storage"
STOCKED_ITSELF = frozenset({"GOODS", "INGREDIENT"})
_DEPTH = 4


def _insert(session: Session) -> Any:
    """The dialect's INSERT (for ON CONFLICT DO NOTHING)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def sale_storage(session: Session, brand_id: int, venue_id: int) -> Storage:
    """Where a venue's sales take stock from: its first storage, else the brand's storage
    id 1, created on first use (concurrent first uses make one)."""
    storage = session.scalars(
        select(Storage)
        .where(Storage.brand_id == brand_id, Storage.venue_id == venue_id)
        .order_by(Storage.id)
        .limit(1)
    ).first()
    if storage is not None:
        return storage
    storage = session.get(Storage, (brand_id, 1))
    if storage is None:
        session.execute(
            _insert(session)(Storage)
            .values(brand_id=brand_id, id=1, name=MAIN_STORAGE)
            .on_conflict_do_nothing(index_elements=[Storage.brand_id, Storage.id]),
            execution_options={"synchronize_session": False},
        )
        reserve_id(session, brand_id, "storages", 1)
        storage = session.get(Storage, (brand_id, 1))
        assert storage is not None
    return storage


def _recipes(session: Session, brand_id: int, dish_ids: set[int]) -> dict[int, list[RecipeItem]]:
    found: dict[int, list[RecipeItem]] = defaultdict(list)
    if dish_ids:
        for item in session.scalars(
            select(RecipeItem).where(
                RecipeItem.brand_id == brand_id, RecipeItem.dish_id.in_(dish_ids)
            )
        ):
            found[item.dish_id].append(item)
    return found


def products_of(session: Session, brand_id: int, ids: Iterable[int]) -> dict[int, Product]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.scalars(
        select(Product).where(Product.brand_id == brand_id, Product.id.in_(wanted))
    )
    return {product.id: product for product in rows}


def deductions(
    session: Session,
    brand_id: int,
    lines: list[ReceiptProduct],
    modifiers: list[ReceiptProductModifier],
) -> dict[tuple[int, int], float]:
    """`{(receipt_product_id, product_id): quantity}` a sale of `lines` takes from stock."""
    wanted: dict[tuple[int, int], float] = defaultdict(float)
    # (receipt product, product, quantity), expanded level by level through recipes.
    pending = [(line.id, line.product_id, line.count * line.portion_size) for line in lines]
    count_of = {line.id: line.count for line in lines}
    modifier_rows = {
        m.id: m
        for m in session.scalars(
            select(Modifier).where(
                Modifier.brand_id == brand_id,
                Modifier.id.in_({item.modifier_id for item in modifiers}),
            )
        )
    }
    for item in modifiers:
        modifier = modifier_rows.get(item.modifier_id)
        if modifier is not None and modifier.ingredient_id is not None and modifier.brutto:
            quantity = modifier.brutto * item.count * count_of.get(item.receipt_product_id, 1)
            pending.append((item.receipt_product_id, modifier.ingredient_id, quantity))
    for _ in range(_DEPTH):
        if not pending:
            break
        products = products_of(session, brand_id, (p for _, p, _ in pending))
        recipes = _recipes(session, brand_id, {p for _, p, _ in pending})
        following = []
        for line_id, product_id, quantity in pending:
            product = products.get(product_id)
            recipe = recipes.get(product_id)
            if recipe:
                preparation = product is not None and product.type == "PREPARATION"
                per = product.net_output if product is not None and preparation else None
                factor = quantity / per if per else quantity
                following += [(line_id, item.ingredient_id, item.gross * factor) for item in recipe]
            elif product is not None and product.type in STOCKED_ITSELF:
                wanted[(line_id, product_id)] += quantity
        pending = following
    return {key: round(value, 6) for key, value in wanted.items() if value}


def stock_rows(
    session: Session, brand_id: int, storage_id: int, products: dict[int, Product]
) -> dict[int, Stock]:
    """The stock rows of `products` in a storage, by product id, made at 0 where missing."""
    stocks = {
        stock.product_id: stock
        for stock in session.scalars(
            select(Stock).where(
                Stock.brand_id == brand_id,
                Stock.storage_id == storage_id,
                Stock.product_id.in_(products),
            )
        )
    }
    missing = [product_id for product_id in products if product_id not in stocks]
    if missing:
        # Concurrent first movements of a product each try to create its stock row: one does.
        first = next_ids(session, brand_id, "stocks", len(missing))
        session.execute(
            _insert(session)(Stock)
            .values(
                [
                    {
                        "brand_id": brand_id,
                        "id": first + offset,
                        "storage_id": storage_id,
                        "product_id": product_id,
                        "quantity": 0,
                        "cost": products[product_id].cost_price,
                    }
                    for offset, product_id in enumerate(missing)
                ]
            )
            .on_conflict_do_nothing(
                index_elements=[Stock.brand_id, Stock.storage_id, Stock.product_id]
            ),
            execution_options={"synchronize_session": False},
        )
        for stock in session.scalars(
            select(Stock).where(
                Stock.brand_id == brand_id,
                Stock.storage_id == storage_id,
                Stock.product_id.in_(missing),
            )
        ):
            stocks[stock.product_id] = stock
    return stocks


def deduct(
    session: Session,
    brand_id: int,
    receipt_id: int,
    lines: list[ReceiptProduct],
    modifiers: list[ReceiptProductModifier],
    at: datetime,
    venue_id: int,
) -> int:
    """Write the stock operations of a sale at `venue_id`; answers how many."""
    wanted = deductions(session, brand_id, lines, modifiers)
    if not wanted:
        return 0
    storage = sale_storage(session, brand_id, venue_id)
    products = products_of(session, brand_id, {product_id for _, product_id in wanted})
    stocks = stock_rows(session, brand_id, storage.id, products)
    first_operation = next_ids(session, brand_id, "stock_operations", len(wanted))
    for offset, ((line_id, product_id), quantity) in enumerate(sorted(wanted.items())):
        stock = stocks[product_id]
        after = move(session, brand_id, stock.id, -quantity)
        cost = products[product_id].cost_price
        session.add(
            StockOperation(
                brand_id=brand_id,
                id=first_operation + offset,
                receipt_id=receipt_id,
                receipt_product_id=line_id,
                product_id=product_id,
                stock_id=stock.id,
                storage_id=storage.id,
                quantity=quantity,
                before_quantity=round(after + quantity, 6),
                after_quantity=after,
                cost=cost,
                before_cost=stock.cost,
                total_cost=round(cost * quantity, 6),
                operated_at=at,
            )
        )
    return len(wanted)


def move(session: Session, brand_id: int, stock_id: int, change: float) -> float:
    """Add `change` to a stock level in one statement (concurrent sales add up); answers the
    new level."""
    result = session.execute(
        update(Stock)
        .where(Stock.brand_id == brand_id, Stock.id == stock_id)
        .values(quantity=Stock.quantity + change)
        .returning(Stock.quantity),
        execution_options={"synchronize_session": False},
    )
    return round(float(result.scalar_one()), 6)


def roll_back(session: Session, brand_id: int, receipt_id: int) -> int:
    """Put back what a receipt's stock operations took, and drop them; answers how many."""
    operations = list(
        session.scalars(
            select(StockOperation).where(
                StockOperation.brand_id == brand_id, StockOperation.receipt_id == receipt_id
            )
        )
    )
    for operation in operations:
        move(session, brand_id, operation.stock_id, operation.quantity)
    if operations:
        session.execute(
            delete(StockOperation).where(
                StockOperation.brand_id == brand_id, StockOperation.receipt_id == receipt_id
            )
        )
    return len(operations)


def operations_of(session: Session, brand_id: int, receipt_id: int) -> list[dict[str, Any]]:
    """The receipt's own deductions, with their product (even deleted) and storage."""
    operations = list(
        session.scalars(
            select(StockOperation)
            .where(StockOperation.brand_id == brand_id, StockOperation.receipt_id == receipt_id)
            .order_by(StockOperation.id)
        )
    )
    products = products_of(session, brand_id, {o.product_id for o in operations})
    storages = (
        {s.id: s.name for s in session.scalars(select(Storage).where(Storage.brand_id == brand_id))}
        if operations
        else {}
    )
    return [
        {
            "id": o.id,
            "receipt_id": o.receipt_id,
            "receipt_product_id": o.receipt_product_id,
            "product_id": o.product_id,
            "stock_id": o.stock_id,
            "storage_id": o.storage_id,
            "quantity": o.quantity,
            "before_quantity": o.before_quantity,
            "after_quantity": o.after_quantity,
            "cost": o.cost,
            "before_cost": o.before_cost,
            "total_cost": o.total_cost,
            "operated_at": plain(o.operated_at),
            "product": {
                "id": o.product_id,
                "name": products[o.product_id].name if o.product_id in products else "",
            },
            "stock": {
                "id": o.stock_id,
                "storage": {"id": o.storage_id, "name": storages.get(o.storage_id, "")},
            },
        }
        for o in operations
    ]
