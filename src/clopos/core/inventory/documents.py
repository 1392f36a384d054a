"""Inventory documents: posting one moves stock (a stock operation per item and storage, with
the quantities before and after) and, for a supply, what the brand owes the supplier, in
one unit of work. A draft moves nothing until it is published.

Types are the reference's numbers: 1 supply (IN), 3 transfer, 4 waste, 5 return, 7
production (MAKE), 9 inventory check, 10 supply return, 11 initial stock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clopos.core.errors import Invalid, conflict, not_found
from clopos.core.finance import ledger
from clopos.core.finance.table import Balance
from clopos.core.inventory.kinds import (
    DEPRECATED,
    DRAFT,
    IN,
    INITIAL_STOCK,
    INVENTORY_CHECK,
    PUBLISHED,
    RETURN,
    STATUSES,
    SUPPLY_RETURN,
    TRANSFER,
    TYPES,
    WASTE,
)
from clopos.core.inventory.table import Operation, OperationItem, Supplier
from clopos.core.products.table import RecipeItem
from clopos.core.receipts import stock
from clopos.core.receipts.pricing import money
from clopos.core.receipts.table import StockOperation, Storage
from clopos.core.venues.table import Venue
from clopos.store.sequences import next_ids


@dataclass(frozen=True)
class ItemDraft:
    """A document's line: `quantity` of a product (an inventory check: the count found),
    at `cost` a unit (default the product's cost price)."""

    product_id: int
    quantity: float
    cost: float | None = None


@dataclass(frozen=True)
class DocumentDraft:
    type: int
    storage_id: int
    items: Sequence[ItemDraft]
    to_storage_id: int | None = None
    supplier_id: int | None = None
    # A supply paid at once: from which balance, how much.
    balance_id: int | None = None
    paid: float = 0
    description: str | None = None
    status: int = PUBLISHED
    operated_at: datetime | None = None
    by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _invalid(message: str) -> Invalid:
    return Invalid(message, error="validation_failed")


def _check(session: Session, brand_id: int, draft: DocumentDraft) -> Supplier | None:
    if draft.type not in TYPES or draft.type in DEPRECATED:
        usable = ", ".join(f"{n} {name}" for n, name in TYPES.items() if n not in DEPRECATED)
        raise _invalid(f"type must be one of {usable}")
    if draft.status not in STATUSES:
        raise _invalid("status must be 1 (published) or 2 (draft)")
    if not draft.items:
        raise _invalid("a document needs at least one item")
    storages = [draft.storage_id] + ([draft.to_storage_id] if draft.to_storage_id else [])
    for storage_id in storages:
        if session.get(Storage, (brand_id, storage_id)) is None:
            raise not_found(f"Storage {storage_id} not found")
    if draft.type == TRANSFER and (draft.to_storage_id in (None, draft.storage_id)):
        raise _invalid("a transfer needs to_storage_id, another storage")
    if draft.type != TRANSFER and draft.to_storage_id is not None:
        raise _invalid("only a transfer has to_storage_id")
    supplier = None
    if draft.supplier_id is not None:
        supplier = session.get(Supplier, (brand_id, draft.supplier_id))
        if supplier is None or supplier.deleted_at is not None:
            raise not_found(f"Supplier {draft.supplier_id} not found")
    if draft.type in (IN, SUPPLY_RETURN) and supplier is None:
        raise _invalid("a supply names its supplier_id")
    if draft.paid < 0 or (draft.paid and (draft.type != IN or draft.balance_id is None)):
        raise _invalid("paid is for a supply, from a balance_id")
    if draft.balance_id is not None:
        balance = session.get(Balance, (brand_id, draft.balance_id))
        if balance is None or balance.type not in ("CASH", "BANK"):
            raise not_found(f"Balance {draft.balance_id} not found (a CASH or BANK account)")
    products = stock.products_of(session, brand_id, {item.product_id for item in draft.items})
    for index, item in enumerate(draft.items):
        if item.product_id not in products:
            raise _invalid(f"items.{index}.product_id: no product {item.product_id}")
        if item.quantity < 0 or (item.quantity == 0 and draft.type != INVENTORY_CHECK):
            raise _invalid(f"items.{index}.quantity must be positive")
        if item.cost is not None and item.cost < 0:
            raise _invalid(f"items.{index}.cost cannot be negative")
    return supplier


def post_document(session: Session, brand_id: int, draft: DocumentDraft) -> int:
    """Write an inventory document (and apply it, unless a draft); answers its id."""
    supplier = _check(session, brand_id, draft)
    products = stock.products_of(session, brand_id, {item.product_id for item in draft.items})
    moment = draft.operated_at or datetime.now(UTC)
    operation = Operation(
        brand_id=brand_id,
        id=next_ids(session, brand_id, "operations"),
        type=draft.type,
        status=draft.status,
        venue_id=session.get(Storage, (brand_id, draft.storage_id)).venue_id,  # type: ignore[union-attr]
        storage_id=draft.storage_id,
        to_storage_id=draft.to_storage_id,
        supplier_id=supplier.id if supplier else None,
        balance_id=draft.balance_id,
        paid=money(draft.paid),
        description=draft.description,
        operated_by=draft.by,
        operated_at=moment,
        created_at=moment,
        updated_at=moment,
    )
    session.add(operation)
    first = next_ids(session, brand_id, "operation_items", len(draft.items))
    total = 0.0
    for offset, item in enumerate(draft.items):
        cost = products[item.product_id].cost_price if item.cost is None else item.cost
        line_total = money(cost * item.quantity)
        total += line_total
        session.add(
            OperationItem(
                brand_id=brand_id,
                id=first + offset,
                operation_id=operation.id,
                product_id=item.product_id,
                quantity=item.quantity,
                cost=cost,
                total=line_total,
                created_at=moment,
                updated_at=moment,
            )
        )
    operation.total = money(total)
    session.flush()
    if draft.status == PUBLISHED:
        _apply(session, operation)
    return operation.id


def publish(session: Session, brand_id: int, operation_id: int) -> int:
    """A draft document published: it moves stock now."""
    operation = session.get(Operation, (brand_id, operation_id))
    if operation is None or operation.deleted_at is not None:
        raise not_found("Operation not found")
    # One statement: of two concurrent publishes, one finds the draft.
    changed = session.execute(  # type: ignore[attr-defined]
        update(Operation)
        .where(
            Operation.brand_id == brand_id,
            Operation.id == operation_id,
            Operation.status == DRAFT,
        )
        .values(status=PUBLISHED, updated_at=datetime.now(UTC)),
        execution_options={"synchronize_session": False},
    ).rowcount
    if not changed:
        raise conflict("The operation is already published", "operation_published")
    session.refresh(operation)
    _apply(session, operation)
    return operation.id


def _changes(session: Session, operation: Operation) -> list[tuple[int, int, float]]:
    """`(storage_id, product_id, change)` of each movement the document makes."""
    items = list(
        session.scalars(
            select(OperationItem)
            .where(
                OperationItem.brand_id == operation.brand_id,
                OperationItem.operation_id == operation.id,
            )
            .order_by(OperationItem.id)
        )
    )
    here = operation.storage_id
    kind = operation.type
    if kind in (IN, RETURN, INITIAL_STOCK):
        return [(here, i.product_id, i.quantity) for i in items]
    if kind in (WASTE, SUPPLY_RETURN):
        return [(here, i.product_id, -i.quantity) for i in items]
    if kind == TRANSFER:
        assert operation.to_storage_id is not None
        return [(here, i.product_id, -i.quantity) for i in items] + [
            (operation.to_storage_id, i.product_id, i.quantity) for i in items
        ]
    if kind == INVENTORY_CHECK:
        levels = stock.quantities(session, operation.brand_id, here, (i.product_id for i in items))
        return [(here, i.product_id, i.quantity - levels[i.product_id]) for i in items]
    # MAKE: the product made, its recipe's ingredients used (per unit of its net output).
    made = stock.products_of(session, operation.brand_id, {i.product_id for i in items})
    changes = [(here, i.product_id, i.quantity) for i in items]
    recipe = list(
        session.scalars(
            select(RecipeItem).where(
                RecipeItem.brand_id == operation.brand_id,
                RecipeItem.dish_id.in_({i.product_id for i in items}),
            )
        )
    )
    for item in items:
        per = made[item.product_id].net_output or 1
        changes += [
            (here, part.ingredient_id, -part.gross * item.quantity / per)
            for part in recipe
            if part.dish_id == item.product_id
        ]
    return changes


def _apply(session: Session, operation: Operation) -> None:
    brand_id = operation.brand_id
    changes = [
        (storage_id, product_id, round(change, 6))
        for storage_id, product_id, change in _changes(session, operation)
        if round(change, 6) != 0
    ]
    products = stock.products_of(session, brand_id, {product_id for _, product_id, _ in changes})
    costs = {product_id: product.cost_price for product_id, product in products.items()}
    movements = stock.apply(session, brand_id, changes, costs)
    first = next_ids(session, brand_id, "stock_operations", len(changes))
    for offset, ((storage_id, product_id, change), movement) in enumerate(
        zip(changes, movements, strict=True)
    ):
        cost = costs[product_id]
        session.add(
            StockOperation(
                brand_id=brand_id,
                id=first + offset,
                operation_id=operation.id,
                product_id=product_id,
                stock_id=movement.stock_id,
                storage_id=storage_id,
                quantity=round(abs(change), 6),
                before_quantity=movement.before,
                after_quantity=movement.after,
                cost=cost,
                before_cost=movement.cost,
                total_cost=round(cost * abs(change), 6),
                operated_at=operation.operated_at,
            )
        )
    _settle_supplier(session, operation)
    session.flush()


def _settle_supplier(session: Session, operation: Operation) -> None:
    """A supply: the brand owes the supplier its total (less what was paid at once); a
    supply return: the supplier owes it back."""
    if operation.type not in (IN, SUPPLY_RETURN) or operation.supplier_id is None:
        return
    supplier = session.get(Supplier, (operation.brand_id, operation.supplier_id))
    assert supplier is not None
    sign = -1 if operation.type == IN else 1
    supplier.spent = money(supplier.spent - sign * operation.total)
    account = supplier_balance(session, supplier)
    common = {
        "venue_id": operation.venue_id,
        "operation_id": operation.id,
        "supplier_id": supplier.id,
    }
    moves = [
        ledger.Move(
            balance_id=account,
            amount=sign * operation.total,
            category_id=ledger.SUPPLIES,
            description=f"{TYPES[operation.type]} #{operation.id}",
            **common,
        )
    ]
    if operation.paid and operation.balance_id is not None:
        moves += [
            ledger.Move(
                balance_id=operation.balance_id,
                amount=-operation.paid,
                category_id=ledger.SUPPLIER_PAYMENTS,
                description=f"Paid {supplier.name}",
                **common,
            ),
            ledger.Move(
                balance_id=account,
                amount=operation.paid,
                category_id=ledger.SUPPLIER_PAYMENTS,
                description=f"Paid {supplier.name}",
                **common,
            ),
        ]
    ledger.record(session, operation.brand_id, moves, operation.operated_at)


def supplier_balance(session: Session, supplier: Supplier) -> int:
    """The supplier's account, made with it."""
    if supplier.balance_id is not None:
        return supplier.balance_id
    balance = Balance(
        brand_id=supplier.brand_id,
        id=ledger.new_balance_id(session, supplier.brand_id),
        name=f"SUPPLIER: {supplier.name}",
        type="SUPPLIER",
        amount=0,
        supplier_id=supplier.id,
        movements=0,
    )
    session.add(balance)
    session.flush()
    supplier.balance_id = balance.id
    return balance.id


def add_supplier(
    session: Session,
    brand_id: int,
    name: str,
    *,
    phone: str | None = None,
    email: str | None = None,
    address: str | None = None,
    description: str | None = None,
) -> int:
    """A new supplier and its account; answers its id."""
    if not name.strip():
        raise _invalid("name is required")
    supplier = Supplier(
        brand_id=brand_id,
        id=next_ids(session, brand_id, "suppliers"),
        name=name.strip(),
        phone=phone,
        email=email,
        address=address,
        description=description,
    )
    session.add(supplier)
    session.flush()
    supplier_balance(session, supplier)
    session.flush()
    return supplier.id


def add_storage(session: Session, brand_id: int, name: str, venue_id: int | None) -> int:
    """A new storage at a venue; answers its id."""
    if not name.strip():
        raise _invalid("name is required")
    if venue_id is not None and session.get(Venue, (brand_id, venue_id)) is None:
        raise not_found("Venue not found")
    storage = Storage(
        brand_id=brand_id, id=next_ids(session, brand_id, "storages"), name=name, venue_id=venue_id
    )
    session.add(storage)
    session.flush()
    return storage.id


def posted(session: Session, brand_id: int, draft: DocumentDraft) -> dict[str, Any]:
    """`post_document`, answering the document as the API shows it."""
    from clopos.core.inventory.read import OPERATIONS

    return dict(OPERATIONS.one(session, brand_id, post_document(session, brand_id, draft)))


def published(session: Session, brand_id: int, operation_id: int) -> dict[str, Any]:
    """`publish`, answering the document as the API shows it."""
    from clopos.core.inventory.read import OPERATIONS

    return dict(OPERATIONS.one(session, brand_id, publish(session, brand_id, operation_id)))


def supplier_added(
    session: Session,
    brand_id: int,
    name: str,
    *,
    phone: str | None = None,
    email: str | None = None,
    address: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """`add_supplier`, answering the supplier as the API shows it."""
    from clopos.core.inventory.read import SUPPLIERS

    made = add_supplier(
        session, brand_id, name, phone=phone, email=email, address=address, description=description
    )
    return dict(SUPPLIERS.one(session, brand_id, made))


def storage_added(
    session: Session, brand_id: int, name: str, venue_id: int | None
) -> dict[str, Any]:
    """`add_storage`, answering the storage as the API shows it."""
    from clopos.core.inventory.read import STORAGES

    return dict(STORAGES.one(session, brand_id, add_storage(session, brand_id, name, venue_id)))
