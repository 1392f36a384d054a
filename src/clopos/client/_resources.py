"""The API's resources, one class each; adding an endpoint is one line here.

Each class attribute is an endpoint descriptor from `_endpoints`; `Resources` mounts one
instance of each on a client.
"""

from __future__ import annotations

import builtins
from typing import Generic

from clopos.client._endpoints import (
    V1_ONLY,
    V2_ONLY,
    ActionEndpoint,
    C,
    CreateEndpoint,
    GetEndpoint,
    ItemListEndpoint,
    ListEndpoint,
    ObjectEndpoint,
    Resource,
    WriteEndpoint,
)
from clopos.schemas.categories import Category
from clopos.schemas.customers import Customer, CustomerGroup
from clopos.schemas.finance import (
    Balance,
    BalanceDateState,
    BalanceMovements,
    BalanceOption,
    CashShift,
    CashShiftReport,
    CustomerBalance,
    FinanceCategory,
    FinanceTax,
    TaxReportRow,
    TaxTotal,
    TaxType,
    Transaction,
)
from clopos.schemas.inventory import (
    AmountTotal,
    GroupStock,
    ItemTotal,
    MovementTotal,
    Named,
    Operation,
    OperationItem,
    ProductMovements,
    ProductStock,
    Stock,
    StockInfo,
    StockMovement,
    StockTotal,
    Storage,
    Supplier,
    SupplierTotal,
)
from clopos.schemas.orders import Order, OrderStatusChange
from clopos.schemas.price_lists import Price, PriceList
from clopos.schemas.products import Product
from clopos.schemas.receipts import Receipt, ReceiptClosed, ReceiptRemoved, StockOperation
from clopos.schemas.sales import PaymentMethod, SaleType
from clopos.schemas.stations import Station
from clopos.schemas.stop_list import StopListItem
from clopos.schemas.users import User
from clopos.schemas.venues import Venue
from clopos.schemas.waiter_calls import WaiterCalled


class Venues(Resource[C]):
    """The brand's venues (locations); not paginated."""

    list = ListEndpoint("/venues", Venue, paged=False)


class Users(Resource[C]):
    list = ListEndpoint("/users", User)
    get = GetEndpoint("/users/{id}", User)


class Customers(Resource[C]):
    list = ListEndpoint("/customers", Customer)
    get = GetEndpoint("/customers/{id}", Customer)
    create = CreateEndpoint("/customers", Customer)


class CustomerGroups(Resource[C]):
    list = ListEndpoint("/customer-groups", CustomerGroup)


class Categories(Resource[C]):
    list = ListEndpoint("/categories", Category)
    get = GetEndpoint("/categories/{id}", Category)


class Stations(Resource[C]):
    list = ListEndpoint("/stations", Station)
    get = GetEndpoint("/stations/{id}", Station)


class StopList(Resource[C]):
    """Products with limited stock (`limit` 0 = sold out); not paginated."""

    list = ListEndpoint("/products/stop-list", StopListItem, paged=False)


class Products(Resource[C]):
    list = ListEndpoint("/products", Product)
    get = GetEndpoint("/products/{id}", Product)

    def __init__(self, core: C) -> None:
        super().__init__(core)
        self.stop_list: StopList[C] = StopList(core)


class SaleTypes(Resource[C]):
    list = ListEndpoint("/sale-types", SaleType)


class PaymentMethods(Resource[C]):
    list = ListEndpoint("/payment-methods", PaymentMethod)


class Prices(Resource[C]):
    list = ListEndpoint("/price-lists/prices", Price, versions=V2_ONLY)


class PriceLists(Resource[C]):
    """v2 only."""

    list = ListEndpoint("/price-lists", PriceList, versions=V2_ONLY)

    def __init__(self, core: C) -> None:
        super().__init__(core)
        self.prices: Prices[C] = Prices(core)


class Orders(Resource[C]):
    """Orders pushed in by an integration; the venue accepts (a receipt opens) or ignores.

    `create` takes either body: the flat v2 one (`OrderCreateV2`) or the v1 one
    (`OrderCreateV1`, which v2 accepts too); a repeated `integration_uuid` answers the
    existing order. `ignore` withdraws a pending order: v2 answers the order, v1 only
    `{id, status}` (both have `.id` and `.status`).
    """

    list = ListEndpoint("/orders", Order)
    get = GetEndpoint("/orders/{id}", Order)
    create = CreateEndpoint("/orders", Order)
    ignore: ActionEndpoint[Order | OrderStatusChange] = ActionEndpoint(
        "PUT", "/orders/{id}", Order, body={"status": "IGNORE"}, per_version={1: OrderStatusChange}
    )


class Receipts(Resource[C]):
    """Receipts: opened when the venue accepts an order, closed with payments.

    Both versions: `list`, `get`, `update` (PATCH: `order_status`, `order_number`,
    `fiscal_id`, `lock`). v2: `get_by_cid`, `close`, `stock_operations`. v1: `create` (a
    closed receipt, as a terminal sends it), `replace` (PUT), `delete` (stock put back).
    """

    list = ListEndpoint("/receipts", Receipt)
    get = GetEndpoint("/receipts/{id}", Receipt)
    update = WriteEndpoint("PATCH", "/receipts/{id}", Receipt)
    get_by_cid = GetEndpoint("/receipts/cid/{id}", Receipt, versions=V2_ONLY)
    close = WriteEndpoint("POST", "/receipts/{id}/close", ReceiptClosed, versions=V2_ONLY)
    stock_operations = GetEndpoint(
        "/receipts/{id}/stock-operations", builtins.list[StockOperation], versions=V2_ONLY
    )
    create = CreateEndpoint("/receipts", Receipt, versions=V1_ONLY)
    replace = WriteEndpoint("PUT", "/receipts/{id}", Receipt, versions=V1_ONLY)
    delete = ActionEndpoint("DELETE", "/receipts/{id}", ReceiptRemoved, versions=V1_ONLY)


class Balances(Resource[C]):
    """Cash, bank, supplier and payment methods' accounts (v2). `options` is the condensed
    list, `customers` the customers' accounts, `date_states` and `movements` per period
    (`params={"date[0]": ..., "date[1]": ...}`)."""

    list = ListEndpoint("/finance/balances", Balance, versions=V2_ONLY)
    get = GetEndpoint("/finance/balances/{id}", Balance, versions=V2_ONLY)
    options = ListEndpoint("/finance/balances/list", BalanceOption, versions=V2_ONLY)
    customers = ListEndpoint("/finance/balances/customer", CustomerBalance, versions=V2_ONLY)
    date_states = ListEndpoint("/finance/balances/date-states", BalanceDateState, versions=V2_ONLY)
    movements = ListEndpoint("/finance/balances/transactions", BalanceMovements, versions=V2_ONLY)


class Transactions(Resource[C]):
    """Money movements (v2): `before_amount`/`after_amount` on a balance."""

    list = ListEndpoint("/finance/transactions", Transaction, versions=V2_ONLY)
    get = GetEndpoint("/finance/transactions/{id}", Transaction, versions=V2_ONLY)


class FinanceCategories(Resource[C]):
    list = ListEndpoint("/finance/categories", FinanceCategory, versions=V2_ONLY)
    get = GetEndpoint("/finance/categories/{id}", FinanceCategory, versions=V2_ONLY)


class Taxes(Resource[C]):
    """The catalogue's taxes (v2); `report` and `total` what closed receipts were charged
    (`params={"date[0]": ..., "date[1]": ...}`)."""

    list = ListEndpoint("/finance/taxes", FinanceTax, versions=V2_ONLY)
    get = GetEndpoint("/finance/taxes/{id}", FinanceTax, versions=V2_ONLY)
    types = ListEndpoint("/finance/taxes/types", TaxType, paged=False, versions=V2_ONLY)
    report = ListEndpoint("/finance/taxes/report", TaxReportRow, versions=V2_ONLY)
    total = ObjectEndpoint("/finance/taxes/total", TaxTotal, versions=V2_ONLY)


class CashShifts(Resource[C]):
    """Till sessions (v2); ids are UUIDs."""

    list = ListEndpoint("/finance/cash-shifts", CashShift, versions=V2_ONLY)
    get = GetEndpoint("/finance/cash-shifts/{id}", CashShift, versions=V2_ONLY)
    report = GetEndpoint("/finance/cash-shifts/{id}/report", CashShiftReport, versions=V2_ONLY)


class Finance(Resource[C]):
    """v2's finance resources: `client.finance.balances.list()`."""

    def __init__(self, core: C) -> None:
        super().__init__(core)
        self.balances: Balances[C] = Balances(core)
        self.transactions: Transactions[C] = Transactions(core)
        self.categories: FinanceCategories[C] = FinanceCategories(core)
        self.taxes: Taxes[C] = Taxes(core)
        self.cash_shifts: CashShifts[C] = CashShifts(core)


class Storages(Resource[C]):
    list = ListEndpoint("/storages", Storage, versions=V2_ONLY)
    get = GetEndpoint("/storages/{id}", Storage, versions=V2_ONLY)


class StockLevels(Resource[C]):
    """Stock per product and storage (v2); `by_product` across storages, `by_group` per
    category, `info` the stock's summary, `total` the sums over what the list's filters
    match."""

    list = ListEndpoint("/stock", Stock, versions=V2_ONLY)
    get = GetEndpoint("/stock/{id}", Stock, versions=V2_ONLY)
    by_product = ListEndpoint("/stock/product", ProductStock, versions=V2_ONLY)
    by_group = ListEndpoint("/stock/product-group", GroupStock, versions=V2_ONLY)
    info = ObjectEndpoint("/stock/info", StockInfo, versions=V2_ONLY)
    total = ObjectEndpoint("/stock/total", StockTotal, versions=V2_ONLY)


class StockOperations(Resource[C]):
    """The stock movement ledger (v2): a receipt's deductions and documents' movements."""

    list = ListEndpoint("/stock-operations", StockMovement, versions=V2_ONLY)
    get = GetEndpoint("/stock-operations/{id}", StockMovement, versions=V2_ONLY)
    products = ListEndpoint("/stock-operations/products", ProductMovements, versions=V2_ONLY)
    total = ObjectEndpoint("/stock-operations/total", MovementTotal, versions=V2_ONLY)


class Operations(Resource[C]):
    """Inventory documents (v2) and their items: `items` across documents, `items_of(id)`
    one document's, `total` and `items_total` the sums over what the filters match."""

    list = ListEndpoint("/operations", Operation, versions=V2_ONLY)
    get = GetEndpoint("/operations/{id}", Operation, versions=V2_ONLY)
    statuses = ListEndpoint("/operations/statuses", Named, paged=False, versions=V2_ONLY)
    total = ObjectEndpoint("/operations/total", AmountTotal, versions=V2_ONLY)
    items_of = ItemListEndpoint("/operations/{id}/items", OperationItem, versions=V2_ONLY)
    items = ListEndpoint("/operation-items", OperationItem, versions=V2_ONLY)
    items_total = ObjectEndpoint("/operation-items/total", ItemTotal, versions=V2_ONLY)


class Suppliers(Resource[C]):
    list = ListEndpoint("/suppliers", Supplier, versions=V2_ONLY)
    get = GetEndpoint("/suppliers/{id}", Supplier, versions=V2_ONLY)
    total = ObjectEndpoint("/suppliers/total", SupplierTotal, versions=V2_ONLY)


class WaiterCalls(Resource[C]):
    """`POST /waiter-call` (v2): `create({"table_id": 1, "type": "WAITER"})`, or `"PAY"`
    with the venue's cash or card `payment_method`; answers `{"success": true}`."""

    create = CreateEndpoint("/waiter-call", WaiterCalled, versions=V2_ONLY, enveloped=False)


class Resources(Generic[C]):
    """Every resource, mounted on a client: `client.products.list()`."""

    def _mount(self, core: C) -> None:
        self.venues: Venues[C] = Venues(core)
        self.users: Users[C] = Users(core)
        self.customers: Customers[C] = Customers(core)
        self.customer_groups: CustomerGroups[C] = CustomerGroups(core)
        self.categories: Categories[C] = Categories(core)
        self.stations: Stations[C] = Stations(core)
        self.products: Products[C] = Products(core)
        self.sale_types: SaleTypes[C] = SaleTypes(core)
        self.payment_methods: PaymentMethods[C] = PaymentMethods(core)
        self.price_lists: PriceLists[C] = PriceLists(core)
        self.orders: Orders[C] = Orders(core)
        self.receipts: Receipts[C] = Receipts(core)
        self.finance: Finance[C] = Finance(core)
        self.storages: Storages[C] = Storages(core)
        self.stock: StockLevels[C] = StockLevels(core)
        self.stock_operations: StockOperations[C] = StockOperations(core)
        self.operations: Operations[C] = Operations(core)
        self.suppliers: Suppliers[C] = Suppliers(core)
        self.waiter_calls: WaiterCalls[C] = WaiterCalls(core)
