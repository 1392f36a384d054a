"""Inventory reads: storages, stock (and its per-product, per-category and summary views),
the stock movement ledger, inventory documents and their items, suppliers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from clopos.core.categories.table import Category
from clopos.core.errors import bad_request
from clopos.core.finance.table import Balance
from clopos.core.inventory.kinds import STATUSES, TYPES
from clopos.core.inventory.table import Operation, OperationItem, Supplier
from clopos.core.listing import ListSpec, Page, contains, int_choice, integers
from clopos.core.products.table import Product
from clopos.core.query import ListQuery, Paging
from clopos.core.readmodel import ReadModel
from clopos.core.receipts.pricing import money
from clopos.core.receipts.table import Stock, StockOperation, Storage
from clopos.core.records import Records, page_of
from clopos.schemas import inventory as wire

# --- storages ---------------------------------------------------------------------------

STORAGE_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Storage.id,
    sorts={"id": Storage.id, "name": Storage.name},
    filters={
        "id": integers(Storage.id),
        "venue_id": integers(Storage.venue_id),
        "name": contains(Storage.name),
    },
    named=frozenset({"venue_id"}),
)
STORAGE = ReadModel(Storage, wire.Storage)
STORAGES = Records(
    STORAGE,
    STORAGE_SPEC,
    select(Storage.id).where(Storage.brand_id == bindparam("brand_id")),
    "Storage not found",
)

# --- stock ------------------------------------------------------------------------------

STOCK_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Stock.id,
    sorts={"id": Stock.id, "quantity": Stock.quantity, "cost": Stock.cost},
    filters={
        "id": integers(Stock.id),
        "storage_id": integers(Stock.storage_id),
        "product_id": integers(Stock.product_id),
    },
    named=frozenset({"storage_id", "product_id"}),
)
STOCK = ReadModel(
    Stock,
    wire.Stock,
    computed={
        # Nothing holds stock back yet: documents move it when published, drafts never.
        "reserved": lambda row: 0,
        "total_cost": lambda row: money(row.quantity * row.cost),
    },
    inputs=("quantity", "cost"),
)
STOCKS = Records(
    STOCK,
    STOCK_SPEC,
    select(Stock.id).where(Stock.brand_id == bindparam("brand_id")),
    "Stock not found",
)
STOCK_SUMS = {"quantity": Stock.quantity, "total_cost": Stock.quantity * Stock.cost}


PRODUCT_STOCK_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Stock.product_id,
    sorts={"product_id": Stock.product_id},
    filters={"product_id": integers(Stock.product_id), "storage_id": integers(Stock.storage_id)},
    named=frozenset({"product_id", "storage_id"}),
)


def product_stock(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """`/stock/product`: each stocked product across storages (`product_id=N` for one)."""
    statement = select(Stock.product_id).where(
        Stock.brand_id == brand_id, *PRODUCT_STOCK_SPEC.conditions(query)
    )
    descending = bool(query.sorts) and query.sorts[0].descending
    product_ids = sorted(set(session.scalars(statement)), reverse=descending)
    chosen = product_ids[query.offset : query.offset + query.limit]
    names = dict(
        session.execute(
            select(Product.id, Product.name).where(
                Product.brand_id == brand_id, Product.id.in_(chosen)
            )
        ).all()
    )
    ids = list(
        session.scalars(
            select(Stock.id)
            .where(Stock.brand_id == brand_id, Stock.product_id.in_(chosen))
            .order_by(Stock.storage_id)
        )
    )
    by_product: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in STOCK.rendered(session, brand_id, ids):
        by_product[row["product_id"]].append(row)
    rows = [
        {
            "product_id": product_id,
            "name": names.get(product_id, ""),
            "quantity": round(sum(s["quantity"] for s in by_product[product_id]), 6),
            "total_cost": money(sum(s["total_cost"] for s in by_product[product_id])),
            "stocks": by_product[product_id],
        }
        for product_id in chosen
    ]
    return Page(rows, len(product_ids))


GROUP_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Product.category_id,
    sorts={
        "category_id": Product.category_id,
        "quantity": Stock.quantity,
        "total_cost": Stock.cost,
    },
    filters={"storage_id": integers(Stock.storage_id)},
    named=frozenset({"storage_id"}),
)


def group_stock(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """`/stock/product-group`: stock summed by the products' category."""
    statement = (
        select(
            Product.category_id,
            func.max(Category.name).label("name"),
            func.count(func.distinct(Stock.product_id)).label("products"),
            func.sum(Stock.quantity).label("quantity"),
            func.sum(Stock.quantity * Stock.cost).label("cost"),
        )
        .join(Product, (Product.brand_id == Stock.brand_id) & (Product.id == Stock.product_id))
        .outerjoin(
            Category,
            (Category.brand_id == Product.brand_id) & (Category.id == Product.category_id),
        )
        .where(Stock.brand_id == brand_id, *GROUP_SPEC.conditions(query))
        .group_by(Product.category_id)
        .order_by(Product.category_id)
    )
    rows = [
        {
            "category_id": row.category_id,
            "name": row.name,
            "products_count": int(row.products),
            "quantity": round(float(row.quantity or 0), 6),
            "total_cost": money(row.cost or 0),
        }
        for row in session.execute(statement)
    ]
    return page_of(rows, query)


def stock_info(session: Session, brand_id: int, query: ListQuery) -> dict[str, Any]:
    """`/stock/info`: how many storages and stocked products, how many below zero or below
    their product's low-stock mark, and what the stock is worth."""
    row = session.execute(
        select(
            func.count(func.distinct(Stock.product_id)).label("products"),
            func.coalesce(func.sum(case((Stock.quantity < 0, 1), else_=0)), 0).label("below"),
            func.coalesce(
                func.sum(
                    case(
                        (
                            Product.low_stock.is_not(None) & (Stock.quantity < Product.low_stock),
                            1,
                        ),
                        else_=0,
                    )
                ),
                0,
            ).label("low"),
            func.coalesce(func.sum(Stock.quantity * Stock.cost), 0).label("cost"),
        )
        .join(Product, (Product.brand_id == Stock.brand_id) & (Product.id == Stock.product_id))
        .where(Stock.brand_id == brand_id, *STOCK_SPEC.conditions(query))
    ).one()
    storages = session.scalar(select(func.count()).where(Storage.brand_id == brand_id))
    return {
        "storages_count": int(storages or 0),
        "products_count": int(row.products),
        "below_zero_count": int(row.below),
        "low_stock_count": int(row.low),
        "total_cost": money(row.cost),
    }


# --- stock operations -------------------------------------------------------------------

MOVEMENT_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=StockOperation.id,
    sorts={
        "id": StockOperation.id,
        "operated_at": StockOperation.operated_at,
        "quantity": StockOperation.quantity,
    },
    filters={
        "id": integers(StockOperation.id),
        "product_id": integers(StockOperation.product_id),
        "storage_id": integers(StockOperation.storage_id),
        "stock_id": integers(StockOperation.stock_id),
        "receipt_id": integers(StockOperation.receipt_id),
        "operation_id": integers(StockOperation.operation_id),
    },
    named=frozenset({"product_id", "storage_id", "receipt_id", "operation_id"}),
    date_column=StockOperation.operated_at,
    default_sort=((StockOperation.operated_at, True),),
)
MOVEMENT = ReadModel(StockOperation, wire.StockMovement, hidden=("note",))
MOVEMENTS = Records(
    MOVEMENT,
    MOVEMENT_SPEC,
    select(StockOperation.id).where(StockOperation.brand_id == bindparam("brand_id")),
    "Stock operation not found",
)
_CHANGE = StockOperation.after_quantity - StockOperation.before_quantity
MOVEMENT_SUMS = {
    "quantity_in": case((_CHANGE > 0, _CHANGE), else_=0),
    "quantity_out": case((_CHANGE < 0, -_CHANGE), else_=0),
    "total_cost": StockOperation.total_cost,
}


# Per product: the ledger's filters and dates, sorted by the sums' own fields.
PRODUCT_MOVES_SPEC = replace(
    MOVEMENT_SPEC,
    sorts={
        "product_id": StockOperation.product_id,
        "quantity_in": StockOperation.quantity,
        "quantity_out": StockOperation.quantity,
        "operations_count": StockOperation.id,
    },
    default_sort=(),
)


def product_movements(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """`/stock-operations/products`: per product, what came in and went out."""
    chosen = MOVEMENTS.template.where(*MOVEMENT_SPEC.conditions(query))
    sums: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"quantity_in": 0.0, "quantity_out": 0.0, "operations_count": 0}
    )
    for product_id, quantity_in, quantity_out, count in session.execute(
        select(
            StockOperation.product_id,
            func.sum(MOVEMENT_SUMS["quantity_in"]),
            func.sum(MOVEMENT_SUMS["quantity_out"]),
            func.count(),
        )
        .where(
            StockOperation.brand_id == brand_id,
            StockOperation.id.in_(chosen.scalar_subquery()),
        )
        .group_by(StockOperation.product_id)
        .order_by(StockOperation.product_id),
        {"brand_id": brand_id},
    ):
        sums[product_id] = {
            "quantity_in": round(float(quantity_in or 0), 6),
            "quantity_out": round(float(quantity_out or 0), 6),
            "operations_count": int(count),
        }
    names = dict(
        session.execute(
            select(Product.id, Product.name).where(
                Product.brand_id == brand_id, Product.id.in_(list(sums))
            )
        ).all()
    )
    rows = [
        {"product_id": product_id, "name": names.get(product_id, ""), **sums[product_id]}
        for product_id in sorted(sums)
    ]
    return page_of(rows, query)


# --- operations (inventory documents) ---------------------------------------------------

OPERATION_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Operation.id,
    sorts={
        "id": Operation.id,
        "operated_at": Operation.operated_at,
        "total": Operation.total,
        "created_at": Operation.created_at,
    },
    filters={
        "id": integers(Operation.id),
        "type": int_choice(Operation.type, tuple(TYPES)),
        "status": int_choice(Operation.status, tuple(STATUSES)),
        "storage_id": integers(Operation.storage_id),
        "supplier_id": integers(Operation.supplier_id),
        "venue_id": integers(Operation.venue_id),
    },
    named=frozenset({"type", "status", "storage_id", "supplier_id"}),
    date_column=Operation.operated_at,
    default_sort=((Operation.operated_at, True),),
)
OPERATION = ReadModel(
    Operation,
    wire.Operation,
    computed={"type_name": lambda row: TYPES.get(row.type, str(row.type))},
    inputs=("deleted_at",),
)
OPERATIONS = Records(
    OPERATION,
    OPERATION_SPEC,
    select(Operation.id).where(
        Operation.brand_id == bindparam("brand_id"), Operation.deleted_at.is_(None)
    ),
    "Operation not found",
)


OPERATION_SUMS = {"total": Operation.total}


STATUS_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Operation.status,
    sorts={"id": Operation.status, "name": Operation.status},
    filters={"id": int_choice(Operation.status, tuple(STATUSES))},
)


def statuses(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    """The documents' statuses (`filters[0][0]=id` keeps some)."""
    wanted = set(STATUSES)
    for item in query.filters:
        if item.field != "id":
            raise bad_request(f"{item.where}[0] must be id")
        values = (item.value,) if isinstance(item.value, str) else item.value
        if not all(v.strip() in {str(s) for s in STATUSES} for v in values):
            raise bad_request("id must be one of 1, 2")
        wanted &= {int(v) for v in values}
    rows = [{"id": status, "name": name} for status, name in STATUSES.items() if status in wanted]
    return page_of(rows, query)


ITEM_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=OperationItem.id,
    sorts={
        "id": OperationItem.id,
        "quantity": OperationItem.quantity,
        "total": OperationItem.total,
    },
    filters={
        "id": integers(OperationItem.id),
        "operation_id": integers(OperationItem.operation_id),
        "product_id": integers(OperationItem.product_id),
    },
    named=frozenset({"operation_id", "product_id"}),
    date_column=OperationItem.created_at,
)
ITEM = ReadModel(OperationItem, wire.OperationItem)
ITEMS = Records(
    ITEM,
    ITEM_SPEC,
    select(OperationItem.id).where(OperationItem.brand_id == bindparam("brand_id")),
    "Operation item not found",
)
ITEM_SUMS = {"total": OperationItem.total, "quantity": OperationItem.quantity}


def items_of(
    session: Session, brand_id: int, operation_id: int, query: ListQuery
) -> Page[dict[str, Any]]:
    """`/operations/{id}/items`."""
    OPERATIONS.one(session, brand_id, operation_id)
    chosen = ITEMS.template.where(OperationItem.operation_id == operation_id)
    found = Records(ITEM, ITEM_SPEC, chosen, ITEMS.missing)
    return found.page(session, brand_id, query)


# --- suppliers --------------------------------------------------------------------------

SUPPLIER_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=Supplier.id,
    sorts={
        "id": Supplier.id,
        "name": Supplier.name,
        "spent": Supplier.spent,
        "created_at": Supplier.created_at,
    },
    filters={
        "id": integers(Supplier.id),
        "name": contains(Supplier.name),
        "phone": contains(Supplier.phone),
    },
    date_column=Supplier.created_at,
)
_SUPPLIER_BALANCE = (
    select(func.coalesce(func.max(Balance.amount), 0))
    .where(Balance.brand_id == Supplier.brand_id, Balance.id == Supplier.balance_id)
    .scalar_subquery()
)
# The supplier's account amount is a fact of balances: a change there drops the renders.
SUPPLIER = ReadModel(
    Supplier, wire.Supplier, sources={"balance": _SUPPLIER_BALANCE}, inputs=("deleted_at",)
)
SUPPLIERS = Records(
    SUPPLIER,
    SUPPLIER_SPEC,
    select(Supplier.id).where(
        Supplier.brand_id == bindparam("brand_id"), Supplier.deleted_at.is_(None)
    ),
    "Supplier not found",
    also=("balances",),
)
SUPPLIER_SUMS = {"spent": Supplier.spent, "balance": _SUPPLIER_BALANCE}


# Every read model of inventory (the agreement test checks each).
MODELS = (STORAGE, STOCK, MOVEMENT, OPERATION, ITEM, SUPPLIER)
