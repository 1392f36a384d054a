"""Inventory (v2, reference 2.13): `/storages`, `/stock` (+ `/product`, `/product-group`,
`/info`, `/total`), `/stock-operations` (+ `/products`, `/total`), `/operations` (+
`/statuses`, `/total`, `/{id}/items`), `/operation-items` (+ `/total`), `/suppliers` (+
`/total`); each with `/{id}` where the reference has it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.formats import parse_id
from clopos.core.inventory import read as inventory
from clopos.core.receipts.pricing import money
from clopos.schemas import inventory as wire
from clopos.schemas.common import ListEnvelope
from clopos.server.api._records import (
    item_route,
    list_route,
    listed_route,
    object_route,
    sums_route,
)
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import RecordId
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["inventory"])


def _money(*names: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Sums of money rounded to cents."""

    def shape(sums: dict[str, Any]) -> dict[str, Any]:
        return {**sums, **{name: money(sums[name]) for name in names}}

    return shape


STORAGES = scopes.STORAGES_READ
list_route(router, "/storages", inventory.STORAGES, STORAGES, wire.Storage)
item_route(router, "/storages/{record_id}", inventory.STORAGES, STORAGES, wire.Storage)

STOCK = scopes.STOCK_READ
list_route(router, "/stock", inventory.STOCKS, STOCK, wire.Stock)


listed_route(
    router,
    "/stock/product",
    STOCK,
    wire.ProductStock,
    inventory.product_stock,
    inventory.PRODUCT_STOCK_SPEC,
)
listed_route(
    router,
    "/stock/product-group",
    STOCK,
    wire.GroupStock,
    inventory.group_stock,
    inventory.GROUP_SPEC,
)


object_route(
    router, "/stock/info", STOCK, wire.StockInfo, inventory.stock_info, inventory.STOCK_SPEC
)
sums_route(
    router,
    "/stock/total",
    inventory.STOCKS,
    STOCK,
    wire.StockTotal,
    inventory.STOCK_SUMS,
    _money("total_cost"),
)
item_route(router, "/stock/{record_id}", inventory.STOCKS, STOCK, wire.Stock)

MOVES = scopes.STOCK_OPERATIONS_READ
list_route(router, "/stock-operations", inventory.MOVEMENTS, MOVES, wire.StockMovement)
listed_route(
    router,
    "/stock-operations/products",
    MOVES,
    wire.ProductMovements,
    inventory.product_movements,
    inventory.PRODUCT_MOVES_SPEC,
)
sums_route(
    router,
    "/stock-operations/total",
    inventory.MOVEMENTS,
    MOVES,
    wire.MovementTotal,
    inventory.MOVEMENT_SUMS,
    _money("total_cost"),
)
item_route(router, "/stock-operations/{record_id}", inventory.MOVEMENTS, MOVES, wire.StockMovement)

OPERATIONS = scopes.OPERATIONS_READ
list_route(router, "/operations", inventory.OPERATIONS, OPERATIONS, wire.Operation)


listed_route(
    router,
    "/operations/statuses",
    OPERATIONS,
    wire.Named,
    inventory.statuses,
    inventory.STATUS_SPEC,
)
sums_route(
    router,
    "/operations/total",
    inventory.OPERATIONS,
    OPERATIONS,
    wire.AmountTotal,
    inventory.OPERATION_SUMS,
    _money("total"),
)
item_route(router, "/operations/{record_id}", inventory.OPERATIONS, OPERATIONS, wire.Operation)


@router.get("/operations/{record_id}/items", response_model=ListEnvelope[wire.OperationItem])
async def operation_items_of(
    request: Request,
    record_id: RecordId,
) -> JSON:
    principal, db = granted(request, OPERATIONS), database(request)
    query = inventory.ITEM_SPEC.parse(request.query_params.multi_items())
    page = await db.read(inventory.items_of, principal.brand_id, parse_id(record_id), query)
    return envelope(
        request.scope, page.rows, total=page.total, sorts=inventory.ITEM_SPEC.sort_names
    )


ITEMS = scopes.OPERATION_ITEMS_READ
list_route(router, "/operation-items", inventory.ITEMS, ITEMS, wire.OperationItem)
sums_route(
    router,
    "/operation-items/total",
    inventory.ITEMS,
    ITEMS,
    wire.ItemTotal,
    inventory.ITEM_SUMS,
    _money("total"),
)

SUPPLIERS = scopes.SUPPLIERS_READ
list_route(router, "/suppliers", inventory.SUPPLIERS, SUPPLIERS, wire.Supplier)
sums_route(
    router,
    "/suppliers/total",
    inventory.SUPPLIERS,
    SUPPLIERS,
    wire.SupplierTotal,
    inventory.SUPPLIER_SUMS,
    _money("spent", "balance"),
)
item_route(router, "/suppliers/{record_id}", inventory.SUPPLIERS, SUPPLIERS, wire.Supplier)
