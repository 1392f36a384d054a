"""`POST /waiter-call` (reference 2.12) on both databases: a table's call for the waiter or
the bill is recorded; an unknown table, a bad type, a PAY without a usable cash or card
method, or a WAITER call with one is a 400 `{"success": false}`."""

from __future__ import annotations

from typing import Any

import pytest

from clopos.core.waiter_calls.calls import pending_calls
from tests.orders.books import call
from tests.orders.conftest import Cafe

URL = "/open-api/v2/waiter-call"


def test_calls_from_a_table_are_recorded(cafe: Cafe) -> None:
    before = len(call(cafe, pending_calls, 1))
    waiter = cafe.http.post(URL, headers=cafe.v2, json={"table_id": 3, "type": "WAITER"})
    assert waiter.status_code == 200 and waiter.json() == {"success": True}
    cash = cafe.payment_methods["Cash"]
    pay = cafe.http.post(
        URL, headers=cafe.v2, json={"table_id": 3, "type": "PAY", "payment_method": cash}
    )
    assert pay.status_code == 200 and pay.json() == {"success": True}
    calls = call(cafe, pending_calls, 1)
    assert [(c["table_id"], c["type"], c["payment_method_id"]) for c in calls[before:]] == [
        (3, "WAITER", None),
        (3, "PAY", cash),
    ]
    assert cafe.http.post(URL, json={"table_id": 3, "type": "WAITER"}).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"table_id": 999, "type": "WAITER"},
        {"table_id": "3", "type": "WAITER"},
        {"table_id": 3, "type": "BILL"},
        {"table_id": 3, "type": "PAY"},
        {"table_id": 3, "type": "PAY", "payment_method": "Wolt"},
        {"table_id": 3, "type": "WAITER", "payment_method": 1},
        {},
    ],
)
def test_refused_calls(cafe: Cafe, body: dict[str, Any]) -> None:
    if body.get("payment_method") == "Wolt":
        body = {**body, "payment_method": cafe.payment_methods["Wolt"]}
    before = len(call(cafe, pending_calls, 1))
    refused = cafe.http.post(URL, headers=cafe.v2, json=body)
    assert refused.status_code == 400 and refused.json()["success"] is False
    assert len(call(cafe, pending_calls, 1)) == before
