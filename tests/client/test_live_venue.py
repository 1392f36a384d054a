"""Waiting for the venue's answer (`wait_for_receipt`) and playing the venue against a clopos
server (`SandboxVenue`, over the operator API), blocking and async, against a real server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import anyio
import pytest

from clopos import AsyncClient, Client
from clopos.client import (
    ConfigurationError,
    ConflictError,
    OrderIgnoredError,
    ReceiptStatus,
    SandboxVenue,
    WaitTimeoutError,
)
from tests.client.conftest import sandbox
from tests.client.test_live_orders import Cafe
from tests.support import Backend, LiveServer, serve_in_process

OPERATOR_TOKEN = "client-venue-operator"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("client-venue")
    with serve_in_process(directory, backend, admin_token=OPERATOR_TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def cafe(live: LiveServer) -> Cafe:
    found = Cafe()
    with Client(**sandbox(live.url)) as client:
        menu = client.products.list(limit=100, params={"with": ["modificator_groups.modificators"]})
        for product in menu:
            found.products[product.name] = product.id
            for group in product.modificator_groups or []:
                found.modifiers.update({m.name: m.id for m in group.modificators})
        found.sale_types = {s.name: s.id for s in client.sale_types.list()}
    return found


def venue(live: LiveServer) -> SandboxVenue:
    return SandboxVenue(base_url=live.url, admin_token=OPERATOR_TOKEN, brand="openapitest")


def test_the_receipt_status_is_named() -> None:
    assert (ReceiptStatus.OPEN, ReceiptStatus.CLOSED) == (1, 2)


def test_wait_returns_the_receipt_the_venue_opens(live: LiveServer, cafe: Cafe) -> None:
    with Client(**sandbox(live.url)) as clopos, venue(live) as kitchen:
        order = clopos.orders.create(cafe.v2_order())
        answer = threading.Timer(0.3, kitchen.accept, (order.id,))
        answer.start()
        try:
            receipt = clopos.wait_for_receipt(order.id, timeout=10, interval=0.05)
        finally:
            answer.join()
        assert receipt.status == ReceiptStatus.OPEN and receipt.order_status == "NEW"
        assert clopos.orders.get(order.id).receipt_id == receipt.id

        # The venue's whole side: the kitchen moves it along, then it is paid and closed.
        for status in ("IN_PROGRESS", "READY", "PICKED_UP"):
            assert kitchen.set_status(receipt.id, status).order_status == status  # type: ignore[arg-type]
        closed = kitchen.close(receipt.id, payment_method="Cash")
        assert [p.name for p in closed.payment_methods] == ["Cash"]
        assert clopos.receipts.get(receipt.id).status == ReceiptStatus.CLOSED
        assert clopos.orders.get(order.id).status == "DELIVERED"
        with pytest.raises(ConflictError):  # refusals are the client's errors
            kitchen.accept(order.id)


def test_an_ignored_order_and_a_silent_venue_raise(live: LiveServer, cafe: Cafe) -> None:
    with Client(**sandbox(live.url)) as clopos, venue(live) as kitchen:
        ignored = clopos.orders.create(cafe.v2_order())
        assert kitchen.ignore(ignored.id).status == "IGNORE"
        with pytest.raises(OrderIgnoredError, match=f"order {ignored.id} was ignored"):
            clopos.wait_for_receipt(ignored.id, timeout=5, interval=0.05)

        pending = clopos.orders.create(cafe.v2_order())
        with pytest.raises(WaitTimeoutError, match=f"order {pending.id} is still PENDING"):
            clopos.wait_for_receipt(pending.id, timeout=0.3, interval=0.1)


def test_an_order_mode_answers_by_itself(live: LiveServer, cafe: Cafe) -> None:
    with Client(**sandbox(live.url)) as clopos, venue(live) as kitchen:
        assert kitchen.order_mode("accept")["mode"] == "accept"
        try:
            order = clopos.orders.create(cafe.v2_order())
            assert clopos.wait_for_receipt(order.id, timeout=5).status == ReceiptStatus.OPEN
        finally:
            kitchen.order_mode("manual")


@pytest.mark.anyio
async def test_the_async_wait(live: LiveServer, cafe: Cafe) -> None:
    async with AsyncClient(**sandbox(live.url)) as clopos:
        order = await clopos.orders.create(cafe.v2_order())

        async def accept_soon() -> None:
            await anyio.sleep(0.2)
            await anyio.to_thread.run_sync(venue(live).accept, order.id)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(accept_soon)
            receipt = await clopos.wait_for_receipt(order.id, timeout=10, interval=0.05)
        assert receipt.status == ReceiptStatus.OPEN


def test_the_sandbox_venue_names_what_it_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOPOS_ADMIN_TOKEN", raising=False)
    with pytest.raises(ConfigurationError, match="admin_token / CLOPOS_ADMIN_TOKEN") as caught:
        SandboxVenue(base_url="http://127.0.0.1:9", brand="openapitest")
    assert caught.value.missing == ("admin_token",)
