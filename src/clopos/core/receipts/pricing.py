"""Money: JSON numbers on the wire, rounded half up to cents here, the one place totals are
worked out (orders and receipts alike)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from clopos.core.errors import Invalid

CENT = Decimal("0.01")


def money(value: float | Decimal) -> float:
    """`value` rounded half up to cents."""
    return float(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal: float
    total_discount: float
    discount_rate: float
    service_charge: float  # percentage
    service_charge_value: float  # amount
    delivery_fee: float
    total: float


def totals(
    subtotal: float,
    *,
    discount_type: int = 0,
    discount_value: float = 0,
    service_rate: float = 0,
    delivery_fee: float = 0,
) -> Totals:
    """Discount (1: percent of the subtotal, 2: an amount), then the service charge (a
    percentage of the discounted subtotal), then the delivery fee."""
    base = Decimal(str(money(subtotal)))
    value = Decimal(str(discount_value))
    if discount_type == 1:
        if value > 100:
            raise Invalid(
                "discount_value must be at most 100 for a percentage discount",
                error="validation_failed",
            )
        discount = base * value / 100
    elif discount_type == 2:
        discount = min(value, base)
    else:
        discount = Decimal(0)
    discount = Decimal(str(money(discount)))
    rate = Decimal(str(service_rate))
    service = Decimal(str(money((base - discount) * rate / 100)))
    fee = Decimal(str(money(delivery_fee)))
    return Totals(
        subtotal=float(base),
        total_discount=float(discount),
        discount_rate=float(money(discount * 100 / base)) if base else 0.0,
        service_charge=float(rate),
        service_charge_value=float(service),
        delivery_fee=float(fee),
        total=money(base - discount + service + fee),
    )
