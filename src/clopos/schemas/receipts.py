"""Receipts: the object (v1's full schema, which v2 answers too), their lines, modifiers,
payments and stock operations, and the bodies of the receipt writes."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import ConfigDict, Field

from clopos.core.receipts.kitchen import KitchenStatus
from clopos.core.receipts.statuses import ReceiptStatus as ReceiptStatus
from clopos.schemas.common import Storable, WireModel
from clopos.schemas.products import Product

# The wire's name for a receipt's `order_status` (kept for code that imports it from here).
OrderStatus = KitchenStatus


class PaymentLine(WireModel):
    """`{id, name, amount}`: `id` is the payment method's."""

    id: int
    name: str
    amount: float


class ModificatorGroup(WireModel):
    id: int
    name: str
    type: int
    min_select: int
    max_select: int


class ReceiptModificator(WireModel):
    """A modificator on a receipt line (`with[]=receipt_products.modificators`)."""

    id: int
    receipt_id: int
    receipt_product_id: int
    modificator_id: int
    name: str
    count: float
    portion_size: float
    price: float
    total: float
    modificator_group: ModificatorGroup | None = None


class ReceiptProductMeta(WireModel):
    product: dict[str, Any] = Field(default_factory=dict)


class ReceiptProduct(WireModel):
    """A line of a receipt (`with[]=receipt_products`)."""

    id: int
    cid: str
    receipt_id: int
    product_id: int
    count: float
    portion_size: float
    price: float
    subtotal: float
    total: float
    cost: float
    is_gift: int
    discount_type: int
    discount_value: float
    discount_rate: float
    total_discount: float
    receipt_discount: float
    loyalty_type: int | None = None
    loyalty_value: float | None = None
    product_hash: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None
    modificators: list[ReceiptModificator] | None = None
    product: Product | None = None


class Receipt(WireModel):
    """A receipt: `status` 1 open, 2 closed (`ReceiptStatus.OPEN`, `.CLOSED`); times
    `YYYY-MM-DD HH:MM:SS` (UTC)."""

    id: int
    venue_id: int
    cid: str
    user_id: int | None = None
    terminal_id: int | None = None
    service_notification_id: int | None = Field(None, description="The order it came from")
    customer_id: int | None = None
    sale_type_id: int | None = None
    source: str
    guests: int
    status: Literal[1, 2]
    order_status: str
    order_number: str | None = None
    lock: bool
    total: float
    subtotal: float
    original_subtotal: float
    gift_total: float
    discount_type: int
    discount_value: float
    discount_rate: float
    total_discount: float
    service_charge: float = Field(description="Percentage")
    service_charge_value: float = Field(description="Amount")
    delivery_fee: float
    remaining: float
    by_cash: float
    by_card: float
    i_tax: float
    e_tax: float
    total_tax: float
    payment_methods: list[PaymentLine] = Field(default_factory=list)
    fiscal_id: str | None = None
    loyalty_type: int | None = None
    loyalty_value: float | None = None
    address: str | None = None
    description: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    created_at: str
    updated_at: str
    closed_at: str | None = None
    shift_date: str
    deleted_at: str | None = None
    receipt_products: list[ReceiptProduct] | None = None


class ReceiptClosed(WireModel):
    """What `POST /receipts/{id}/close` answers: the documented three fields, plus the
    receipt's `created_at` and `updated_at`, which a real client requires (compatibility.md)."""

    id: int
    closed_at: str
    payment_methods: list[PaymentLine]
    created_at: str
    updated_at: str


class ReceiptRemoved(WireModel):
    """v1 `DELETE /receipts/{id}` answers only a message; `data` names the receipt."""

    id: int


class StockOfProduct(WireModel):
    id: int
    name: str


class StorageRef(WireModel):
    id: int
    name: str


class StockRef(WireModel):
    id: int
    storage: StorageRef


class StockOperation(WireModel):
    """One deduction a closed receipt made from a storage."""

    id: int
    receipt_id: int | None = None
    receipt_product_id: int | None = None
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
    product: StockOfProduct
    stock: StockRef


# --- bodies -------------------------------------------------------------------------------


class _Body(WireModel, Storable):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class PaymentIn(_Body):
    id: int = Field(ge=1)
    name: str | None = Field(None, max_length=200)
    amount: float = Field(ge=0, le=1e12)


class ReceiptPatch(_Body):
    """`PATCH /receipts/{id}`: only these; other fields are read-only (and ignored)."""

    order_status: KitchenStatus | None = None
    order_number: str | None = Field(None, max_length=64)
    fiscal_id: str | None = Field(None, max_length=128)
    lock: bool | None = None


class ReceiptClose(_Body):
    """`POST /receipts/{id}/close` (v2)."""

    payment_methods: list[PaymentIn] = Field(min_length=1, max_length=20)
    closed_at: str | None = Field(None, description="`YYYY-MM-DD HH:MM:SS`; default now")


class ReceiptProductIn(_Body):
    cid: UUID | None = None
    product_id: int = Field(ge=1)
    count: float = Field(1, gt=0, le=1e6)
    portion_size: float = Field(1, gt=0, le=1e6)
    price: float | None = Field(None, ge=0, le=1e12)
    is_gift: Literal[0, 1] = 0
    meta: dict[str, Any] = Field(default_factory=dict)


class ReceiptCreate(_Body):
    """v1 `POST /receipts`: a closed receipt as a terminal would send it."""

    cid: UUID
    payment_methods: list[PaymentIn] = Field(min_length=1, max_length=20)
    sale_type_id: int | None = Field(None, ge=1)
    customer_id: int | None = Field(None, ge=1)
    user_id: int | None = Field(None, ge=1)
    terminal_id: int | None = Field(None, ge=1)
    guests: int = Field(1, ge=0, le=10000)
    subtotal: float | None = Field(None, ge=0, le=1e12)
    total: float | None = Field(None, ge=0, le=1e12)
    delivery_fee: float = Field(0, ge=0, le=1e12)
    discount_type: Literal[0, 1, 2] = 0
    discount_value: float = Field(0, ge=0, le=1e12)
    service_charge: float = Field(0, ge=0, le=100)
    address: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=500)
    order_number: str | None = Field(None, max_length=64)
    created_at: str | int | None = None
    closed_at: str | int | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    receipt_products: list[ReceiptProductIn] = Field(default_factory=list, max_length=500)


class ReceiptUpdate(_Body):
    """v1 `PUT /receipts/{id}`: `id` and `cid` must be the receipt's; `closed_at` with
    `payment_methods` closes it (`""` keeps it open)."""

    id: int = Field(ge=1)
    cid: UUID
    delivery_fee: float | None = Field(None, ge=0, le=1e12)
    description: str | None = Field(None, max_length=500)
    order_number: str | None = Field(None, max_length=64)
    order_status: KitchenStatus | None = None
    guests: int | None = Field(None, ge=0, le=10000)
    discount_rate: float | None = Field(None, ge=0, le=100)
    discount_type: Literal[0, 1, 2] | None = None
    discount_value: float | None = Field(None, ge=0, le=1e12)
    customer_id: int | None = Field(None, ge=1)
    closed_at: str | None = None
    payment_methods: list[PaymentIn] | None = Field(None, max_length=20)
    meta: dict[str, Any] | None = None
