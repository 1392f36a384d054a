"""Money and stock follow order lives, on both databases: each balance's movements chain,
a shift's sales are its closed receipts' payments, a stock level is what its operations
moved, and a receipt that fails to close changes nothing. Played one by one from generated
order lives (hypothesis) and side by side."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.errors import Conflict
from clopos.core.finance import shifts
from clopos.core.finance.table import Balance
from tests.orders.books import books, call
from tests.orders.conftest import Cafe

V2 = "/open-api/v2"
ADMIN = "/admin/api/brands/openapitest"
MENU = ("Cappuccino", "Espresso", "Latte", "Americano")


def _shift_open(cafe: Cafe) -> None:
    with contextlib.suppress(Conflict):  # already open
        call(cafe, shifts.open_shift, 1, amount=100, by="test")


def _balances(cafe: Cafe) -> dict[int, float]:
    def read(session: Session, brand_id: int) -> dict[int, float]:
        rows = session.execute(
            select(Balance.id, Balance.amount).where(Balance.brand_id == brand_id)
        )
        return {row.id: row.amount for row in rows}

    result: dict[int, float] = call(cafe, read)
    return result


def _order_body(cafe: Cafe, lines: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "sale_type_id": cafe.sale_types["Takeaway"],
        "venue_id": 1,
        "customer": {"name": "Leyla", "phone": "+994705401041"},
        "products": [
            {"product_id": cafe.products[name], "product_name": name, "count": count}
            for name, count in lines
        ],
    }


async def _life(
    cafe: Cafe,
    http: httpx.AsyncClient,
    lines: list[tuple[str, int]],
    cash_share: float,
    short: bool,
) -> tuple[int, int]:
    """An order accepted and paid (cash and card by `cash_share`); `short` pays too little.
    Answers the receipt's id and the close's status."""
    created = await http.post(f"{V2}/orders", headers=cafe.v2, json=_order_body(cafe, lines))
    assert created.status_code == 201, created.text
    order_id = created.json()["data"]["id"]
    accepted = await http.post(f"{ADMIN}/orders/{order_id}/accept", headers=cafe.operator)
    assert accepted.status_code == 200, accepted.text
    receipt = accepted.json()["data"]["receipt"]
    total = receipt["total"]
    cash = round(total * cash_share, 2)
    payments = [
        {"id": cafe.payment_methods["Cash"], "name": "Cash", "amount": cash},
        {"id": cafe.payment_methods["Card"], "name": "Card", "amount": round(total - cash, 2)},
    ]
    if short:
        payments[1]["amount"] = round(payments[1]["amount"] - 1, 2)
    closed = await http.post(
        f"{V2}/receipts/{receipt['id']}/close", headers=cafe.v2, json={"payment_methods": payments}
    )
    return receipt["id"], closed.status_code


def _play(cafe: Cafe, lives: list[tuple[list[tuple[str, int]], float, bool]]) -> list[int]:
    async def run() -> list[int]:
        async with cafe.server.async_http() as http:
            done = await asyncio.gather(*(_life(cafe, http, *life) for life in lives))
        return [status for _, status in done]

    return asyncio.run(run())


lines_strategy = st.lists(
    st.tuples(st.sampled_from(MENU), st.integers(min_value=1, max_value=3)), min_size=1, max_size=3
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(lines_strategy, st.sampled_from((0.0, 0.5, 1.0)), st.booleans()),
        min_size=1,
        max_size=3,
    )
)
def test_books_hold_after_any_order_lives(
    cafe: Cafe, lives: list[tuple[list[tuple[str, int]], float, bool]]
) -> None:
    _shift_open(cafe)
    for life in lives:
        before = _balances(cafe)
        (status,) = _play(cafe, [life])
        if life[2]:  # paid short: refused, and nothing moved
            assert status == 400
            assert _balances(cafe) == before
        else:
            assert status == 200
    found = books(cafe)
    assert found["problems"] == []
    assert found["transactions"] > 0


def test_books_hold_under_concurrent_order_lives(cafe: Cafe) -> None:
    _shift_open(cafe)
    lives = [
        ([(MENU[n % 4], 1 + n % 2), (MENU[(n + 1) % 4], 1)], (0.0, 0.5, 1.0)[n % 3], n % 5 == 4)
        for n in range(15)
    ]
    statuses = _play(cafe, lives)
    assert statuses.count(400) == 3 and statuses.count(200) == 12
    assert books(cafe)["problems"] == []
