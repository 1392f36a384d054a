"""The venue floor over HTTP, on both databases: the order board's stages, counts and pages
on a busy evening, safe closing (a chosen payment, the change, a cancelled order never paid),
the operator's actions in the audit trail, and the console's own error page."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from tests.console.helpers import api_order, csrf_of, push_order, signed_in
from tests.support import LiveServer

BASE = "/console/b/openapitest"
_CARD = re.compile(r'<li class="order stage-(\w+)[^"]*" id="order-(\d+)"')


def cards(html: str) -> list[tuple[str, int]]:
    """The order cards of a board page, in page order: (stage, order id)."""
    return [(stage, int(order_id)) for stage, order_id in _CARD.findall(html)]


def accept(live: LiveServer, order_id: int) -> int:
    accepted = live.admin_json("order", "accept", str(order_id), "--brand", "openapitest")
    return int(accepted["receipt_id"])


def test_sixty_orders_every_open_one_on_the_board_and_counted(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server(seed_demo_history=False)  # the sixty are all there is
    client, _ = signed_in(live, "openapitest")
    ids = [push_order(live)["id"] for _ in range(60)]
    cooking, ready = ids[-3:], ids[-5:-3]
    for order_id in (*cooking, *ready):
        accept(live, order_id)
    for order_id in ready:
        receipt = api_order(live, order_id)["receipt_id"]
        live.admin("receipt", "status", str(receipt), "READY", "--brand", "openapitest")
    pending = ids[:-5]  # 55: more than one page of them

    first = client.get(f"{BASE}/orders")
    assert first.status_code == 200
    summary = re.search(r'id="orders-summary" data-waiting="(\d+)"', first.text)
    assert summary is not None and summary.group(1) == "55"
    assert "<strong>55</strong> waiting · <strong>5</strong> in the kitchen" in first.text
    assert "(3 cooking, 2 ready)" in first.text
    on_first = cards(first.text)
    new_first = [i for stage, i in on_first if stage == "new"]
    assert new_first == pending[:50]  # the oldest waiting first
    assert [i for stage, i in on_first if stage == "cooking"] == cooking
    assert [i for stage, i in on_first if stage == "ready"] == ready
    assert 'id="new-next"' in first.text and "page 1 of 2" in first.text

    second = client.get(f"{BASE}/orders", params={"new": "2"})
    assert [i for stage, i in cards(second.text) if stage == "new"] == pending[50:]
    # The live fragment is the same board (the page's script swaps it in).
    live_part = client.get(f"{BASE}/orders/live", params={"new": "2"})
    assert [i for s, i in cards(live_part.text) if s == "new"] == pending[50:]

    # A search reaches any open order by its number.
    found = client.get(f"{BASE}/orders", params={"q": f"#{pending[7]}"})
    assert (("new", pending[7]) in cards(found.text)) and len(cards(found.text)) < 10
    # ... including one on a later page than the one shown.
    later = client.get(f"{BASE}/orders", params={"q": f"#{pending[52]}"})
    assert ("new", pending[52]) in cards(later.text)

    # The kitchen sees the accepted ones, each with one move ahead.
    kitchen = client.get(f"{BASE}/kitchen")
    assert kitchen.status_code == 200
    for order_id in cooking:
        assert f'id="advance-{order_id}"' in kitchen.text
    assert "Start cooking" in kitchen.text and "Mark picked up" in kitchen.text
    assert f'id="order-{pending[0]}"' not in kitchen.text  # not accepted: not the kitchen's


def test_the_kitchens_counts_cover_every_page(make_server: Callable[..., LiveServer]) -> None:
    """Past a page of accepted orders, the cooking and ready counts are still the
    database's: 52 accepted (one of them ready) shows 51 cooking and 1 ready."""
    live = make_server(seed_demo_history=False)
    client, _ = signed_in(live, "openapitest")
    live.admin("venue", "order-mode", "--brand", "openapitest", "--venue", "1", "accept")
    ids = [push_order(live)["id"] for _ in range(52)]
    receipt = api_order(live, ids[0])["receipt_id"]
    live.admin("receipt", "status", str(receipt), "READY", "--brand", "openapitest")

    board = client.get(f"{BASE}/orders")
    assert "<strong>52</strong> in the kitchen" in board.text
    assert "(51 cooking, 1 ready)" in board.text
    assert len([i for stage, i in cards(board.text) if stage in ("cooking", "ready")]) == 50


def _post(client: httpx.Client, csrf: str, path: str, **form: str) -> httpx.Response:
    return client.post(
        f"{BASE}{path}",
        data={"csrf": csrf, **form},
        headers={"x-console-fetch": "1", "x-csrf-token": csrf},
    )


def test_closing_asks_a_payment_gives_change_and_never_pays_a_cancelled_order(
    server: LiveServer,
) -> None:
    client, _ = signed_in(server, "openapitest")
    csrf = csrf_of(client, f"{BASE}/orders")
    paid_order, cancelled_order = push_order(server), push_order(server)
    receipt = accept(server, paid_order["id"])

    unchosen = _post(client, csrf, f"/receipts/{receipt}/close")
    assert unchosen.status_code == 400 and "Choose how" in unchosen.json()["error"]
    short = _post(client, csrf, f"/receipts/{receipt}/close", payment_method="Cash", tendered="1")
    assert short.status_code == 400 and "less than the total" in short.json()["error"]
    assert api_order(server, paid_order["id"])["receipt"]["status"] == 1
    total = api_order(server, paid_order["id"])["receipt"]["total"]
    closed = _post(client, csrf, f"/receipts/{receipt}/close", payment_method="Cash", tendered="50")
    assert closed.status_code == 200, closed.text
    assert f"change {50 - total:.2f}" in closed.json()["message"]

    receipt = accept(server, cancelled_order["id"])
    cancel = _post(client, csrf, f"/receipts/{receipt}/status", order_status="CANCELLED")
    assert cancel.status_code == 200 and "cancelled" in cancel.json()["message"]
    board = client.get(f"{BASE}/orders").text
    assert f'id="close-cancelled-{cancelled_order["id"]}"' in board
    assert f'id="close-{cancelled_order["id"]}"' not in board  # no way to pay it on the page
    refused = _post(client, csrf, f"/receipts/{receipt}/close", payment_method="Card")
    assert refused.status_code == 409 and "never as paid" in refused.json()["error"]
    assert api_order(server, cancelled_order["id"])["receipt"]["status"] == 1
    done = _post(client, csrf, f"/receipts/{receipt}/close-cancelled")
    assert done.status_code == 200, done.text
    seen = api_order(server, cancelled_order["id"])
    assert seen["status"] == "IGNORE" and seen["receipt"]["payment_methods"] == []
    assert seen["receipt"]["status"] == 2 and seen["receipt"]["order_status"] == "CANCELLED"


def test_operator_actions_and_sign_ins_are_on_the_audit_page(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    client, name = signed_in(live, "openapitest")
    csrf = csrf_of(client, f"{BASE}/orders")
    order = push_order(live)
    assert _post(client, csrf, f"/orders/{order['id']}/accept").status_code == 200
    receipt = api_order(live, order["id"])["receipt_id"]
    assert (
        _post(client, csrf, f"/receipts/{receipt}/status", order_status="READY").status_code == 200
    )
    stop = _post(client, csrf, "/menu/19/stop-list", venue="1", action="stop", limit="3")
    assert stop.status_code == 200 and "Cappuccino stopped" in stop.json()["message"]
    refused = _post(client, csrf, "/menu/19/stop-list", venue="99", action="stop")
    assert refused.status_code == 404  # refused: changed nothing, recorded nothing

    page = client.get(f"{BASE}/audit", params={"kind": "action"})
    assert page.status_code == 200
    rows = re.findall(r"<tr class=\"outcome-done\">(.*?)</tr>", page.text, re.S)
    events = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    # Newest first: who, what, on what, before, after.
    assert [(e[1], e[2], e[5]) for e in events] == [
        (name, "stop_list_stop", "product 19"),
        (name, "receipt_status", f"receipt {receipt}"),
        (name, "order_accept", f"order {order['id']}"),
    ]
    assert (events[0][6], events[0][7]) == ("", "limit=3")
    assert (events[1][6], events[1][7]) == ("order_status=NEW", "order_status=READY")
    assert events[2][6] == "status=PENDING"
    assert events[2][7] == f"status=RECEIVED, receipt_id={receipt}"

    # The operator's CLI reads the same rows.
    listed = live.admin_json("audit", "--outcome", "done")
    assert [(e["operator"], e["event"], e["target"]) for e in listed][-1] == (
        name,
        "stop_list_stop",
        "product 19",
    )
    assert listed[0]["detail"] == {
        "before": {"status": "PENDING"},
        "after": {"status": "RECEIVED", "receipt_id": receipt},
    }

    sign_ins = client.get(f"{BASE}/audit", params={"kind": "sign-in"}).text
    assert "console_login" in sign_ins and name in sign_ins


def test_an_unknown_console_path_answers_the_consoles_own_page(server: LiveServer) -> None:
    client, _ = signed_in(server)
    missing = client.get("/console/b/openapitest/nowhere/at/all")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Page not found" in missing.text and "Back to the console" in missing.text


def test_a_card_speaks_words_for_people(server: LiveServer) -> None:
    client, _ = signed_in(server, "openapitest")
    order = push_order(
        server,
        order_number="W-77",
        comment="Ring twice",
        customer={"name": "Leyla", "phone": "+994501112233", "address": "28 May St 14"},
        products=[{"product_id": 19, "product_name": "Cappuccino", "note": "extra hot"}],
    )
    board = client.get(f"{BASE}/orders", params={"q": "W-77"}).text
    start = board.index(f'id="order-{order["id"]}"')
    card = board[board.index(">", start) + 1 :].split("</li>\n</ol>")[0]  # the card's inside
    assert "no. W-77" in card and "28 May St 14" in card
    assert 'class="note comment"><span class="label">Comment</span> Ring twice' in card
    assert "Note: extra hot" in card
    assert re.search(r"total <strong>\d+\.\d\d</strong>", card)
    assert "<strong>New</strong>" in card and "PENDING" not in re.sub(r"<[^>]+>", "", card)
    assert re.search(r'<time datetime="[^"]+Z" data-local="time">\d\d:\d\d UTC</time>', card)
    assert f"Decline order {order['id']}" in card and ">Ignore<" not in card


def test_open_receipts_oldest_first_in_pages_with_a_search(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    client, _ = signed_in(live, "openapitest")
    live.admin("venue", "order-mode", "--brand", "openapitest", "--venue", "1", "accept")
    receipts = [push_order(live)["receipt_id"] for _ in range(55)]
    first = client.get(f"{BASE}/receipts")
    assert "<strong>55</strong> open receipts · page 1 of 2" in first.text
    shown = [int(i) for i in re.findall(r'<li class="order[^"]*" id="receipt-(\d+)"', first.text)]
    assert shown == receipts[:50]  # the longest open first
    live_part = client.get(f"{BASE}/receipts/live", params={"page": "2"})
    later = [int(i) for i in re.findall(r'id="receipt-(\d+)"', live_part.text)]
    assert later == receipts[50:]
    assert f'href="{BASE}/receipts?venue=1&amp;page=1"' in live_part.text
    found = client.get(f"{BASE}/receipts", params={"q": f"#{receipts[3]}"})
    assert f'id="receipt-{receipts[3]}"' in found.text and "showing what matches" in found.text
    # A search looks past the page on screen.
    later_one = client.get(f"{BASE}/receipts", params={"q": f"#{receipts[53]}"})
    assert f'id="receipt-{receipts[53]}"' in later_one.text
