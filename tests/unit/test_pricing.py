"""Money and totals (core/receipts/pricing.py): cents rounded half up, the discount, then the
service charge on the discounted subtotal, then the delivery fee."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clopos.core.errors import Invalid
from clopos.core.receipts.pricing import Totals, money, totals


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0.0),
        (1, 1.0),
        (2.345, 2.35),
        (2.344, 2.34),
        (0.005, 0.01),  # half up, not half to even
        (0.015, 0.02),
        (1.005, 1.01),  # binary 1.00499999... still rounds as the decimal written
        (2.675, 2.68),
        (0.1 + 0.2, 0.3),
        (-0.005, -0.01),  # half away from zero
        (-2.345, -2.35),
        (Decimal("9.995"), 10.0),
        (999999999.995, 1000000000.0),
    ],
)
def test_money_rounds_half_up_to_cents(value: float | Decimal, expected: float) -> None:
    assert money(value) == expected
    assert isinstance(money(value), float)


def test_no_discount_no_charge_is_the_subtotal() -> None:
    assert totals(12.5) == Totals(
        subtotal=12.5,
        total_discount=0.0,
        discount_rate=0.0,
        service_charge=0.0,
        service_charge_value=0.0,
        delivery_fee=0.0,
        total=12.5,
    )


def test_the_subtotal_is_rounded_first() -> None:
    figures = totals(10.005)
    assert figures.subtotal == 10.01
    assert figures.total == 10.01


def test_a_percentage_discount() -> None:
    figures = totals(20, discount_type=1, discount_value=10)
    assert figures.total_discount == 2.0
    assert figures.discount_rate == 10.0
    assert figures.total == 18.0


def test_a_percentage_discount_is_rounded_to_cents() -> None:
    figures = totals(10, discount_type=1, discount_value=33.333)
    assert figures.total_discount == 3.33
    assert figures.total == 6.67
    assert figures.discount_rate == 33.3


def test_a_whole_percentage_discount_leaves_nothing() -> None:
    figures = totals(7.4, discount_type=1, discount_value=100)
    assert figures.total_discount == 7.4
    assert figures.total == 0.0


def test_a_percentage_above_100_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        totals(10, discount_type=1, discount_value=100.01)
    assert refused.value.error == "validation_failed"
    assert "at most 100" in refused.value.message


def test_an_amount_discount() -> None:
    figures = totals(20, discount_type=2, discount_value=5)
    assert figures.total_discount == 5.0
    assert figures.discount_rate == 25.0
    assert figures.total == 15.0


def test_an_amount_discount_is_capped_at_the_subtotal() -> None:
    figures = totals(8, discount_type=2, discount_value=50)
    assert figures.total_discount == 8.0
    assert figures.discount_rate == 100.0
    assert figures.total == 0.0


@pytest.mark.parametrize("discount_type", [0, 3, -1])
def test_other_discount_types_give_no_discount(discount_type: int) -> None:
    figures = totals(10, discount_type=discount_type, discount_value=5)
    assert figures.total_discount == 0.0
    assert figures.total == 10.0


def test_the_service_charge_is_on_the_discounted_subtotal() -> None:
    figures = totals(100, discount_type=1, discount_value=20, service_rate=10)
    assert figures.service_charge == 10.0  # the rate
    assert figures.service_charge_value == 8.0  # 10 % of 80, not of 100
    assert figures.total == 88.0


def test_the_service_charge_is_rounded_to_cents() -> None:
    figures = totals(3.33, service_rate=12.5)
    assert figures.service_charge_value == 0.42  # 0.41625
    assert figures.total == 3.75


def test_the_delivery_fee_is_added_last_and_never_discounted() -> None:
    figures = totals(50, discount_type=1, discount_value=10, service_rate=10, delivery_fee=4.999)
    assert figures.delivery_fee == 5.0
    assert figures.service_charge_value == 4.5  # 10 % of 45: the fee is not charged on
    assert figures.total == 54.5  # 45 + 4.5 + 5


def test_an_empty_order_has_no_discount_rate() -> None:
    figures = totals(0, discount_type=2, discount_value=5, delivery_fee=3)
    assert figures.total_discount == 0.0
    assert figures.discount_rate == 0.0  # no division by a zero subtotal
    assert figures.total == 3.0


def test_totals_in_cents_add_up() -> None:
    figures = totals(0.1 + 0.2, service_rate=10, delivery_fee=0.7)
    assert figures.subtotal == 0.3
    assert figures.total == 1.03
