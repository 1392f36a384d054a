"""The catalogue import file (YAML or JSON), as pydantic models. Documented in docs/import.md.

Entries refer to each other with a `Ref`: an integer is an explicit id, a string is a name
(looked up among the file's entries and the brand's existing rows, and it must be unique).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from clopos.core.products.types import ImportedType
from clopos.schemas.common import Storable

Ref = int | str


# The largest amount (price, cost, quantity) a catalogue may hold, as the receipt bodies
# bound money: a larger number (1e23) or an infinite one is a typo, not a price.
MAX_AMOUNT = 1e12


class Bounded(Storable):
    """Numbers a catalogue can mean: floats finite and within +-MAX_AMOUNT."""

    @field_validator("*", mode="after")
    @classmethod
    def _bounded(cls, value: Any) -> Any:
        if isinstance(value, float) and not (
            math.isfinite(value) and -MAX_AMOUNT <= value <= MAX_AMOUNT
        ):
            raise ValueError(f"must be a finite number no larger than {MAX_AMOUNT:.0e}")
        return value


class Entry(Bounded):
    """Unknown keys are errors: a typo must not silently drop data."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = Field(None, ge=1)


class UnitIn(Entry):
    name: str = Field(min_length=1)
    type: str = "PIECE"
    symbol: str = ""
    equal: float = Field(1, gt=0)
    parent: Ref | None = None


class TaxIn(Entry):
    name: str = Field(min_length=1)
    rate: float = Field(ge=0, le=100)
    type_id: int | None = None
    # The tax type's name (`type {id: type_id, name}`); needs `type_id`.
    type_name: str | None = None
    # Sale types the tax is limited to (`has_sale_types`, `sale_types[]`), by name.
    sale_types: list[Ref] = Field(default_factory=list)
    rounding_option: str = "ROUND_HALF_UP"
    priority: int = 0
    calculation_type: int = 0
    is_default: bool = False
    status: Literal[0, 1] = 1

    @model_validator(mode="after")
    def _named_type(self) -> TaxIn:
        if self.type_name is not None and self.type_id is None:
            raise ValueError("type_name needs a type_id (the tax type's id)")
        return self


class TagIn(Entry):
    name: str = Field(min_length=1)


class StationIn(Entry):
    name: str = Field(min_length=1)
    status: Literal[0, 1] = 1
    type: Literal[0, 1] = 1
    printable: Literal[0, 1] = 1
    reminder_enabled: bool = False
    description: str | None = None


class CategoryIn(Entry):
    name: str = Field(min_length=1)
    type: Literal["PRODUCT", "INGREDIENT", "ACCOUNTING"] = "PRODUCT"
    color: str | None = Field(None, pattern=r"^[0-9a-fA-F]{6}$")
    status: Literal[0, 1] = 1
    position: int | None = None
    hidden: bool = False
    media: list[dict[str, Any]] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    parent: Ref | None = None
    children: list[CategoryIn] = Field(default_factory=list)


class ModifierIn(Entry):
    name: str = Field(min_length=1)
    price: float = Field(0, ge=0)
    cost_price: float = Field(0, ge=0)
    brutto: float = Field(0, ge=0)
    min_count: int = Field(0, ge=0)
    max_count: int = Field(1, ge=0)
    default_count: int = Field(0, ge=0)
    status: Literal[0, 1] = 1
    position: int = 0
    ingredient: Ref | None = None
    image: dict[str, Any] | None = None
    media: list[dict[str, Any]] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)


class ModifierGroupIn(Entry):
    name: str = Field(min_length=1)
    type: Literal[0, 1] = 1
    min_select: int = Field(0, ge=0)
    max_select: int = Field(1, ge=0)
    status: Literal[0, 1] = 1
    adjust_to_portion: bool = False
    meta: dict[str, Any] = Field(default_factory=dict)
    modifiers: list[ModifierIn] = Field(min_length=1)

    @model_validator(mode="after")
    def _bounds(self) -> ModifierGroupIn:
        if self.max_select and self.min_select > self.max_select:
            raise ValueError("min_select must not exceed max_select")
        return self


class RecipeLineIn(Bounded):
    model_config = ConfigDict(extra="forbid")

    ingredient: Ref
    gross: float = Field(gt=0)
    net: float = Field(ge=0)
    net_put: float | None = None


class PackageIn(Entry):
    name: str = Field(min_length=1)
    equal: float = Field(gt=0)


class TimerPriceIn(Bounded):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    price: float = Field(ge=0)
    from_: int = Field(alias="from", ge=0)


class TimerSettingIn(Bounded):
    model_config = ConfigDict(extra="forbid")

    interval: int = Field(gt=0)
    prices: list[TimerPriceIn] = Field(default_factory=list)
    calculation_methods: int = 0


class _ProductFields(Entry):
    name: str = Field(min_length=1)
    cid: UUID | None = None
    price: float = Field(0, ge=0)
    cost_price: float = Field(0, ge=0)
    barcode: str | None = None
    codes: list[str] = Field(default_factory=list)
    gov_code: str | None = None
    status: Literal[0, 1] = 1
    hidden: Literal[0, 1] = 0
    position: int = 0
    media: list[dict[str, Any]] = Field(default_factory=list)
    image: dict[str, Any] | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class ProductVenueIn(Bounded):
    """A venue's override of a product: its price and status there (`venues[]`)."""

    model_config = ConfigDict(extra="forbid")

    venue_id: int = Field(ge=1)
    price: float | None = Field(None, ge=0)
    status: Literal[0, 1] | None = None


_AVAILABILITY = {"itemAvailability", "itemVisibility", "schedules"}


def check_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """`meta.langs` is `{lang: {field: text}}`; `meta.availability` has the reference's keys
    (`itemAvailability`, `itemVisibility`, `schedules`)."""
    langs = meta.get("langs")
    if langs is not None and not (
        isinstance(langs, dict) and all(isinstance(v, dict) for v in langs.values())
    ):
        raise ValueError("meta.langs is {language: {field: text}}, e.g. {en: {name: Tea}}")
    availability = meta.get("availability")
    if availability is not None:
        if not isinstance(availability, dict):
            raise ValueError("meta.availability is an object")
        unknown = sorted(set(availability) - _AVAILABILITY)
        if unknown:
            raise ValueError(
                f"meta.availability: unknown {', '.join(unknown)}"
                f" (known: {', '.join(sorted(_AVAILABILITY))})"
            )
    return meta


class VariantIn(_ProductFields):
    """A variant (`MODIFICATION`) of a GOODS product; named by its own part ("0.5 L")."""


class ProductIn(_ProductFields):
    type: ImportedType
    category: Ref | None = None
    station: Ref | None = None
    unit: Ref | None = None
    sold_by_weight: bool = False
    sold_by_portion: bool = False
    discountable: bool = True
    giftable: bool = True
    ignore_service_charge: bool = False
    description: str | None = None
    cooking_time: int | None = Field(None, ge=0)
    inventory_behavior: Literal[0, 1, 3] = 0
    low_stock: float | None = None
    unit_weight: float | None = None
    net_output: float | None = None
    max_age: int | None = None
    markup_rate: float | None = None
    color: str | None = None
    venues: list[ProductVenueIn] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    emenu_category_id: int | None = Field(None, ge=1)
    emenu_position: int | None = None
    emenu_hidden: Literal[0, 1] = 0
    accounting_category_id: int | None = Field(None, ge=1)
    is_inventory_behavior_changeable: bool = True
    setting: TimerSettingIn | None = None
    taxes: list[Ref] = Field(default_factory=list)
    tags: list[Ref] = Field(default_factory=list)
    modifier_groups: list[Ref] = Field(default_factory=list)
    recipe: list[RecipeLineIn] = Field(default_factory=list)
    packages: list[PackageIn] = Field(default_factory=list)
    variants: list[VariantIn] = Field(default_factory=list)

    @field_validator("meta")
    @classmethod
    def _meta(cls, meta: dict[str, Any]) -> dict[str, Any]:
        return check_meta(meta)

    @field_validator("venues")
    @classmethod
    def _one_override_per_venue(cls, venues: list[ProductVenueIn]) -> list[ProductVenueIn]:
        ids = [venue.venue_id for venue in venues]
        if len(ids) != len(set(ids)):
            raise ValueError("venues: one entry per venue_id")
        return venues

    @model_validator(mode="after")
    def _fits_type(self) -> ProductIn:
        rules = (
            (self.setting is not None, {"TIMER"}, "setting"),
            (bool(self.variants), {"GOODS"}, "variants"),
            (bool(self.modifier_groups), {"DISH"}, "modifier_groups"),
            (bool(self.recipe), {"DISH", "PREPARATION"}, "recipe"),
            (bool(self.packages), {"INGREDIENT"}, "packages"),
        )
        for present, types, name in rules:
            if present and self.type not in types:
                raise ValueError(f"{name} is only allowed for {', '.join(sorted(types))} products")
        if self.type == "TIMER" and self.setting is None:
            raise ValueError("a TIMER product needs a setting (interval, prices)")
        return self


class BalanceIn(Bounded):
    """A payment method's balance account: the documented `{id, system_type, name, type}`
    plus `amount` and `position`."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = Field(None, ge=1)
    system_type: str | None = None
    name: str | None = None
    type: str | None = None
    amount: float = 0
    position: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _customers_hold_their_own(self) -> BalanceIn:
        # A method naming a CUSTOMER account pays from each receipt's customer's own account
        # (docs/compatibility.md): the account it names holds nothing itself.
        if "CUSTOMER" in (self.type, self.system_type) and self.amount:
            raise ValueError(
                "a CUSTOMER balance holds nothing itself (each customer has an account of its "
                "own: give customers a balance_amount)"
            )
        return self


class PaymentMethodIn(Entry):
    name: str = Field(min_length=1)
    status: dict[str, Literal[0, 1]] = Field(default_factory=dict)
    split: Literal[0, 1] = 1
    position: int = 0
    customer_required: Literal[0, 1] = 0
    is_system: Literal[0, 1] = 0
    balance: BalanceIn | None = None
    service: dict[str, Any] | None = None


class SaleTypeIn(Entry):
    name: str = Field(min_length=1)
    system_type: Literal["IN", "DELIVERY", "TAKEAWAY"]
    channel: str | None = None
    status: dict[str, Literal[0, 1]] = Field(default_factory=dict)
    service_charge_rate: float | None = Field(None, ge=0)
    position: int = 0
    media: list[dict[str, Any]] = Field(default_factory=list)
    payment_method: Ref | None = None


class PriceIn(Entry):
    product: Ref
    price: float = Field(ge=0)


class PriceListIn(Entry):
    name: str = Field(min_length=1)
    description: str | None = None
    status: bool = True
    prices: list[PriceIn] = Field(default_factory=list)


class CustomerGroupIn(Entry):
    name: str = Field(min_length=1)
    # 0 none, 1 percent, 2 amount, as the API answers it.
    discount_type: Literal[0, 1, 2] | None = None
    discount_value: float = Field(0, ge=0)
    system_type: str | None = None
    total_amount: float = 0

    @field_validator("discount_type", mode="before")
    @classmethod
    def _discount_type(cls, value: object) -> object:
        if value is not None and (type(value) is not int or value not in (0, 1, 2)):
            raise ValueError(f"discount_type is 0 (none), 1 (percent) or 2 (amount), not {value!r}")
        return value


class CustomerIn(Entry):
    name: str = Field(min_length=1)
    cid: UUID | None = None
    email: str | None = None
    phone: str | None = None
    phones: list[str] = Field(default_factory=list)
    code: str | None = None
    group: Ref | None = None
    venue_id: int | None = None
    address: str | None = None
    address_data: list[dict[str, Any]] = Field(default_factory=list)
    description: str | None = None
    discount: float = 0
    spent: float = 0
    total_discount: float = 0
    total_bonus: float = 0
    receipt_count: int = 0
    # What the customer's balance, bonus and cashback accounts hold (made on import).
    balance_amount: float = 0
    bonus_amount: float = 0
    cashback_amount: float = 0
    gender: Literal[1, 2] | None = None
    date_of_birth: date | None = None
    source: str | None = None
    reference_id: str | None = None
    status: bool = True
    can_use_loyalty_system: bool = False
    is_verified: bool = False


class UserIn(Entry):
    username: str = Field(min_length=1)
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    pin: str | None = Field(None, pattern=r"^\d{4,8}$")
    card: str | None = None
    mobile_number: str | None = None
    owner: Literal[0, 1] = 0
    hide: Literal[0, 1] = 0
    salary: float = 0
    barcode: str | None = None
    tip_message: str | None = None
    can_receive_tips: bool = False
    status: bool = True


class CatalogueFile(BaseModel):
    """A whole file; every section is optional."""

    model_config = ConfigDict(extra="forbid")

    brand: str | None = None
    units: list[UnitIn] = Field(default_factory=list)
    taxes: list[TaxIn] = Field(default_factory=list)
    tags: list[TagIn] = Field(default_factory=list)
    stations: list[StationIn] = Field(default_factory=list)
    categories: list[CategoryIn] = Field(default_factory=list)
    modifier_groups: list[ModifierGroupIn] = Field(default_factory=list)
    products: list[ProductIn] = Field(default_factory=list)
    payment_methods: list[PaymentMethodIn] = Field(default_factory=list)
    sale_types: list[SaleTypeIn] = Field(default_factory=list)
    price_lists: list[PriceListIn] = Field(default_factory=list)
    customer_groups: list[CustomerGroupIn] = Field(default_factory=list)
    customers: list[CustomerIn] = Field(default_factory=list)
    users: list[UserIn] = Field(default_factory=list)
