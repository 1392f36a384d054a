"""The catalogue importer: reading a file, validating the format (each error naming the entry),
and what an import into a fresh brand stores; all of it or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clopos.core.access import service as access
from clopos.core.catalogue_import.demo import load_demo_catalogue
from clopos.core.catalogue_import.format import MAX_AMOUNT, CatalogueFile
from clopos.core.catalogue_import.importer import (
    ImportFailure,
    import_catalogue,
    load_document,
    parse_document,
)
from clopos.core.errors import Invalid
from clopos.core.tables import Category, ModifierGroup, Product, Station
from tests.unit.conftest import Units

SMALL = """
stations: [{name: Grill}]
categories:
  - name: Burgers
    children: [{name: Sides}]
modifier_groups:
  - {name: Sauce, type: 0, max_select: 2, modifiers: [{name: Ketchup, price: 0.2}]}
products:
  - {name: Cheeseburger, type: DISH, category: burgers, station: Grill, price: 8.55,
     modifier_groups: [Sauce]}
  - {name: Fries, type: GOODS, category: Sides, price: 3,
     variants: [{name: Large, price: 4.5}]}
"""


def parse(text: str) -> CatalogueFile:
    return parse_document(yaml.safe_load(text))


def refusal(text: str) -> str:
    with pytest.raises(ImportFailure) as refused:
        parse(text)
    return refused.value.message


# --- the format ----------------------------------------------------------------------------


def test_an_empty_document_is_valid() -> None:
    document = parse("{}")
    assert document.products == [] and document.categories == []


def test_the_small_document_parses() -> None:
    document = parse(SMALL)
    assert [p.name for p in document.products] == ["Cheeseburger", "Fries"]
    assert document.products[0].category == "burgers"
    assert document.products[1].variants[0].price == 4.5
    assert document.categories[0].children[0].name == "Sides"


def test_an_import_failure_is_an_invalid_input() -> None:
    assert issubclass(ImportFailure, Invalid)


def test_an_unknown_section_is_refused() -> None:
    assert refusal("dishes: []").startswith("dishes: ")


def test_an_unknown_field_names_the_entry() -> None:
    message = refusal("products:\n  - {name: Soup, type: DISH, colour: red}")
    assert message.startswith("products[0] (Soup).colour: ")


def test_an_unknown_product_type_names_the_entry() -> None:
    assert refusal("products:\n  - {name: Soup, type: SOUP}").startswith("products[0] (Soup).type")


def test_a_missing_name_is_refused() -> None:
    assert refusal("stations:\n  - {type: 1}").startswith("stations[0].name: ")


@pytest.mark.parametrize("price", ["-1", "1e13", ".inf", ".nan"])
def test_a_price_out_of_bounds_is_refused(price: str) -> None:
    message = refusal(f"products:\n  - {{name: Gold, type: DISH, price: {price}}}")
    assert message.startswith("products[0] (Gold).price: ")


def test_the_largest_price_is_taken() -> None:
    document = parse(f"products:\n  - {{name: Gold, type: DISH, price: {MAX_AMOUNT}}}")
    assert document.products[0].price == MAX_AMOUNT


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("{name: Clock, type: TIMER}", "a TIMER product needs a setting"),
        (
            "{name: Tea, type: GOODS, recipe: [{ingredient: Leaf, gross: 1, net: 1}]}",
            "recipe is only",
        ),
        ("{name: Tea, type: DISH, variants: [{name: Big}]}", "variants is only allowed for GOODS"),
        ("{name: Tea, type: GOODS, modifier_groups: [Milk]}", "modifier_groups is only"),
    ],
)
def test_fields_that_do_not_fit_the_product_type(entry: str, why: str) -> None:
    assert why in refusal(f"products:\n  - {entry}")


def test_a_modifier_group_selecting_less_than_its_minimum() -> None:
    message = refusal(
        "modifier_groups:\n  - {name: Milk, min_select: 2, max_select: 1, modifiers: [{name: Oat}]}"
    )
    assert message.startswith("modifier_groups[0] (Milk)")
    assert "min_select must not exceed max_select" in message


def test_a_customer_group_discount_type_outside_0_to_2() -> None:
    message = refusal("customer_groups:\n  - {name: VIP, discount_type: 3}")
    assert "discount_type is 0 (none), 1 (percent) or 2 (amount), not 3" in message


# --- reading a file ------------------------------------------------------------------------


def test_yaml_and_json_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("stations: [{name: Grill}]\n")
    (tmp_path / "a.json").write_text('{"stations": [{"name": "Grill"}]}')
    assert load_document(tmp_path / "a.yaml") == load_document(tmp_path / "a.json")


@pytest.mark.parametrize(
    ("name", "text", "why"),
    [
        ("bad.yaml", "stations: [", "bad.yaml is not valid yaml"),
        ("bad.json", "{'stations': []}", "bad.json is not valid json"),
        ("list.yaml", "- a\n- b\n", "list.yaml must hold a mapping of sections"),
    ],
)
def test_an_unreadable_document(tmp_path: Path, name: str, text: str, why: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(ImportFailure) as refused:
        load_document(tmp_path / name)
    assert refused.value.message.startswith(why)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match="cannot read"):
        load_document(tmp_path / "nowhere.yaml")


# --- importing -----------------------------------------------------------------------------


def _fresh_brand(session: Session) -> int:
    return access.create_brand(session, "unit-import", "Unit import").id


def _import(session: Session, text: str, slug: str = "unit-import") -> dict[str, int]:
    brand_id = access.get_brand(session, slug).id
    return import_catalogue(session, brand_id, parse(text))


def _stored(session: Session, slug: str = "unit-import") -> dict[str, Any]:
    brand_id = access.get_brand(session, slug).id
    products = session.scalars(
        select(Product).where(Product.brand_id == brand_id).order_by(Product.id)
    ).all()
    categories = {
        c.id: c for c in session.scalars(select(Category).where(Category.brand_id == brand_id))
    }
    stations = {
        s.id: s.name for s in session.scalars(select(Station).where(Station.brand_id == brand_id))
    }
    groups = session.scalar(
        select(func.count()).select_from(ModifierGroup).where(ModifierGroup.brand_id == brand_id)
    )
    return {
        "products": [
            (
                p.id,
                p.name,
                p.type,
                p.price,
                categories[p.category_id].name if p.category_id else None,
                stations.get(p.station_id) if p.station_id else None,
                p.parent_id,
            )
            for p in products
        ],
        "categories": sorted(
            (c.name, categories[c.parent_id].name if c.parent_id else None)
            for c in categories.values()
        ),
        "modifier_groups": groups,
    }


@pytest.fixture
def brand(units: Units) -> Units:
    units.write(_fresh_brand)
    return units


def test_an_import_into_a_fresh_brand(brand: Units) -> None:
    created = brand.write(_import, SMALL)
    assert created == {
        "stations": 1,
        "categories": 2,
        "modifier_groups": 1,
        "modifiers": 1,
        "products": 3,
    }
    stored = brand.write(_stored)
    assert stored["products"] == [
        (1, "Cheeseburger", "DISH", 8.55, "Burgers", "Grill", None),
        (2, "Fries", "GOODS", 3.0, "Sides", None, None),
        (3, "Large", "MODIFICATION", 4.5, "Sides", None, 2),  # the variant, under its product
    ]
    assert stored["categories"] == [("Burgers", None), ("Sides", "Burgers")]
    assert stored["modifier_groups"] == 1


def test_explicit_ids_are_kept_and_the_others_follow(brand: Units) -> None:
    brand.write(_import, "products:\n  - {id: 40, name: A, type: DISH}\n  - {name: B, type: DISH}")
    assert [p[:2] for p in brand.write(_stored)["products"]] == [(40, "A"), (41, "B")]


def test_a_failed_import_stores_nothing(brand: Units) -> None:
    text = SMALL + "  - {name: Stew, type: DISH, category: Nowhere}\n"
    with pytest.raises(ImportFailure) as refused:
        brand.write(_import, text)
    assert refused.value.message == "products[2] (Stew).category: no category named 'Nowhere'"
    assert brand.write(_stored) == {"products": [], "categories": [], "modifier_groups": 0}


def test_an_import_only_creates_rows(brand: Units) -> None:
    """Not idempotent, and says so (docs/import.md): importing again adds a second copy, and
    a name then refers to two rows."""
    brand.write(_import, "categories: [{name: Drinks}]")
    assert brand.write(_import, "categories: [{name: Drinks}]") == {"categories": 1}
    with pytest.raises(ImportFailure) as refused:
        brand.write(_import, "products:\n  - {name: Tea, type: DISH, category: Drinks}")
    assert "2 categories are named 'Drinks'; refer to it by id" in refused.value.message


def test_an_explicit_id_already_taken_is_refused(brand: Units) -> None:
    brand.write(_import, "products:\n  - {id: 7, name: A, type: DISH}")
    with pytest.raises(ImportFailure, match=r"products\[0\] \(B\): id 7 is already taken"):
        brand.write(_import, "products:\n  - {id: 7, name: B, type: DISH}")
    assert [p[1] for p in brand.write(_stored)["products"]] == ["A"]


def test_a_reference_to_the_brand_s_existing_rows(brand: Units) -> None:
    brand.write(_import, "stations: [{name: Grill}]")
    brand.write(_import, "products:\n  - {name: Steak, type: DISH, station: grill}")
    assert brand.write(_stored)["products"][0][5] == "Grill"


def test_the_demo_catalogue_loads_once(units: Units) -> None:
    """The sandbox's demo café is imported on the first start only: loading it into a brand
    that has products does nothing."""

    def count(session: Session) -> int:
        return len(session.scalars(select(Product.id).where(Product.brand_id == 1)).all())

    before = units.write(count)
    assert before > 20
    units.write(load_demo_catalogue, 1)
    assert units.write(count) == before
