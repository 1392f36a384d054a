"""Money and stock follow order lives, on both databases: each balance's movements chain,
a shift's sales are its closed receipts' payments, a stock level is what its operations
moved, and a receipt that fails to close changes nothing. A customer's account chains the
same way and holds what it started with plus its deposits less what was paid from it; a
close it cannot cover is refused whole. Played one by one from generated order lives
(hypothesis) and side by side."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.customers.table import Customer
from clopos.core.errors import Conflict
from clopos.core.finance import shifts
from clopos.core.finance.table import Balance
from clopos.core.inventory.documents import DocumentDraft, ItemDraft, post_document
from clopos.core.inventory.kinds import IN, WASTE
from clopos.core.inventory.table import Supplier
from clopos.core.products.table import Product
from clopos.core.receipts.table import Storage
from tests.orders.books import books, call
from tests.orders.conftest import Cafe

V2 = "/open-api/v2"
ADMIN = "/admin/api/brands/openapitest"
MENU = ("Cappuccino", "Espresso", "Latte", "Americano")
FROM_ACCOUNT = "Customer balance"


def _shift_open(cafe: Cafe) -> None:
    with contextlib.suppress(Conflict):  # already open
        call(cafe, shifts.open_shift, 1, amount=100, by="test")


def _balances(cafe: Cafe) -> dict[Any, float]:
    """What every balance holds, and what every customer shows (keyed by `("customer", id)`)."""

    def read(session: Session, brand_id: int) -> dict[Any, float]:
        rows = session.execute(
            select(Balance.id, Balance.amount).where(Balance.brand_id == brand_id)
        )
        held: dict[Any, float] = {row.id: row.amount for row in rows}
        for row in session.execute(
            select(Customer.id, Customer.balance_amount).where(Customer.brand_id == brand_id)
        ):
            held[("customer", row.id)] = row.balance_amount
        return held

    result: dict[Any, float] = call(cafe, read)
    return result


def _customer(cafe: Cafe, name: str) -> int:
    made = cafe.http.post(f"{V2}/customers", headers=cafe.v2, json={"name": name})
    assert made.status_code == 200, made.text
    customer_id: int = made.json()["data"]["id"]
    return customer_id


def _held(cafe: Cafe, customer_id: int) -> float:
    """What the customer's account holds, as `/finance/balances/customer` shows it."""
    params = {"filters[0][0]": "customer_id", "filters[0][1]": str(customer_id)}
    found = cafe.http.get(f"{V2}/finance/balances/customer", headers=cafe.v2, params=params)
    assert found.status_code == 200, found.text
    amount: float = found.json()["data"][0]["balance"]
    return amount


async def _deposit(cafe: Cafe, http: httpx.AsyncClient, customer_id: int, amount: float) -> None:
    made = await http.post(
        f"{ADMIN}/customers/{customer_id}/deposit",
        headers=cafe.operator,
        json={"amount": amount, "payment_method_id": cafe.payment_methods["Cash"]},
    )
    assert made.status_code == 201, made.text


def _order_body(
    cafe: Cafe, lines: list[tuple[str, int]], customer_id: int | None
) -> dict[str, Any]:
    customer: dict[str, Any] = {"name": "Leyla", "phone": "+994705401041"}
    if customer_id is not None:
        customer = {"id": customer_id, "name": "Leyla"}
    return {
        "sale_type_id": cafe.sale_types["Takeaway"],
        "venue_id": 1,
        "customer": customer,
        "products": [
            {"product_id": cafe.products[name], "product_name": name, "count": count}
            for name, count in lines
        ],
    }


@dataclass(frozen=True)
class Life:
    """An order's life: its lines, paid in cash and card by `cash_share` after the share
    `account_share` of its total is paid from `customer`'s account (when given); `short`
    pays too little."""

    lines: list[tuple[str, int]]
    cash_share: float = 0.5
    short: bool = False
    customer: int | None = None
    account_share: float = 0.0


@dataclass(frozen=True)
class Lived:
    receipt_id: int
    status: int
    from_account: float  # what the close asked of the customer's account
    error: str | None = None


async def _life(cafe: Cafe, http: httpx.AsyncClient, life: Life) -> Lived:
    body = _order_body(cafe, life.lines, life.customer)
    created = await http.post(f"{V2}/orders", headers=cafe.v2, json=body)
    assert created.status_code == 201, created.text
    order_id = created.json()["data"]["id"]
    accepted = await http.post(f"{ADMIN}/orders/{order_id}/accept", headers=cafe.operator)
    assert accepted.status_code == 200, accepted.text
    receipt = accepted.json()["data"]["receipt"]
    total = receipt["total"]
    from_account = round(total * life.account_share, 2) if life.customer is not None else 0.0
    rest = round(total - from_account, 2)
    cash = round(rest * life.cash_share, 2)
    payments = [
        {"id": cafe.payment_methods["Cash"], "name": "Cash", "amount": cash},
        {"id": cafe.payment_methods["Card"], "name": "Card", "amount": round(rest - cash, 2)},
    ]
    if from_account:
        method = cafe.payment_methods[FROM_ACCOUNT]
        payments.append({"id": method, "name": FROM_ACCOUNT, "amount": from_account})
    if life.short:
        payments[1]["amount"] = round(payments[1]["amount"] - 1, 2)
    closed = await http.post(
        f"{V2}/receipts/{receipt['id']}/close", headers=cafe.v2, json={"payment_methods": payments}
    )
    error = None if closed.status_code == 200 else closed.json().get("error")
    return Lived(receipt["id"], closed.status_code, from_account, error)


def _play(cafe: Cafe, lives: list[Life], deposits: Sequence[tuple[int, float]] = ()) -> list[Lived]:
    """The lives, and the deposits `(customer, amount)`, all side by side."""

    async def run() -> list[Lived]:
        async with cafe.server.async_http() as http:
            done = await asyncio.gather(
                *(_life(cafe, http, life) for life in lives),
                *(_deposit(cafe, http, *made) for made in deposits),
            )
        return [lived for lived in done if isinstance(lived, Lived)]

    return asyncio.run(run())


def _untouched(cafe: Cafe, receipt_id: int) -> None:
    """A receipt whose close was refused: still open, no money, stock or taxes of its own."""
    receipt = cafe.http.get(f"{V2}/receipts/{receipt_id}", headers=cafe.v2).json()["data"]
    assert receipt["status"] == 1 and receipt["payment_methods"] == []
    for path in ("/finance/transactions", "/stock-operations"):
        found = cafe.http.get(f"{V2}{path}", headers=cafe.v2, params={"receipt_id": receipt_id})
        assert found.json()["data"] == [], path


lines_strategy = st.lists(
    st.tuples(st.sampled_from(MENU), st.integers(min_value=1, max_value=3)), min_size=1, max_size=3
)
life_strategy = st.builds(
    Life,
    lines=lines_strategy,
    cash_share=st.sampled_from((0.0, 0.5, 1.0)),
    short=st.booleans(),
    account_share=st.sampled_from((0.0, 0.5, 1.0)),
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(life_strategy, st.booleans(), st.sampled_from((0.0, 5.0, 12.5))),
        min_size=1,
        max_size=4,
    )
)
def test_books_hold_after_any_order_lives(
    cafe: Cafe, lives: list[tuple[Life, bool, float]]
) -> None:
    _shift_open(cafe)
    guest = _customer(cafe, "Books")
    expected = 0.0  # what the customer's account should hold: deposits less payments
    for life, for_guest, deposit in lives:
        if deposit:
            asyncio.run(_deposit_alone(cafe, guest, deposit))
            expected = round(expected + deposit, 2)
        if for_guest:
            life = replace(life, customer=guest)
        before = _balances(cafe)
        (lived,) = _play(cafe, [life])
        if life.short:  # paid short: refused, and nothing moved
            assert lived.status == 400
        elif lived.from_account > expected:  # more than the account holds: refused whole
            assert (lived.status, lived.error) == (409, "insufficient_balance")
        else:
            assert lived.status == 200
            expected = round(expected - lived.from_account, 2)
        if lived.status != 200:
            assert _balances(cafe) == before
            _untouched(cafe, lived.receipt_id)
        assert _held(cafe, guest) == expected
    found = books(cafe)
    assert found["problems"] == []
    assert found["transactions"] > 0


async def _deposit_alone(cafe: Cafe, customer_id: int, amount: float) -> None:
    async with cafe.server.async_http() as http:
        await _deposit(cafe, http, customer_id, amount)


def test_books_hold_under_concurrent_order_lives(cafe: Cafe) -> None:
    _shift_open(cafe)
    guest = _customer(cafe, "Books side by side")
    asyncio.run(_deposit_alone(cafe, guest, 6))
    lives = [
        Life(
            [(MENU[n % 4], 1 + n % 2), (MENU[(n + 1) % 4], 1)],
            (0.0, 0.5, 1.0)[n % 3],
            n % 5 == 4,
        )
        for n in range(15)
    ]
    # Eight single drinks paid whole from the account, which gets 6 + 2 x 5 = 16 in all
    # while they close: not enough for all eight (each at least 2.20), enough for the first.
    from_account = [Life([(MENU[n % 4], 1)], customer=guest, account_share=1.0) for n in range(8)]
    done = _play(cafe, lives + from_account, deposits=[(guest, 5), (guest, 5)])
    statuses = [lived.status for lived in done[: len(lives)]]
    assert statuses.count(400) == 3 and statuses.count(200) == 12
    paid = [lived for lived in done[len(lives) :] if lived.status == 200]
    refused = [lived for lived in done[len(lives) :] if lived.status != 200]
    assert {(lived.status, lived.error) for lived in refused} == {(409, "insufficient_balance")}
    assert paid and refused and sum(lived.from_account for lived in done[len(lives) :]) > 16
    # What it holds is what it got less what was paid from it; the refused closes left it be.
    assert _held(cafe, guest) == round(16 - sum(lived.from_account for lived in paid), 2) >= 0
    for lived in refused:
        _untouched(cafe, lived.receipt_id)
    assert books(cafe)["problems"] == []


def _stock_facts(session: Session, brand_id: int) -> tuple[int, int, int, dict[str, int]]:
    """The storage venue 1's sales take stock from, a supplier, the cash balance, and the
    ingredients of the menu's drinks by name."""
    storage = session.scalar(
        select(Storage.id)
        .where(Storage.brand_id == brand_id, Storage.venue_id == 1)
        .order_by(Storage.id)
        .limit(1)
    )
    supplier = session.scalar(
        select(Supplier.id).where(Supplier.brand_id == brand_id).order_by(Supplier.id).limit(1)
    )
    assert storage is not None and supplier is not None
    ingredients = {
        row.name: row.id
        for row in session.execute(
            select(Product.id, Product.name).where(
                Product.brand_id == brand_id, Product.name.in_(INGREDIENTS)
            )
        )
    }
    return storage, supplier, shifts.cash_balance(session, brand_id), ingredients


INGREDIENTS = ("Coffee beans", "Whole milk")


def test_books_hold_with_stock_documents_beside_closes(cafe: Cafe) -> None:
    """Inventory documents move the levels and balances closes move (waste of the drinks'
    ingredients, supplies paid in cash), side by side with the closes: every write moves
    shared rows in one order (levels by storage and product, balances by id), so none
    waits for another in a circle (PostgreSQL would abort one), and the books hold."""
    _shift_open(cafe)
    storage, supplier, cash, ingredients = call(cafe, _stock_facts)
    assert set(ingredients) == set(INGREDIENTS)
    # Items in the reverse of the order the levels move in, and the products in another
    # order from one document to the next.
    items = sorted(ingredients.values(), reverse=True)
    drafts = [
        DocumentDraft(
            type=IN if number % 2 else WASTE,
            storage_id=storage,
            items=[ItemDraft(product, 0.5) for product in items[:: 1 if number % 3 else -1]],
            supplier_id=supplier if number % 2 else None,
            balance_id=cash if number % 2 else None,
            paid=1.0 if number % 2 else 0,
        )
        for number in range(6)
    ]
    lives = [
        Life([(MENU[n % 4], 1 + n % 2), (MENU[(n + 1) % 4], 1)], (0.0, 0.5, 1.0)[n % 3])
        for n in range(10)
    ]

    async def run() -> tuple[list[Lived], list[int]]:
        async with cafe.server.async_http() as http:
            posted = [asyncio.to_thread(call, cafe, post_document, draft) for draft in drafts]
            done = await asyncio.gather(*(_life(cafe, http, life) for life in lives), *posted)
        return [d for d in done if isinstance(d, Lived)], [d for d in done if isinstance(d, int)]

    lived, documents = asyncio.run(run())
    assert [one.status for one in lived] == [200] * len(lives)
    assert len(documents) == len(drafts)
    assert books(cafe)["problems"] == []
