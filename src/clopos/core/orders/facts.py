"""The catalogue facts an order is checked and priced against: the venue with its sale type
and order mode, the ordered products with the venue's stop list, the modifiers with the
products offering their groups, and the customer."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, exists, select

from clopos.core.customers.table import Customer
from clopos.core.orders.table import VenueOrderMode
from clopos.core.products import venues
from clopos.core.products.table import Modifier, Product, ProductModifierGroup
from clopos.core.sales.table import SaleType
from clopos.core.stop_list.table import StopListEntry
from clopos.core.venues.table import Venue
from clopos.store.direct import Direct

# The catalogue facts an order is checked and priced against, read with statements compiled
# once and run on the driver (store/direct.py): the ORM's loading, and then SQLAlchemy's
# execution, cost several times the statements themselves on this, the busiest write
# (docs/performance.md). One statement each for the venue (with its sale type
# and order mode), the products (with the venue's stop list) and the modifiers (with the
# ordered products offering their groups).
_VENUES: Table = Venue.__table__  # type: ignore[assignment]
_SALE_TYPES: Table = SaleType.__table__  # type: ignore[assignment]
_MODES: Table = VenueOrderMode.__table__  # type: ignore[assignment]
_PRODUCTS: Table = Product.__table__  # type: ignore[assignment]
_STOPS: Table = StopListEntry.__table__  # type: ignore[assignment]
_MODIFIERS: Table = Modifier.__table__  # type: ignore[assignment]
_OFFERS: Table = ProductModifierGroup.__table__  # type: ignore[assignment]
_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_VARIANTS = _PRODUCTS.alias("variants")

VENUE_SALE_TYPE_MODE = Direct(
    select(
        _VENUES.c.name,
        _SALE_TYPES.c.id.label("sale_type_id"),
        _SALE_TYPES.c.name.label("sale_type_name"),
        _SALE_TYPES.c.status.label("sale_type_status"),
        _SALE_TYPES.c.deleted_at.label("sale_type_deleted_at"),
        _SALE_TYPES.c.service_charge_rate,
        _MODES.c.mode,
        _MODES.c.accept_after_seconds,
    )
    .select_from(_VENUES)
    .outerjoin(
        _SALE_TYPES,
        (_SALE_TYPES.c.brand_id == _VENUES.c.brand_id)
        & (_SALE_TYPES.c.id == bindparam("sale_type_id")),
    )
    .outerjoin(
        _MODES, (_MODES.c.brand_id == _VENUES.c.brand_id) & (_MODES.c.venue_id == _VENUES.c.id)
    )
    .where(_VENUES.c.brand_id == bindparam("brand_id"), _VENUES.c.id == bindparam("venue_id"))
)


def size_of(count: int) -> int:
    """A list's size rounded up to a power of two: an `IN` list of that many parameters is
    built and compiled once, where SQLAlchemy's expanding parameters render the statement
    again at every execution (a tenth of the writer's time on order creation)."""
    return 1 << max(count - 1, 0).bit_length()


def _in(column: Any, name: str, size: int) -> Any:
    return column.in_([bindparam(f"{name}{index}") for index in range(size)])


def fill(name: str, ids: Sequence[int], size: int) -> dict[str, int]:
    """The parameters of `_in(..., name, size)`: `ids`, the last repeated up to `size` (no
    ids: 0, which no row has)."""
    padded = [*ids, *[ids[-1] if ids else 0] * (size - len(ids))]
    return {f"{name}{index}": value for index, value in enumerate(padded)}


@functools.cache
def products_and_stops(size: int) -> Direct:
    return Direct(
        select(
            _PRODUCTS.c.id,
            _PRODUCTS.c.name,
            _PRODUCTS.c.price,
            _PRODUCTS.c.type,
            _PRODUCTS.c.status,
            _PRODUCTS.c.deleted_at,
            _PRODUCTS.c.category_id,
            _PRODUCTS.c.station_id,
            _PRODUCTS.c.venues,
            # What an order accepted at once copies onto its receipt's lines.
            _PRODUCTS.c.barcode,
            _PRODUCTS.c.cost_price,
            _STOPS.c.limit.label("stop_limit"),
            # The reference: a product with variants is not sellable itself (its own price
            # is often 0); the variants are. On the (brand_id, parent_id) index: no cost
            # measurable on creation (docs/performance.md, issue 22).
            exists()
            .where(
                _VARIANTS.c.brand_id == _PRODUCTS.c.brand_id,
                _VARIANTS.c.parent_id == _PRODUCTS.c.id,
                _VARIANTS.c.deleted_at.is_(None),
            )
            .label("has_variants"),
        )
        .select_from(_PRODUCTS)
        .outerjoin(
            _STOPS,
            (_STOPS.c.brand_id == _PRODUCTS.c.brand_id)
            & (_STOPS.c.venue_id == bindparam("venue_id"))  # each venue has its own stop list
            & (_STOPS.c.product_id == _PRODUCTS.c.id),
        )
        .where(_PRODUCTS.c.brand_id == bindparam("brand_id"), _in(_PRODUCTS.c.id, "p", size))
    )


@functools.cache
def modifiers_and_offers(size: int, products: int) -> Direct:
    return Direct(
        select(
            _MODIFIERS.c.id,
            _MODIFIERS.c.name,
            _MODIFIERS.c.price,
            _MODIFIERS.c.group_id,
            _MODIFIERS.c.deleted_at,
            _OFFERS.c.product_id.label("offered_for"),
        )
        .select_from(_MODIFIERS)
        .outerjoin(
            _OFFERS,
            (_OFFERS.c.brand_id == _MODIFIERS.c.brand_id)
            & (_OFFERS.c.modifier_group_id == _MODIFIERS.c.group_id)
            & _in(_OFFERS.c.product_id, "p", products),
        )
        .where(_MODIFIERS.c.brand_id == bindparam("brand_id"), _in(_MODIFIERS.c.id, "m", size))
    )


def variants_of(connection: Any, brand_id: int, product_id: int) -> list[Row]:
    """A product's variants (id, name, price), for the refusal naming them: read only when
    an order names a product that has some."""
    statement = (
        select(_PRODUCTS.c.id, _PRODUCTS.c.name, _PRODUCTS.c.price)
        .where(
            _PRODUCTS.c.brand_id == brand_id,
            _PRODUCTS.c.parent_id == product_id,
            _PRODUCTS.c.deleted_at.is_(None),
        )
        .order_by(_PRODUCTS.c.id)
    )
    return list(connection.execute(statement))


# A row of one of these statements, read by its columns' names.
Row = Any
CUSTOMER = Direct(
    select(_CUSTOMERS.c.deleted_at).where(
        _CUSTOMERS.c.brand_id == bindparam("brand_id"), _CUSTOMERS.c.id == bindparam("id")
    )
)


@dataclass
class Checked:
    venue_name: str
    sale_type: Row  # sale_type_id, sale_type_name, service_charge_rate ...
    products: dict[int, Row]  # id, name, price, type, category_id, station_id ...
    modifiers: dict[int, Row]  # id, name, price, group_id ...
    mode: str  # the venue's order mode
    accept_after_seconds: int | None


def at_venue(product: Row, venue_id: int) -> tuple[float, int]:
    """A catalogue row's price and status at the order's venue."""
    return venues.at_venue(product.price, product.status, product.venues, venue_id)
