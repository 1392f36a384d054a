"""Orders: the object (its `payload` in the v1 shape, whichever body created it), and the
two bodies of `POST /orders`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from clopos.core.orders.statuses import OrderMode, OrderStatus
from clopos.schemas.common import Storable, WireModel
from clopos.schemas.customers import Customer
from clopos.schemas.receipts import Receipt


class OrderService(WireModel):
    sale_type_id: int
    venue_id: int
    sale_type_name: str | None = None
    venue_name: str | None = None


class OrderCustomer(WireModel):
    id: int | None = None
    phone: str | None = None
    address: str | None = None
    customer_discount_type: int | None = None
    name: str | None = None


class OrderModificator(WireModel):
    modificator_id: int
    count: float
    name: str | None = None
    price: float | None = None
    portion_size: float | None = None


class OrderedProduct(WireModel):
    id: int
    name: str
    price: float
    category_id: int | None = None
    station_id: int | None = None


class OrderProductLine(WireModel):
    count: float
    status: str
    product_modificators: list[OrderModificator]
    product_hash: str
    product: OrderedProduct


class OrderProductMeta(WireModel):
    price: float
    order_product: OrderProductLine


class OrderPayloadProduct(WireModel):
    product_id: int
    count: float
    product_modificators: list[OrderModificator]
    portion_size: float
    note: str | None = None
    meta: OrderProductMeta


class Discount(WireModel):
    discount_type: int
    discount_value: float


class OrderMeta(WireModel):
    """The order's terms as the server priced them: `orderTotal` as v1 sends it."""

    comment: str | None = None
    discount: Discount
    apply_service_charge: bool
    customer_discount_type: int | None = None
    service_charge_value: float
    orderTotal: str  # the documented key
    subtotal: float
    total_discount: float
    service_charge_amount: float


class OrderPayload(WireModel):
    auto_order_accept: bool
    auto_order_sent_to_station: bool
    auto_accept_terminal: int | None = None
    delivery_fee: float
    order_number: str | None = None
    service: OrderService
    customer: OrderCustomer
    products: list[OrderPayloadProduct]
    meta: OrderMeta
    customer_id: int | None = None
    sale_type_id: int


class Order(WireModel):
    """An order; `receipt` and `customer` only with `with[]`."""

    id: int
    venue_id: int
    type: str
    integration: str
    integration_uuid: str | None = None
    integration_id: str | None = None
    customer_ref_id: str | None = None
    integration_status: str
    status: OrderStatus
    payload: OrderPayload
    receipt_id: int | None = None
    created_at: str
    updated_at: str
    integration_response: dict[str, Any] | None = None
    receipt: Receipt | None = None
    customer: Customer | None = None


class OrderStatusChange(WireModel):
    """v1 `PUT /orders/{id}` answers only the id and the new status."""

    id: int
    status: OrderStatus


class OrderModeOut(WireModel):
    """How a sandbox venue answers new orders."""

    venue_id: int
    mode: OrderMode
    accept_after_seconds: int | None = None


# --- bodies -------------------------------------------------------------------------------


class _Body(WireModel, Storable):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class DiscountIn(_Body):
    discount_type: Literal[0, 1, 2] = 0
    discount_value: float = Field(0, ge=0, le=1e9)


class ServiceChargeIn(_Body):
    enabled: bool = False
    value: float = Field(0, ge=0, le=100)


class CustomerIn(_Body):
    id: int | None = Field(None, ge=1)
    phone: str | None = Field(None, max_length=64)
    address: str | None = Field(None, max_length=500)
    customer_discount_type: int | None = Field(None, ge=0, le=2)
    name: str | None = Field(None, max_length=200)


class _Tracking(_Body):
    """How an integration finds its order again (a repeat `integration_uuid` answers the
    existing order)."""

    integration_uuid: str | None = Field(None, min_length=1, max_length=64)
    integration_id: str | None = Field(None, min_length=1, max_length=64)
    customer_ref_id: str | None = Field(None, min_length=1, max_length=64)


class ModifierIn(_Body):
    modifier_id: int = Field(ge=1)
    modifier_name: str = Field(min_length=1, max_length=200)
    count: int = Field(1, ge=1, le=1000)
    price: float = Field(0, ge=0, le=1e9)
    portion_size: float = Field(1, gt=0, le=1000)


class ProductIn(_Body):
    product_id: int = Field(ge=1)
    product_name: str = Field(min_length=1, max_length=200)
    count: int = Field(1, ge=1, le=10000)
    price: float | None = Field(None, ge=0, le=1e9)
    status: str = Field("new", max_length=32)
    product_hash: str | None = Field(None, max_length=200)
    portion_size: float = Field(1, gt=0, le=1000)
    note: str | None = Field(None, max_length=500)
    modifiers: list[ModifierIn] = Field(default_factory=list, max_length=50)


class OrderCreateV2(_Tracking):
    """The flat v2 body of `POST /orders`."""

    auto_accept_terminal: int | None = Field(None, ge=0, le=1_000_000)
    auto_order_accept: bool = False
    auto_order_sent_to_station: bool = False
    order_number: str | None = Field(None, max_length=20)
    sale_type_id: int = Field(ge=1)
    venue_id: int = Field(ge=1)
    delivery_fee: float = Field(0, ge=0, le=1e9)
    comment: str | None = Field(None, max_length=1000)
    discount: DiscountIn | None = None
    service_charge: ServiceChargeIn | None = None
    customer: CustomerIn
    products: list[ProductIn] = Field(min_length=1, max_length=200)


class ModificatorIn(_Body):
    modificator_id: int = Field(ge=1)
    count: int = Field(1, ge=1, le=1000)


class V1ProductIn(_Body):
    product_id: int = Field(ge=1)
    count: int = Field(1, ge=1, le=10000)
    product_modificators: list[ModificatorIn] = Field(default_factory=list, max_length=50)
    portion_size: float = Field(1, gt=0, le=1000)
    note: str | None = Field(None, max_length=500)
    meta: dict[str, Any] | None = None


class V1ServiceIn(_Body):
    sale_type_id: int = Field(ge=1)
    sale_type_name: str = Field(min_length=1, max_length=200)
    venue_id: int = Field(ge=1)
    venue_name: str = Field(min_length=1, max_length=200)


class V1MetaIn(_Body):
    comment: str | None = Field(None, max_length=1000)
    discount: DiscountIn | None = None
    orderTotal: str | float | None = None  # ignored: the server prices
    apply_service_charge: bool = False
    customer_discount_type: int | None = Field(None, ge=0, le=2)
    service_charge_value: float = Field(0, ge=0, le=100)


class V1PayloadIn(_Body):
    auto_accept_terminal: int | None = Field(None, ge=0, le=1_000_000)
    auto_order_accept: bool = False
    auto_order_sent_to_station: bool = False
    order_number: str | None = Field(None, max_length=20)
    delivery_fee: float = Field(0, ge=0, le=1e9)
    service: V1ServiceIn
    customer: CustomerIn | None = None
    products: list[V1ProductIn] = Field(min_length=1, max_length=200)
    meta: V1MetaIn | None = None


class OrderCreateV1(_Tracking):
    """The v1 body of `POST /orders` (`meta` may sit at the top, as in the reference's
    example, or inside `payload`)."""

    customer_id: int = Field(ge=1)
    payload: V1PayloadIn
    meta: V1MetaIn | None = None


class OrderUpdate(_Body):
    """`PUT /orders/{id}`: only `{"status": "IGNORE"}` is accepted."""

    status: str = Field(min_length=1, max_length=32)


class OrderModeIn(_Body):
    """The operator's `PUT /admin/api/brands/{brand}/venues/{venue_id}/order-mode`."""

    mode: OrderMode
    accept_after_seconds: int | None = Field(None, ge=0, le=86400)
