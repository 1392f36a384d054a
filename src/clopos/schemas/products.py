"""Products and what hangs off them: variants, modifier groups, recipes, packages, taxes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from clopos.core.products.types import ProductType
from clopos.schemas.common import WireModel
from clopos.schemas.stations import Station


class TimerPrice(WireModel):
    """An extra fee applied once the timer has run `from` minutes."""

    price: float
    from_: int = Field(alias="from")


class TimerSetting(WireModel):
    interval: int
    prices: list[TimerPrice] = Field(default_factory=list)
    calculation_methods: int = 0


class Unit(WireModel):
    id: int
    lft: int = Field(alias="_lft")
    rgt: int = Field(alias="_rgt")
    parent_id: int | None = None
    name: str
    type: str
    symbol: str
    equal: float = 1
    deleted_at: str | None = None


class TaxType(WireModel):
    id: int
    name: str | None = None


class TaxSaleType(WireModel):
    """A sale type a tax is limited to."""

    id: int
    name: str
    system_type: str


class Tax(WireModel):
    id: int
    name: str
    rate: float
    type_id: int | None = None
    rounding_option: str = "ROUND_HALF_UP"
    priority: int = 0
    calculation_type: int = 0
    meta: dict[str, Any] = Field(default_factory=dict)
    is_default: bool = False
    status: int = 1
    created_at: str | None = None
    deleted_at: str | None = None
    # The real tax's fields (issue 8).
    type: TaxType | None = None
    has_sale_types: bool = False
    sale_types: list[TaxSaleType] = Field(default_factory=list)


class Tag(WireModel):
    id: int
    name: str


class Code(WireModel):
    id: int
    product_id: int
    code: str


class Package(WireModel):
    id: int
    product_id: int
    name: str
    equal: float


class RecipePivot(WireModel):
    """Quantities as the real backend sends them: decimal strings such as `"1.000"`."""

    dish_id: int
    ingredient_id: int
    gross: str
    net: str
    net_put: str | None = None


class Modifier(WireModel):
    """A modifier; `ingredient` (the ingredient product) only with
    `with[]=modificator_groups.modificators.ingredient`."""

    id: int
    group_id: int
    dish_id: int | None = None
    name: str
    price: float
    cost_price: float = 0
    brutto: float = 0
    min_count: int = 0
    max_count: int = 1
    default_count: int = 0
    status: int = 1
    position: int = 0
    ingredient_id: int | None = None
    ingredient: Product | None = None
    image: dict[str, Any] | None = None
    media: list[dict[str, Any]] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


class ModifierGroupPivot(WireModel):
    product_id: int
    modificator_group_id: int


class ModifierGroup(WireModel):
    """`type` 1 is single-choice, 0 multi-choice."""

    id: int
    name: str
    type: int
    min_select: int
    max_select: int
    status: int = 1
    adjust_to_portion: bool = False
    meta: dict[str, Any] = Field(default_factory=dict)
    modificators: list[Modifier] = Field(default_factory=list)
    pivot: ModifierGroupPivot | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


class ProductCategory(WireModel):
    id: int
    name: str
    parent_id: int | None = None
    type: str
    color: str | None = None
    status: int = 1


class ProductVenue(WireModel):
    """A venue's override of a product: the venue (`id`, `name`, as clients parse it) with
    the product's `price` there (null: the product's own) and `status` there (1/0)."""

    id: int
    name: str
    venue_id: int
    price: float | None = None
    status: int = 1


class ProductFields(WireModel):
    """A product's own fields, without relations."""

    id: int
    cid: str | None = None
    parent_id: int | None = None
    station_id: int | None = None
    category_id: int | None = None
    unit_id: int | None = None
    type: ProductType
    name: str
    parent_name: str | None = None
    full_name: str | None = None
    position: int | None = None
    barcode: str | None = None
    gov_code: str | None = None
    status: int | None = None
    hidden: int | None = None
    sold_by_weight: bool | None = None
    sold_by_portion: bool | None = None
    discountable: bool | None = None
    giftable: bool | None = None
    has_modifications: bool | None = None
    description: str | None = None
    price: float | None = None
    cost_price: float | None = None
    cooking_time: int | None = None
    inventory_behavior: Literal[0, 1, 3] | None = None
    low_stock: float | None = None
    unit_weight: float | None = None
    net_output: float | None = None
    max_age: int | None = None
    markup_rate: float | None = None
    gross_margin: float | None = None
    ignore_service_charge: bool | None = None
    color: str | None = None
    slug: str | None = None
    name_slug: str | None = None
    image: dict[str, Any] | None = None
    media: list[dict[str, Any]] | None = None
    meta: dict[str, Any] | None = None
    setting: TimerSetting | None = None
    venues: list[ProductVenue] | None = None
    properties: dict[str, Any] | list[Any] | None = None
    # Fields of the reference's full product example (issue 8).
    emenu_category_id: int | None = None
    emenu_position: int | None = None
    emenu_hidden: int | None = None
    accounting_category_id: int | None = None
    is_inventory_behavior_changeable: bool | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


class Product(ProductFields):
    """A product. Relations (`taxes`, `modifications`, ...) are present only when asked for
    with `with[]`; `selects` may trim the other fields (`id`, `name`, `type` always stay)."""

    category: ProductCategory | None = None
    station: Station | None = None
    unit: Unit | None = None
    taxes: list[Tax] | None = None
    tags: list[Tag] | None = None
    codes: list[Code] | None = None
    modifications: list[Product] | None = None
    modificator_groups: list[ModifierGroup] | None = None
    recipe: list[RecipeItem] | None = None
    packages: list[Package] | None = None


class RecipeItem(ProductFields):
    """An ingredient of a recipe: the ingredient's whole product object (the reference: "real
    data is a product object with pivot"), plus the documented `ingredient_id, name, gross,
    net` and the `pivot`; `unit` only with `with[]=recipe.unit`."""

    ingredient_id: int
    gross: float
    net: float
    pivot: RecipePivot
    unit: Unit | None = None


Product.model_rebuild()
