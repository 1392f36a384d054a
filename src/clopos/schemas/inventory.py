"""Inventory (v2): storages, stock, stock operations, inventory documents and their items,
suppliers. The reference documents paths, scopes and a few field names; these shapes are the
house's choice (docs/compatibility.md, "Finance and inventory")."""

from __future__ import annotations

from pydantic import Field

from clopos.schemas.common import WireModel


class Storage(WireModel):
    id: int
    name: str
    venue_id: int | None = None


class Stock(WireModel):
    """How much of a product a storage holds; `reserved` is what open documents hold back."""

    id: int
    storage_id: int
    product_id: int
    quantity: float
    reserved: float = 0
    cost: float
    total_cost: float


class ProductStock(WireModel):
    """`/stock/product`: one product across storages."""

    product_id: int
    name: str
    quantity: float
    total_cost: float
    stocks: list[Stock]


class GroupStock(WireModel):
    """`/stock/product-group`: the stock of one category's products."""

    category_id: int | None = None
    name: str | None = None
    products_count: int
    quantity: float
    total_cost: float


class StockInfo(WireModel):
    """`/stock/info`."""

    storages_count: int
    products_count: int
    below_zero_count: int
    low_stock_count: int
    total_cost: float


class StockTotal(WireModel):
    """`/stock/total`: over the filtered stock."""

    count: int
    quantity: float
    total_cost: float


class StockMovement(WireModel):
    """A row of the movement ledger: a receipt's deduction (`receipt_id`,
    `receipt_product_id`) or a document's (`operation_id`)."""

    id: int
    receipt_id: int | None = None
    receipt_product_id: int | None = None
    operation_id: int | None = None
    product_id: int
    stock_id: int
    storage_id: int
    quantity: float
    before_quantity: float
    after_quantity: float
    cost: float
    before_cost: float
    total_cost: float
    operated_at: str


class ProductMovements(WireModel):
    """`/stock-operations/products`: one product's movements over the period."""

    product_id: int
    name: str
    quantity_in: float
    quantity_out: float
    operations_count: int


class MovementTotal(WireModel):
    """`/stock-operations/total`."""

    count: int
    quantity_in: float
    quantity_out: float
    total_cost: float


class Operation(WireModel):
    """An inventory document: `type` 1 IN (supply), 3 TRANSFER, 4 WASTE, 5 RETURN, 7 MAKE, 9
    INVENTORY_CHECK, 10 SUPPLY_RETURN, 11 INITIAL_STOCK; `status` 1 published, 2 draft."""

    id: int
    type: int
    type_name: str
    status: int
    venue_id: int | None = None
    storage_id: int
    to_storage_id: int | None = None
    supplier_id: int | None = None
    balance_id: int | None = None
    total: float
    paid: float = 0
    description: str | None = None
    operated_by: str | None = None
    operated_at: str
    created_at: str | None = None
    updated_at: str | None = None


class OperationItem(WireModel):
    id: int
    operation_id: int
    product_id: int
    quantity: float
    cost: float
    total: float
    created_at: str | None = None
    updated_at: str | None = None


class Named(WireModel):
    """A vocabulary entry (`/operations/statuses`)."""

    id: int
    name: str


class AmountTotal(WireModel):
    """`/operations/total`: how many, and what they came to."""

    count: int
    total: float


class ItemTotal(WireModel):
    """`/operation-items/total`: how many, what they came to, and their quantity."""

    count: int
    total: float
    quantity: float


class Supplier(WireModel):
    """A supplier: `spent` what its supplies came to, `balance` what its account holds
    (negative: owed to it)."""

    id: int
    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    description: str | None = None
    balance_id: int | None = None
    balance: float = Field(0, description="What the supplier's account holds")
    spent: float = 0
    created_at: str | None = None
    updated_at: str | None = None


class SupplierTotal(WireModel):
    count: int
    spent: float
    balance: float


# --- the operator's writes (/admin/api) --------------------------------------------------


class OperationItemIn(WireModel):
    product_id: int = Field(ge=1)
    quantity: float = Field(ge=0)
    cost: float | None = Field(None, ge=0)


class OperationCreate(WireModel):
    """Body of `POST .../operations`: an inventory document, published unless `status` 2."""

    type: int
    storage_id: int = Field(ge=1)
    to_storage_id: int | None = Field(None, ge=1)
    supplier_id: int | None = Field(None, ge=1)
    balance_id: int | None = Field(None, ge=1)
    paid: float = Field(0, ge=0)
    description: str | None = Field(None, max_length=2000)
    status: int = 1
    operated_by: str | None = Field(None, max_length=200)
    items: list[OperationItemIn] = Field(min_length=1, max_length=500)


class SupplierCreate(WireModel):
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(None, max_length=64)
    email: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=2000)


class StorageCreate(WireModel):
    name: str = Field(min_length=1, max_length=200)
    venue_id: int | None = Field(None, ge=1)
