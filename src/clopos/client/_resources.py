"""The API's resources, one class each; adding an endpoint is one line here.

Each class attribute is an endpoint descriptor from `_endpoints`; `Resources` mounts one
instance of each on a client.
"""

from __future__ import annotations

from typing import Generic

from clopos.client._endpoints import (
    V2_ONLY,
    C,
    CreateEndpoint,
    GetEndpoint,
    ListEndpoint,
    Resource,
)
from clopos.schemas.categories import Category
from clopos.schemas.customers import Customer, CustomerGroup
from clopos.schemas.price_lists import Price, PriceList
from clopos.schemas.products import Product
from clopos.schemas.sales import PaymentMethod, SaleType
from clopos.schemas.stations import Station
from clopos.schemas.stop_list import StopListItem
from clopos.schemas.users import User
from clopos.schemas.venues import Venue


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
