"""Customers' accounts move with their money, on both databases: a receipt paid with the
method that pays from the customer's balance takes it off the account in the unit that
closes it (a transaction with the amounts before and after, the receipt and the customer);
a deposit puts money on it through a payment method; a removed receipt gives it back; and
paying more than it holds is refused with nothing changed."""

from __future__ import annotations

from typing import Any

from tests.orders.books import books
from tests.orders.conftest import Cafe

V1 = "/open-api"
V2 = "/open-api/v2"
ADMIN = "/admin/api/brands/openapitest"
FROM_BALANCE = "Customer balance"


def get(cafe: Cafe, path: str, **params: Any) -> Any:
    response = cafe.http.get(f"{V2}{path}", headers=cafe.v2, params=params or None)
    assert response.status_code == 200, (path, response.text)
    return response.json()["data"]


def customer(cafe: Cafe, name: str) -> int:
    made = cafe.http.post(f"{V2}/customers", headers=cafe.v2, json={"name": name})
    assert made.status_code == 200, made.text
    customer_id: int = made.json()["data"]["id"]
    return customer_id


def by_id(field: str, value: int) -> dict[str, str]:
    """Query parameters: the rows whose `field` is `value`, oldest first."""
    return {"filters[0][0]": field, "filters[0][1]": str(value), "sort[0]": "id", "sort[1]": "1"}


def held(cafe: Cafe, customer_id: int) -> dict[str, Any]:
    """The customer's row of `/finance/balances/customer`."""
    (row,) = get(cafe, "/finance/balances/customer", **by_id("customer_id", customer_id))
    return dict(row)


def deposit(cafe: Cafe, customer_id: int, amount: float, method: str = "Cash") -> dict[str, Any]:
    made = cafe.http.post(
        f"{ADMIN}/customers/{customer_id}/deposit",
        headers=cafe.operator,
        json={"amount": amount, "payment_method_id": cafe.payment_methods[method]},
    )
    assert made.status_code == 201, made.text
    answer: dict[str, Any] = made.json()["data"]
    return answer


def open_receipt(cafe: Cafe, customer_id: int | None, lines: dict[str, int]) -> dict[str, Any]:
    """An order for `customer_id` accepted at the venue: its open receipt."""
    body = cafe.v2_order(
        products=[
            {"product_id": cafe.products[name], "product_name": name, "count": count}
            for name, count in lines.items()
        ],
        sale_type_id=cafe.sale_types["Takeaway"],
    )
    if customer_id is None:
        body["customer"] = {"name": "Walk-in"}
    else:
        body["customer"] = {"id": customer_id, "name": "Guest"}
    created = cafe.http.post(f"{V2}/orders", headers=cafe.v2, json=body)
    assert created.status_code == 201, created.text
    order_id = created.json()["data"]["id"]
    accepted = cafe.http.post(f"{ADMIN}/orders/{order_id}/accept", headers=cafe.operator)
    assert accepted.status_code == 200, accepted.text
    receipt: dict[str, Any] = accepted.json()["data"]["receipt"]
    assert receipt["customer_id"] == customer_id
    return receipt


def close(cafe: Cafe, receipt_id: int, payments: list[tuple[str, float]]) -> Any:
    return cafe.http.post(
        f"{V2}/receipts/{receipt_id}/close",
        headers=cafe.v2,
        json={
            "payment_methods": [
                {"id": cafe.payment_methods[name], "name": name, "amount": amount}
                for name, amount in payments
            ]
        },
    )


def balances(cafe: Cafe) -> dict[int, float]:
    return {b["id"]: b["amount"] for b in get(cafe, "/finance/balances", limit=200)}


def test_the_method_names_a_customer_account(cafe: Cafe) -> None:
    (method,) = [
        m for m in get(cafe, "/payment-methods") if m["id"] == cafe.payment_methods[FROM_BALANCE]
    ]
    assert method["balance"]["type"] == "CUSTOMER" and method["customer_required"] == 1


def test_a_receipt_paid_from_the_customer_s_balance(cafe: Cafe) -> None:
    guest = customer(cafe, "Nigar Balance")
    assert held(cafe, guest)["balance"] == 0
    topped = deposit(cafe, guest, 20)
    assert topped["balance"] == 20 and topped["customer_id"] == guest
    account = topped["balance_id"]
    before = balances(cafe)
    receipt = open_receipt(cafe, guest, {"Espresso": 2})
    total = receipt["total"]
    closed = close(cafe, receipt["id"], [(FROM_BALANCE, total)])
    assert closed.status_code == 200, closed.text
    assert held(cafe, guest)["balance"] == round(20 - total, 2)
    shown = get(cafe, f"/customers/{guest}", **{"with[]": "balance"})["balance"]
    assert shown["id"] == account and shown["amount"] == round(20 - total, 2)
    (paid,) = get(cafe, "/finance/transactions", receipt_id=str(receipt["id"]))
    assert paid["balance_id"] == account and paid["customer_id"] == guest
    assert paid["receipt_id"] == receipt["id"] and paid["type"] == 2
    assert paid["payment_method_id"] == cafe.payment_methods[FROM_BALANCE]
    assert (paid["before_amount"], paid["amount"], paid["after_amount"]) == (
        20,
        -total,
        round(20 - total, 2),
    )
    # The account answers by id, like every account a transaction names; the venue's own
    # accounts (the list) did not move: the money came in with the deposit.
    assert get(cafe, f"/finance/balances/{account}")["type"] == "CUSTOMER"
    assert balances(cafe) == before
    assert books(cafe)["problems"] == []


def test_paying_more_than_the_balance_holds_changes_nothing(cafe: Cafe) -> None:
    guest = customer(cafe, "Farid Short")
    deposit(cafe, guest, 3)
    receipt = open_receipt(cafe, guest, {"Latte": 2})
    before = balances(cafe)
    transactions = get(cafe, "/finance/transactions", limit=1)
    refused = close(cafe, receipt["id"], [(FROM_BALANCE, receipt["total"])])
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "insufficient_balance"
    assert "holds 3.00" in refused.json()["message"]
    # Nothing moved: the account, the venue's accounts, the receipt, its stock.
    assert held(cafe, guest)["balance"] == 3
    assert balances(cafe) == before
    assert get(cafe, "/finance/transactions", limit=1) == transactions
    assert get(cafe, f"/receipts/{receipt['id']}")["status"] == 1
    assert get(cafe, "/stock-operations", receipt_id=str(receipt["id"])) == []
    # Part from the account, the rest in cash: it closes.
    rest = round(receipt["total"] - 3, 2)
    closed = close(cafe, receipt["id"], [(FROM_BALANCE, 3), ("Cash", rest)])
    assert closed.status_code == 200, closed.text
    assert held(cafe, guest)["balance"] == 0
    assert books(cafe)["problems"] == []


def test_paying_from_a_balance_needs_a_customer_and_at_most_the_total(cafe: Cafe) -> None:
    anonymous = open_receipt(cafe, None, {"Espresso": 1})
    refused = close(cafe, anonymous["id"], [(FROM_BALANCE, anonymous["total"])])
    assert refused.status_code == 400 and "has no customer" in refused.json()["message"]
    guest = customer(cafe, "Leyla Change")
    deposit(cafe, guest, 50)
    receipt = open_receipt(cafe, guest, {"Espresso": 1})
    over = close(cafe, receipt["id"], [(FROM_BALANCE, receipt["total"] + 5)])
    assert over.status_code == 400 and "at most the total" in over.json()["message"]
    assert held(cafe, guest)["balance"] == 50


def test_deposits_move_the_method_and_the_account(cafe: Cafe) -> None:
    live = cafe.server
    guest = customer(cafe, "Kamran Deposit")
    shift = get(cafe, "/finance/cash-shifts", **{"filters[0][0]": "status", "filters[0][1]": "1"})
    cash = next(b for b in get(cafe, "/finance/balances") if b["type"] == "CASH")
    made = deposit(cafe, guest, 12.5)
    by_cli = live.admin_json(
        "customer",
        "deposit",
        str(guest),
        "--brand",
        "openapitest",
        "--amount",
        "7.5",
        "--method",
        str(cafe.payment_methods["Card"]),
    )
    assert by_cli["balance"] == 20 and by_cli["balance_id"] == made["balance_id"]
    assert get(cafe, f"/finance/balances/{cash['id']}")["amount"] == round(cash["amount"] + 12.5, 2)
    moved = get(cafe, "/finance/transactions", **by_id("customer_id", guest))
    assert [(t["balance_id"] == made["balance_id"], t["amount"]) for t in moved] == [
        (False, 12.5),
        (True, 12.5),
        (False, 7.5),
        (True, 7.5),
    ]
    assert {t["category_id"] for t in moved} == {7}
    assert made["transaction_id"] == moved[1]["id"]
    if shift:
        report = get(cafe, f"/finance/cash-shifts/{shift[0]['id']}/report")
        assert report["deposits"] >= 20
    # A deposit is money: not from the balance itself, not nothing, not for nobody.
    for body, status in (
        ({"amount": 5, "payment_method_id": cafe.payment_methods[FROM_BALANCE]}, 400),
        ({"amount": 0, "payment_method_id": cafe.payment_methods["Cash"]}, 400),
        ({"amount": 5, "payment_method_id": 999}, 404),
    ):
        refused = cafe.http.post(
            f"{ADMIN}/customers/{guest}/deposit", headers=cafe.operator, json=body
        )
        assert refused.status_code == status, refused.text
    unknown = cafe.http.post(
        f"{ADMIN}/customers/999999/deposit",
        headers=cafe.operator,
        json={"amount": 5, "payment_method_id": cafe.payment_methods["Cash"]},
    )
    assert unknown.status_code == 404
    assert held(cafe, guest)["balance"] == 20
    assert books(cafe)["problems"] == []


def test_a_removed_receipt_gives_the_customer_its_money_back(cafe: Cafe) -> None:
    guest = customer(cafe, "Sabina Refund")
    deposit(cafe, guest, 10)
    receipt = open_receipt(cafe, guest, {"Espresso": 1})
    assert close(cafe, receipt["id"], [(FROM_BALANCE, receipt["total"])]).status_code == 200
    assert held(cafe, guest)["balance"] == round(10 - receipt["total"], 2)
    removed = cafe.http.delete(f"{V1}/receipts/{receipt['id']}", headers=cafe.v1)
    assert removed.status_code == 200, removed.text
    assert held(cafe, guest)["balance"] == 10
    paid, refunded = get(cafe, "/finance/transactions", **by_id("receipt_id", receipt["id"]))
    assert refunded["balance_id"] == paid["balance_id"] and refunded["amount"] == receipt["total"]
    assert refunded["before_amount"] == paid["after_amount"] and refunded["after_amount"] == 10
    assert books(cafe)["problems"] == []
