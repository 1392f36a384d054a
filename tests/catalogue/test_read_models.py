"""A resource's fields are declared once, in its wire model; its table and its answers must
agree with it. Each read model is checked three ways: every wire field is derived (the model
refuses to be made otherwise, at import), every column of the table is on the wire, used by a
computation or declared hidden, and a real answer carries exactly the wire fields."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from clopos.core.catalogue_import.format import ProductIn
from clopos.core.categories.service import CATEGORY
from clopos.core.customers.service import CUSTOMER, GROUP
from clopos.core.finance.read import MODELS as FINANCE_MODELS
from clopos.core.inventory.read import MODELS as INVENTORY_MODELS
from clopos.core.orders.read import ORDER
from clopos.core.price_lists.service import PRICE, PRICE_LIST
from clopos.core.products.read import PRODUCT
from clopos.core.readmodel import ReadModel
from clopos.core.receipts.read import LINE, MODIFICATOR, PAYMENT, RECEIPT
from clopos.core.sales.service import PAYMENT_METHOD, SALE_TYPE
from clopos.core.stations.service import STATION
from clopos.core.stop_list.service import ENTRY
from clopos.core.users.service import USER
from clopos.core.venues.service import VENUE
from clopos.schemas.common import WireModel
from tests.catalogue.conftest import Api
from tests.support import LiveServer

# Each resource's read model and the list that answers with it (relations not asked for).
ANSWERED = [
    (PRODUCT, "/products"),
    (VENUE, "/venues"),
    (STATION, "/stations"),
    (CATEGORY, "/categories"),
    (CUSTOMER, "/customers"),
    (GROUP, "/customer-groups"),
    (USER, "/users"),
    (SALE_TYPE, "/sale-types"),
    (PAYMENT_METHOD, "/payment-methods"),
    (PRICE_LIST, "/price-lists"),
    (PRICE, "/price-lists/prices"),
    (ENTRY, "/products/stop-list"),
]
# Orders and receipts answer in tests/orders/test_read_models.py, finance and inventory in
# tests/orders/test_finance_inventory.py.
MODELS = [model for model, _ in ANSWERED] + [ORDER, RECEIPT, LINE, MODIFICATOR, PAYMENT]
MODELS += [*FINANCE_MODELS, *INVENTORY_MODELS]


def strict(model: ReadModel) -> type[BaseModel]:
    """The wire model with unknown keys refused (the wire's own keeps them, for clients)."""
    config = ConfigDict(extra="forbid", populate_by_name=True)
    return type(f"Strict{model.wire.__name__}", (model.wire,), {"model_config": config})


def _name(model: ReadModel) -> str:
    return model.resource


@pytest.mark.parametrize("model", MODELS, ids=_name)
def test_every_column_is_answered_used_or_hidden(model: ReadModel) -> None:
    selected = {column.key for column in model.columns}
    accounted = set(model.fields) | selected | model.hidden | {"brand_id"}
    assert set(model.table.c.keys()) - accounted == set(), (
        "a column neither on the wire, read by a computation, nor declared hidden"
    )
    assert model.hidden <= set(model.table.c.keys()), "hidden names a column that is not there"


def test_an_underived_field_is_refused() -> None:
    class Extra(WireModel):
        id: int
        invented: str

    with pytest.raises(TypeError, match="invented"):
        ReadModel(VENUE.table, Extra)


@pytest.mark.parametrize(("model", "path"), ANSWERED, ids=[path for _, path in ANSWERED])
def test_answers_carry_exactly_the_wire_fields(
    live: LiveServer, v2: Api, model: ReadModel, path: str
) -> None:
    if path == "/products/stop-list":  # empty unless an operator puts a product on it
        with _on_the_stop_list(live, 3):
            rows = v2.get(path, limit=50).json()["data"]
    else:
        rows = v2.get(path, limit=50).json()["data"]
    assert rows
    checked = strict(model)
    with pytest.raises(ValidationError):
        checked.model_validate({**rows[0], "unknown": 1})
    for row in rows:
        assert tuple(row) == model.fields
        checked.model_validate(row)


@contextmanager
def _on_the_stop_list(live: LiveServer, product_id: int) -> Iterator[None]:
    url = f"/admin/api/brands/openapitest/stop-list/{product_id}"
    auth = {"Authorization": "Bearer operator-secret"}
    assert live.http.put(url, json={"limit": 1}, headers=auth).status_code == 200
    try:
        yield
    finally:
        live.http.delete(url, headers=auth)


def test_the_import_format_stores_product_fields_as_columns() -> None:
    """An imported product's plain fields are stored as they are (the importer passes them
    to the table by name): each must be a column, and so on the wire or hidden."""
    references = {"id", "category", "station", "unit", "taxes", "tags", "modifier_groups"}
    references |= {"recipe", "packages", "variants", "codes"}
    plain = set(ProductIn.model_fields) - references
    assert plain - set(PRODUCT.table.c.keys()) == set()
