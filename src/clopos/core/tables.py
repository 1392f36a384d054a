"""Every table of the domain, imported in one place: SQLAlchemy's metadata (and so the
migrations' drift check) knows a table only once its module is imported."""

from __future__ import annotations

from clopos.core.access.table import ApiClient, Brand, Integrator, SigningKey
from clopos.core.categories.table import Category
from clopos.core.customers.table import Customer, CustomerGroup
from clopos.core.finance.table import (
    Balance,
    CashShift,
    FinanceCategory,
    FinanceTransaction,
    ReceiptTax,
)
from clopos.core.inventory.table import Operation, OperationItem, Supplier
from clopos.core.operators.table import Operator, OperatorSession
from clopos.core.orders.table import Order, OrderProduct, VenueOrderMode
from clopos.core.price_lists.table import PriceList, PriceListPrice
from clopos.core.products.table import (
    Modifier,
    ModifierGroup,
    Package,
    Product,
    ProductCode,
    ProductModifierGroup,
    ProductTag,
    ProductTax,
    RecipeItem,
    Tag,
    Tax,
    Unit,
)
from clopos.core.receipts.table import (
    Receipt,
    ReceiptPayment,
    ReceiptProduct,
    ReceiptProductModifier,
    Stock,
    StockOperation,
    Storage,
)
from clopos.core.sales.table import PaymentMethod, SaleType
from clopos.core.stations.table import Station
from clopos.core.stop_list.table import StopListEntry
from clopos.core.users.table import User
from clopos.core.venues.table import Venue
from clopos.core.waiter_calls.table import VenueTable, WaiterCall
from clopos.core.webhooks.table import (
    WebhookDelivery,
    WebhookEvent,
    WebhookSender,
    WebhookState,
    WebhookSubscription,
)
from clopos.store.models import AuditEvent, ChangeLog, IdempotencyRecord, IdSequence

__all__ = [
    "ApiClient",
    "AuditEvent",
    "Balance",
    "Brand",
    "CashShift",
    "Category",
    "ChangeLog",
    "Customer",
    "CustomerGroup",
    "FinanceCategory",
    "FinanceTransaction",
    "IdSequence",
    "IdempotencyRecord",
    "Integrator",
    "Modifier",
    "ModifierGroup",
    "Operation",
    "OperationItem",
    "Operator",
    "OperatorSession",
    "Order",
    "OrderProduct",
    "Package",
    "PaymentMethod",
    "PriceList",
    "PriceListPrice",
    "Product",
    "ProductCode",
    "ProductModifierGroup",
    "ProductTag",
    "ProductTax",
    "Receipt",
    "ReceiptPayment",
    "ReceiptProduct",
    "ReceiptProductModifier",
    "ReceiptTax",
    "RecipeItem",
    "SaleType",
    "SigningKey",
    "Station",
    "Stock",
    "StockOperation",
    "StopListEntry",
    "Storage",
    "Supplier",
    "Tag",
    "Tax",
    "Unit",
    "User",
    "Venue",
    "VenueOrderMode",
    "VenueTable",
    "WaiterCall",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSender",
    "WebhookState",
    "WebhookSubscription",
]
