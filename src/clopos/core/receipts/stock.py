"""Stock: what closing a receipt takes out of the brand's storage, and putting it back.

A sold product is deducted through its recipe (and a preparation in the recipe through its
own, per unit of its `net_output`); a product without a recipe is deducted itself if it is
stocked (GOODS, INGREDIENT). A modificator with an ingredient deducts `brutto` of it per
piece. Quantities may go below zero: a venue sells what it has not counted yet.

Closing a receipt is a named hot path (docs/performance.md, "Issue 20"): what it needs is
read in one statement compiled once (`RecipeTree`: the products its lines and modificators
reach through recipes, with their recipes), and levels move by `apply`, one statement per
stock row. Every writer of stock (closes, their undoing, inventory documents) moves its
rows through `apply`, in one order (storage, then product): concurrent writers queue on a
row they share and never wait for each other in a circle (PostgreSQL's row locks).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import (
    ARRAY,
    BigInteger,
    BindParameter,
    Float,
    Select,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal_column,
    select,
    union,
    update,
)
from sqlalchemy.orm import Session

from clopos.core.chains import chained, rests_by_row
from clopos.core.formats import plain
from clopos.core.products.table import Modifier, Product, RecipeItem
from clopos.core.readmodel import in_parameters, in_size, in_values
from clopos.core.receipts.table import (
    ReceiptProduct,
    ReceiptProductModifier,
    Stock,
    StockOperation,
    Storage,
)
from clopos.store.base import dialect_insert
from clopos.store.direct import Direct
from clopos.store.moves import ByFunction, Follows, Move, rounded
from clopos.store.sequences import next_ids, reserve_id
from clopos.store.uow import connection_of, hold_move, insert_rows, update_rows

MAIN_STORAGE = "Main Storage"
STOCKED_ITSELF = frozenset({"GOODS", "INGREDIENT"})
_DEPTH = 4

_PRODUCTS: Table = Product.__table__  # type: ignore[assignment]
_RECIPES: Table = RecipeItem.__table__  # type: ignore[assignment]
_MODIFIERS: Table = Modifier.__table__  # type: ignore[assignment]
_LINES: Table = ReceiptProduct.__table__  # type: ignore[assignment]
_LINE_MODIFIERS: Table = ReceiptProductModifier.__table__  # type: ignore[assignment]
_STOCKS: Table = Stock.__table__  # type: ignore[assignment]
_STORAGES: Table = Storage.__table__  # type: ignore[assignment]
_OPERATIONS: Table = StockOperation.__table__  # type: ignore[assignment]


# --- what a sale takes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Stocked:
    """A product as stock sees it: its type, what its recipe makes (a preparation's
    `net_output`), its cost a unit."""

    type: str
    net_output: float | None
    cost_price: float


@dataclass(frozen=True)
class RecipeTree:
    """The products a receipt's sale reaches: `products` by id, `recipes` their recipes'
    `(ingredient_id, gross)` items (none for a product without one), and which of them
    have a level in the storage the sale takes stock from (`stocked`)."""

    products: dict[int, Stocked]
    recipes: dict[int, list[tuple[int, float]]]
    stocked: set[int]


def modificators_taking_stock(*columns: Any) -> Select[Any]:
    """`columns` of a receipt's line modificators (`ReceiptProductModifier`) joined to their
    modificators (`Modifier`: `ingredient_id`, `brutto`) that take an ingredient from stock;
    the receipt is named by the parameters `brand_id` and `receipt_id`."""
    return (
        select(*columns)
        .select_from(_LINE_MODIFIERS)
        .join(
            _MODIFIERS,
            (_MODIFIERS.c.brand_id == _LINE_MODIFIERS.c.brand_id)
            & (_MODIFIERS.c.id == _LINE_MODIFIERS.c.modifier_id),
        )
        .where(
            _LINE_MODIFIERS.c.brand_id == bindparam("brand_id"),
            _LINE_MODIFIERS.c.receipt_id == bindparam("receipt_id"),
            _MODIFIERS.c.ingredient_id.is_not(None),
        )
    )


def recipe_tree_read(storage: Any) -> Select[Any]:
    """What a receipt's sale reaches through recipes (its lines as stored), to read with the
    rest of what a close reads (core/receipts/payments.py): the lines' products and the
    modificators' ingredients of receipt `receipt_id` of brand `brand_id` (parameters),
    then the ingredients of their recipes, `_DEPTH` levels down (the levels `deductions`
    looks at), each with its recipe's items (one row per item, one with no item for a
    product without a recipe) and its level's id in `storage` (an SQL expression; NULL: the
    storage is not made yet), if it has one (unordered)."""
    brand: BindParameter[int] = bindparam("brand_id")
    receipt: BindParameter[int] = bindparam("receipt_id")
    seeds = union(
        select(_LINES.c.product_id.label("product_id"), literal_column("0").label("depth")).where(
            _LINES.c.brand_id == brand, _LINES.c.receipt_id == receipt
        ),
        modificators_taking_stock(_MODIFIERS.c.ingredient_id, literal_column("0")),
    ).subquery("sold")
    # (SQLAlchemy makes a recursive CTE of a SELECT: the union is its one source.)
    sold = select(seeds.c.product_id, seeds.c.depth).cte("tree", recursive=True)
    tree = sold.union(
        select(_RECIPES.c.ingredient_id, sold.c.depth + 1).where(
            _RECIPES.c.brand_id == brand,
            _RECIPES.c.dish_id == sold.c.product_id,
            sold.c.depth < _DEPTH - 1,
        )
    )
    return (
        select(
            _PRODUCTS.c.id,
            _PRODUCTS.c.type,
            _PRODUCTS.c.net_output,
            _PRODUCTS.c.cost_price,
            _RECIPES.c.ingredient_id,
            _RECIPES.c.gross,
            _STOCKS.c.id.label("level"),
        )
        .select_from(_PRODUCTS)
        .outerjoin(
            _RECIPES,
            and_(_RECIPES.c.brand_id == _PRODUCTS.c.brand_id, _RECIPES.c.dish_id == _PRODUCTS.c.id),
        )
        .outerjoin(
            _STOCKS,
            and_(
                _STOCKS.c.brand_id == _PRODUCTS.c.brand_id,
                _STOCKS.c.storage_id == storage,
                _STOCKS.c.product_id == _PRODUCTS.c.id,
            ),
        )
        .where(_PRODUCTS.c.brand_id == brand, _PRODUCTS.c.id.in_(select(tree.c.product_id)))
    )


def recipe_tree(rows: Iterable[Any]) -> RecipeTree:
    """The tree `recipe_tree_read`'s rows say."""
    products: dict[int, Stocked] = {}
    recipes: dict[int, list[tuple[int, float]]] = defaultdict(list)
    stocked: set[int] = set()
    for row in rows:
        products[row.id] = Stocked(row.type, row.net_output, row.cost_price)
        if row.ingredient_id is not None:
            recipes[row.id].append((row.ingredient_id, row.gross))
        if row.level is not None:
            stocked.add(row.id)
    return RecipeTree(products, dict(recipes), stocked)


class Sold(Protocol):
    """A receipt line as a sale takes stock: `count` of `portion_size` of a product."""

    @property
    def id(self) -> int: ...

    @property
    def product_id(self) -> int: ...

    @property
    def count(self) -> float: ...

    @property
    def portion_size(self) -> float: ...


class SoldModifier(Protocol):
    """A modificator on a line (`receipt_product_id`): `count` pieces, each `brutto` of its
    ingredient."""

    @property
    def receipt_product_id(self) -> int: ...

    @property
    def count(self) -> float: ...

    @property
    def ingredient_id(self) -> int: ...

    @property
    def brutto(self) -> float: ...


def deductions(
    lines: Sequence[Sold], modifiers: Sequence[SoldModifier], tree: RecipeTree
) -> dict[tuple[int, int], float]:
    """`{(receipt_product_id, product_id): quantity}` a sale of `lines` takes from stock."""
    wanted: dict[tuple[int, int], float] = defaultdict(float)
    # (receipt product, product, quantity), expanded level by level through recipes.
    pending = [(line.id, line.product_id, line.count * line.portion_size) for line in lines]
    count_of = {line.id: line.count for line in lines}
    for item in modifiers:
        if item.brutto:
            quantity = item.brutto * item.count * count_of.get(item.receipt_product_id, 1)
            pending.append((item.receipt_product_id, item.ingredient_id, quantity))
    for _ in range(_DEPTH):
        if not pending:
            break
        following = []
        for line_id, product_id, quantity in pending:
            product = tree.products.get(product_id)
            recipe = tree.recipes.get(product_id)
            if recipe:
                preparation = product is not None and product.type == "PREPARATION"
                per = product.net_output if product is not None and preparation else None
                factor = quantity / per if per else quantity
                following += [(line_id, ingredient, gross * factor) for ingredient, gross in recipe]
            elif product is not None and product.type in STOCKED_ITSELF:
                wanted[(line_id, product_id)] += quantity
        pending = following
    return {key: round(value, 6) for key, value in wanted.items() if value}


# --- where a venue's sales take stock from --------------------------------------------------


def sale_storage_of(brand_id: Any, venue_id: Any) -> Any:
    """Where a venue's sales take stock from, as an SQL expression: its first storage, else
    the brand's storage id 1 (NULL: neither is there; `sale_storage` makes storage 1)."""
    first = (
        select(_STORAGES.c.id)
        .where(_STORAGES.c.brand_id == brand_id, _STORAGES.c.venue_id == venue_id)
        .order_by(_STORAGES.c.id)
        .limit(1)
        .scalar_subquery()
    )
    main = (
        select(_STORAGES.c.id)
        .where(_STORAGES.c.brand_id == brand_id, _STORAGES.c.id == 1)
        .scalar_subquery()
    )
    return func.coalesce(first, main)


def sale_storage(session: Session, brand_id: int, found: int | None) -> int:
    """Where a venue's sales take stock from: `found` (`sale_storage_of`), else storage 1
    created now (concurrent first uses make one)."""
    if found is not None:
        return found
    session.execute(
        dialect_insert(session)(Storage)
        .values(brand_id=brand_id, id=1, name=MAIN_STORAGE)
        .on_conflict_do_nothing(index_elements=[Storage.brand_id, Storage.id]),
        execution_options={"synchronize_session": False},
    )
    reserve_id(session, brand_id, "storages", 1)
    return 1


def products_of(session: Session, brand_id: int, ids: Iterable[int]) -> dict[int, Product]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.scalars(
        select(Product).where(Product.brand_id == brand_id, Product.id.in_(wanted))
    )
    return {product.id: product for product in rows}


def quantities(
    session: Session, brand_id: int, storage_id: int, product_ids: Iterable[int]
) -> dict[int, float]:
    """The stock levels of `product_ids` in a storage, by product id (0 where it has none)."""
    wanted = set(product_ids)
    found = session.execute(
        select(Stock.product_id, Stock.quantity).where(
            Stock.brand_id == brand_id,
            Stock.storage_id == storage_id,
            Stock.product_id.in_(wanted),
        )
    )
    levels = dict.fromkeys(wanted, 0.0)
    levels.update({product_id: quantity for product_id, quantity in found})
    return levels


# --- moving levels ------------------------------------------------------------------------------


@functools.cache
def _moving(size: int) -> Direct:
    """Levels of products `p0...` in a storage moved by `c0...`, in one statement; their
    rows locked in product order first (PostgreSQL: two writers never wait for each other
    in a circle). A move held to the commit's statement is made by `_MOVING_SHARED`."""
    products = [bindparam(f"p{index}", type_=BigInteger) for index in range(size)]
    # Cast: PostgreSQL gives a CASE of untyped parameters the type text.
    changes = [cast(bindparam(f"c{index}", type_=Float), Float) for index in range(size)]
    level = _STOCKS.alias("level")
    locked = (
        select(level.c.id)
        .where(
            level.c.brand_id == bindparam("brand_id"),
            level.c.storage_id == bindparam("storage_id"),
            level.c.product_id.in_(products),
        )
        .order_by(level.c.product_id)
        .with_for_update()
        .subquery("locked")
    )
    change = case(*((_STOCKS.c.product_id == p, c) for p, c in zip(products, changes, strict=True)))
    return Direct(
        update(_STOCKS)
        .where(_STOCKS.c.brand_id == bindparam("brand_id"), _STOCKS.c.id == locked.c.id)
        .values(quantity=_STOCKS.c.quantity + change)
        .returning(_STOCKS.c.id, _STOCKS.c.product_id, _STOCKS.c.quantity, _STOCKS.c.cost)
    )


@functools.cache
def _levels(size: int) -> Direct:
    """Which of products `p0...` have a level in a storage."""
    return Direct(
        select(_STOCKS.c.product_id).where(
            _STOCKS.c.brand_id == bindparam("brand_id"),
            _STOCKS.c.storage_id == bindparam("storage_id"),
            in_parameters(_STOCKS.c.product_id, "p", size),
        )
    )


def _make_levels(
    session: Session, brand_id: int, storage_id: int, costs: Mapping[int, float]
) -> None:
    """Products' stock rows in a storage, at 0 with their `costs` (concurrent first
    movements of a product each try to make its row: one does)."""
    first = next_ids(session, brand_id, "stocks", len(costs))
    session.execute(
        dialect_insert(session)(Stock)
        .values(
            [
                {
                    "brand_id": brand_id,
                    "id": first + offset,
                    "storage_id": storage_id,
                    "product_id": product_id,
                    "quantity": 0,
                    "cost": cost,
                }
                for offset, (product_id, cost) in enumerate(sorted(costs.items()))
            ]
        )
        .on_conflict_do_nothing(
            index_elements=[Stock.brand_id, Stock.storage_id, Stock.product_id]
        ),
        execution_options={"synchronize_session": False},
    )


@dataclass(frozen=True)
class Moved:
    """One change applied: the stock row, its quantity before and after, its cost then."""

    stock_id: int
    before: float
    after: float
    cost: float


def _quantity(value: float) -> float:
    return round(value, 6)


def apply(
    session: Session,
    brand_id: int,
    changes: Sequence[tuple[int, int, float]],
    costs: Mapping[int, float],
    stocked: Collection[tuple[int, int]] | None = None,
) -> list[Moved]:
    """Apply `(storage_id, product_id, change)`s to stock levels; answers each change's
    movement, in `changes`' order. A missing level is made first, at 0 with the product's
    cost from `costs` (`stocked`: the (storage, product) levels known to be there; None:
    looked for). Then each storage's levels move in one statement, storages in id order
    and levels in product order; the changes of one level chain in their order (each
    one's `after` the next one's `before`)."""
    by_level, by_storage = _levels_of(changes)
    _make_missing(session, brand_id, by_storage, costs, stocked)
    moved: dict[int, Moved] = {}
    for storage_id, products in sorted(by_storage.items()):
        statement, values = _move_of(brand_id, storage_id, products, by_level, changes)
        # Levels are followed by table and brand (caches), never one by one.
        rows = update_rows(session, statement, values, by_record=False)
        if len(rows) != len(products):  # levels are never removed but with their brand
            raise RuntimeError(f"stock levels of storage {storage_id} went missing")
        for row in rows:
            # The last change ends at the row's new level; each earlier one before.
            indices = by_level[(storage_id, row.product_id)]
            steps = chained(
                round(float(row.quantity), 6), [changes[i][2] for i in indices], _quantity
            )
            for index, (before, after) in zip(indices, steps, strict=True):
                moved[index] = Moved(row.id, before, after, row.cost)
    return [moved[index] for index in range(len(changes))]


def _levels_of(
    changes: Sequence[tuple[int, int, float]],
) -> tuple[dict[tuple[int, int], list[int]], dict[int, list[int]]]:
    """`changes`' indices by (storage, product) level, and each storage's products in
    order."""
    by_level: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, (storage_id, product_id, _change) in enumerate(changes):
        by_level[(storage_id, product_id)].append(index)
    by_storage: dict[int, list[int]] = defaultdict(list)
    for storage_id, product_id in sorted(by_level):
        by_storage[storage_id].append(product_id)
    return by_level, by_storage


def _make_missing(
    session: Session,
    brand_id: int,
    by_storage: Mapping[int, list[int]],
    costs: Mapping[int, float],
    stocked: Collection[tuple[int, int]] | None,
) -> None:
    """The levels of `by_storage` that are not there, made (see `apply`)."""
    connection = connection_of(session)
    for storage_id, products in sorted(by_storage.items()):
        if stocked is None:
            size = in_size(len(products))
            looked = {"brand_id": brand_id, "storage_id": storage_id}
            looked.update(in_values("p", products, size))
            there = {row.product_id for row in _levels(size).rows(connection, looked)}
        else:
            there = {product for storage, product in stocked if storage == storage_id}
        missing = {p: costs[p] for p in products if p not in there}
        if missing:
            _make_levels(session, brand_id, storage_id, missing)


def _move_of(
    brand_id: int,
    storage_id: int,
    products: Sequence[int],
    by_level: Mapping[tuple[int, int], list[int]],
    changes: Sequence[tuple[int, int, float]],
) -> tuple[Direct, dict[str, Any]]:
    """The statement moving a storage's `products` by their changes' sums, and its values."""
    size = in_size(len(products))
    values: dict[str, Any] = {"brand_id": brand_id, "storage_id": storage_id}
    totals = _totals(storage_id, products, by_level, changes)
    # Padded with the last level (in_values), moved by nothing more.
    values.update(in_values("p", products, size))
    for index in range(size):
        values[f"c{index}"] = totals[index] if index < len(products) else 0.0
    return _moving(size), values


def _shared_move_of(
    brand_id: int,
    storage_id: int,
    products: Sequence[int],
    by_level: Mapping[tuple[int, int], list[int]],
    changes: Sequence[tuple[int, int, float]],
) -> dict[str, Any]:
    """`_MOVING_SHARED`'s values moving a storage's `products` by their changes' sums."""
    return {
        "brand_id": brand_id,
        "storage_id": storage_id,
        "stock_products": list(products),
        "stock_changes": _totals(storage_id, products, by_level, changes),
    }


def _totals(
    storage_id: int,
    products: Sequence[int],
    by_level: Mapping[tuple[int, int], list[int]],
    changes: Sequence[tuple[int, int, float]],
) -> list[float]:
    """What each of a storage's `products` moves by: the sum of its changes."""
    return [
        round(sum(changes[index][2] for index in by_level[(storage_id, product)]), 6)
        for product in products
    ]


# A storage's levels moved in the commit's statement (PostgreSQL), by their function.
_MOVING_SHARED = ByFunction(
    "clopos_move_stocks",
    _STOCKS,
    [
        ("brand_id", BigInteger()),
        ("storage_id", BigInteger()),
        ("stock_products", ARRAY(BigInteger())),
        ("stock_changes", ARRAY(Float())),
    ],
    ["id", "product_id", "quantity", "cost"],
)


# A sale's stock operations as the commit's statement adds them (store/moves.py): their
# level, and their quantities before and after, from the level's new quantity.
_OPERATIONS_FOLLOW = Follows(
    _OPERATIONS,
    on=("product_id", "product_id"),
    computed={
        "stock_id": lambda moved, _given: moved.c.id,
        "before_quantity": lambda moved, given: rounded(moved.c.quantity - given.c.rest_before, 6),
        "after_quantity": lambda moved, given: rounded(moved.c.quantity - given.c.rest_after, 6),
        "before_cost": lambda moved, _given: moved.c.cost,
    },
    extra={"rest_before": Float(), "rest_after": Float()},
)


def deduct(
    session: Session,
    brand_id: int,
    receipt_id: int,
    storage_id: int,
    wanted: Mapping[tuple[int, int], float],
    tree: RecipeTree,
    at: datetime,
    first_id: int,
    *,
    held: bool = False,
) -> int:
    """Take a sale's `wanted` deductions from a storage and write their stock operations
    (`first_id`: the first of the `len(wanted)` ids taken for them); answers how many.
    `held`: the unit can hold moves (`can_hold_moves`), and the levels move and the
    operations are added by the commit's statement."""
    if not wanted:
        return 0
    taken = sorted(wanted.items())
    costs = {product_id: tree.products[product_id].cost_price for (_, product_id), _ in taken}
    changes = [(storage_id, product_id, -quantity) for (_, product_id), quantity in taken]
    stocked = {(storage_id, product_id) for product_id in tree.stocked}
    rows = []
    for offset, ((line_id, product_id), quantity) in enumerate(taken):
        cost = costs[product_id]
        rows.append(
            {
                "brand_id": brand_id,
                "id": first_id + offset,
                "receipt_id": receipt_id,
                "receipt_product_id": line_id,
                "product_id": product_id,
                "storage_id": storage_id,
                "quantity": quantity,
                "cost": cost,
                "total_cost": round(cost * quantity, 6),
                "operated_at": at,
            }
        )
    if held:
        by_level, by_storage = _levels_of(changes)
        _make_missing(session, brand_id, by_storage, costs, stocked)
        products = by_storage[storage_id]
        values = _shared_move_of(brand_id, storage_id, products, by_level, changes)
        quantities = [change for _, _, change in changes]
        for index, chain in rests_by_row(by_level.values(), quantities).items():
            rows[index].update(rest_before=chain["rest_before"], rest_after=chain["rest_after"])
        hold_move(
            session,
            Move(_MOVING_SHARED, values, _OPERATIONS_FOLLOW, rows, len(products)),
        )
        return len(rows)
    movements = apply(session, brand_id, changes, costs, stocked)
    for row, movement in zip(rows, movements, strict=True):
        row.update(
            stock_id=movement.stock_id,
            before_quantity=movement.before,
            after_quantity=movement.after,
            before_cost=movement.cost,
        )
    insert_rows(session, _OPERATIONS, rows, by_record=False)
    return len(rows)


def roll_back(session: Session, brand_id: int, receipt_id: int) -> int:
    """Put back what a receipt's stock operations took, and drop them; answers how many."""
    operations = list(
        session.scalars(
            select(StockOperation).where(
                StockOperation.brand_id == brand_id, StockOperation.receipt_id == receipt_id
            )
        )
    )
    changes = [(o.storage_id, o.product_id, o.quantity) for o in operations]
    apply(session, brand_id, changes, {o.product_id: o.cost for o in operations})
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
