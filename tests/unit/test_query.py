"""The bracket-notation query parser: structure, documented forms, and every 400 branch."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos.core.errors import Invalid
from clopos.core.query import (
    Filter,
    Paging,
    Sort,
    parse_brackets,
    parse_list_query,
    parse_relations,
)
from clopos.server.errors import to_api_error

PAGING = Paging(maximum=100)


def parse(query: list[tuple[str, str]], paging: Paging = PAGING):  # type: ignore[no-untyped-def]
    return parse_list_query(query, paging)


def error_of(query: list[tuple[str, str]], paging: Paging = PAGING) -> str:
    with pytest.raises(Invalid) as caught:
        parse(query, paging)
    answer = to_api_error(caught.value)
    assert answer.status == 400
    assert answer.error == "invalid_parameter"
    return answer.message


def test_nesting_and_append() -> None:
    assert parse_brackets([("a[b][c]", "1"), ("a[b][d]", "2"), ("w[]", "x"), ("w[]", "y")]) == {
        "a": {"b": {"c": "1", "d": "2"}},
        "w": {"0": "x", "1": "y"},
    }


def test_plain_key_repeated_keeps_the_last_like_php() -> None:
    assert parse_brackets([("page", "1"), ("page", "3")]) == {"page": "3"}


def test_conflicting_shapes_are_a_400() -> None:
    for items in ([("a", "1"), ("a[0]", "2")], [("a[0]", "2"), ("a", "1")]):
        with pytest.raises(Invalid):
            parse_brackets(items)


def test_documented_products_example() -> None:
    query = parse(
        [
            ("page", "1"),
            ("limit", "50"),
            ("filters[0][0]", "type"),
            ("filters[0][1][0]", "GOODS"),
            ("filters[0][1][1]", "DISH"),
            ("filters[0][1][2]", "TIMER"),
            ("filters[1][0]", "inventory_behavior"),
            ("filters[1][1]", "0"),
        ]
    )
    assert query.page == 1 and query.limit == 50
    assert query.filters == (
        Filter("type", ("GOODS", "DISH", "TIMER"), "filters[0]"),
        Filter("inventory_behavior", "0", "filters[1]"),
    )


def test_filter_outer_index_order_is_irrelevant() -> None:
    query = parse(
        [
            ("filters[5][0]", "b"),
            ("filters[5][1]", "2"),
            ("filters[2][0]", "a"),
            ("filters[2][1]", "1"),
        ]
    )
    assert [f.field for f in query.filters] == ["a", "b"]


def test_array_values_follow_their_index_not_arrival_order() -> None:
    query = parse([("filters[0][0]", "id"), ("filters[0][1][1]", "332"), ("filters[0][1][0]", "1")])
    assert query.filters[0].value == ("1", "332")


def test_with_both_forms_and_deduplicated() -> None:
    assert parse([("with[]", "taxes"), ("with[]", "unit"), ("with[]", "taxes")]).relations == (
        "taxes",
        "unit",
    )
    assert parse([("with[0]", "a"), ("with[1]", "b")]).relations == ("a", "b")
    assert parse_relations([("with[0]", "receipt:id,status")]) == ("receipt:id,status",)


def test_sort_pair_and_price_list_form() -> None:
    assert parse([("sort[0]", "name"), ("sort[1]", "1")]).sorts == (Sort("name", False),)
    assert parse([("sort[0]", "name")]).sorts == (Sort("name", True),)  # documented default -1
    assert parse(
        [
            ("sort[0][0]", "name"),
            ("sort[0][1]", "asc"),
            ("sort[1][0]", "id"),
            ("sort[1][1]", "desc"),
        ]
    ).sorts == (
        Sort("name", False),
        Sort("id", True),
    )


def test_sort_direction_must_be_1_or_minus_1() -> None:
    assert error_of([("sort[0]", "name"), ("sort[1]", "2")]) == "sort[1] must be 1 or -1"


def test_dates_inclusive_and_validated() -> None:
    query = parse([("date[0]", "2026-01-19"), ("date[1]", "2026-01-20")])
    assert (query.date_from, query.date_to) == (date(2026, 1, 19), date(2026, 1, 20))
    assert error_of([("date[0]", "2026-13-01")]) == "date[0] must be a date in YYYY-MM-DD format"
    assert "later" in error_of([("date[0]", "2026-02-01"), ("date[1]", "2026-01-01")])


def test_selects_comma_list() -> None:
    assert parse([("selects", "id, name,price")]).selects == ("id", "name", "price")
    assert parse([]).selects is None


def test_defaults() -> None:
    query = parse([], Paging(maximum=200, default=50))
    assert (query.page, query.limit, query.offset) == (1, 50, 0)
    assert parse([("page", "3"), ("limit", "20")]).offset == 40


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "99999999999999999999"])
def test_limit_out_of_range_uses_the_documented_message(limit: str) -> None:
    assert error_of([("limit", limit)]) == "The 'limit' parameter must be between 1 and 100"


def test_limit_bounds_are_per_resource() -> None:
    assert parse([("limit", "999")], Paging(maximum=999)).limit == 999
    assert error_of([("limit", "1000")], Paging(maximum=999)).endswith("between 1 and 999")


@pytest.mark.parametrize("page", ["0", "-3", "x", "1000000001"])
def test_page_must_be_positive(page: str) -> None:
    assert "'page'" in error_of([("page", page)])


def test_malformed_filters_are_400() -> None:
    assert error_of([("filters[0][0]", "type")]) == "Invalid filter parameters"
    assert error_of([("filters[0]", "type")]) == "Invalid filter parameters"
    assert (
        error_of([("filters[0][0][x]", "a"), ("filters[0][1]", "b")]) == "Invalid filter parameters"
    )


def test_json_filters_of_v1_products() -> None:
    query = parse([("filters", '[["type", ["GOODS", "DISH"]], ["giftable", true]]')])
    assert query.filters == (
        Filter("type", ("GOODS", "DISH"), "filters[0]"),
        Filter("giftable", "1", "filters[1]"),
    )
    assert parse([("filters", '{"category_id": 3}')]).filters == (
        Filter("category_id", "3", "filters[0]"),
    )
    assert error_of([("filters", "{not json")]) == "Invalid filter parameters"


def test_too_many_parameters_or_too_deep() -> None:
    assert "Too many" in error_of([(f"with[{i}]", "x") for i in range(501)])
    assert "nested too deeply" in error_of([("a[1][2][3][4][5]", "x")])


keys = st.text(alphabet="abcxyz_", min_size=1, max_size=6)
values = st.text(max_size=8)


@given(st.dictionaries(keys, values, max_size=10))
def test_plain_pairs_round_trip(pairs: dict[str, str]) -> None:
    assert parse_brackets(pairs.items()) == pairs


@given(st.lists(values, max_size=20))
def test_appended_values_keep_order(items: list[str]) -> None:
    parsed = parse_brackets([("v[]", item) for item in items])
    assert list(parsed.get("v", {}).values()) == items  # type: ignore[union-attr]


@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=10)), max_size=30))
def test_arbitrary_input_never_raises_anything_but_a_400(items: list[tuple[str, str]]) -> None:
    try:
        parse(items)
    except Invalid as error:
        assert to_api_error(error).status == 400


@given(st.integers(min_value=1, max_value=100), st.integers(min_value=1, max_value=10**6))
def test_valid_paging_is_accepted(limit: int, page: int) -> None:
    query = parse([("limit", str(limit)), ("page", str(page))])
    assert query.offset == (page - 1) * limit
