"""The kit as an integrator uses it: the fixture, the context managers, reset, snapshots,
catalogue loading and the venue's side."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from clopos.client import Client
from clopos.core.errors import Conflict, Invalid
from clopos.testing import Sandbox, _sandbox, async_sandbox, sandbox
from tests.testing.helpers import cafe_order


def test_fixture_gives_a_seeded_sandbox_and_a_configured_client(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client() as client:
        assert [venue.id for venue in client.venues.list()] == [1]
        assert any(p.name == "Cappuccino" for p in client.products.list())
    assert clopos_sandbox.credentials["brand"] == "openapitest"
    assert clopos_sandbox.transport == "asgi"


def test_a_second_sandbox_copies_the_seeded_template(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeding (migrations, sandbox, demo café) runs once per process and settings; later
    sandboxes copy its files (how fast that is: `./dev bench`, not this test)."""
    with sandbox():  # the process's template database exists after this one
        pass
    seeded: list[Path] = []
    prepare = _sandbox._prepare

    def counted(directory: Path, overrides: dict[str, Any]) -> None:
        seeded.append(directory)
        prepare(directory, overrides)

    monkeypatch.setattr(_sandbox, "_prepare", counted)
    with sandbox() as box, box.client() as client:
        assert list(client.venues.list())
    assert seeded == []
    with sandbox(settings={"seed_demo_catalogue": False}) as box, box.client() as client:
        assert not list(client.products.list())  # other seeding settings: a template of its own
    assert len(seeded) == 1


def test_http_transport_serves_a_loopback_url(clopos_sandbox_http: Sandbox) -> None:
    assert clopos_sandbox_http.base_url.startswith("http://127.0.0.1:")
    assert httpx.get(f"{clopos_sandbox_http.base_url}/health").json()["status"] == "ok"
    with Client(**clopos_sandbox_http.credentials, base_url=clopos_sandbox_http.base_url) as c:
        assert [venue.id for venue in c.venues.list()] == [1]


def test_reset_forgets_what_a_test_wrote(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client() as client:
        seeded = [o.id for o in client.orders.list()]  # the sandbox's history
        order = client.orders.create(cafe_order(client))
        assert [o.id for o in client.orders.list()] == [order.id, *seeded]
        clopos_sandbox.reset()
        assert [o.id for o in client.orders.list()] == seeded
        # Ids start again, and the caches know the data went back.
        assert client.orders.create(cafe_order(client)).id == order.id


def test_snapshot_and_restore(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client() as client:
        seeded = [o.id for o in client.orders.list()]  # the sandbox's history
        first = client.orders.create(cafe_order(client))
        clopos_sandbox.snapshot("one-order")
        client.orders.create(cafe_order(client))
        assert len(list(client.orders.list())) == len(seeded) + 2
        clopos_sandbox.restore("one-order")
        assert [o.id for o in client.orders.list()] == [first.id, *seeded]


def test_load_imports_a_catalogue_file(clopos_sandbox: Sandbox, tmp_path: Path) -> None:
    catalogue = tmp_path / "menu.yaml"
    catalogue.write_text(
        "categories:\n  - name: Kit pastries\nproducts:\n"
        "  - name: Kit croissant\n    type: GOODS\n    category: Kit pastries\n    price: 3.5\n"
    )
    created = clopos_sandbox.load(catalogue)
    assert created["products"] == 1
    with clopos_sandbox.client() as client:
        assert any(p.name == "Kit croissant" for p in client.products.list())


def test_the_venue_accepts_and_closes_an_order(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client() as client:
        order = client.orders.create(cafe_order(client))
        assert order.status == "PENDING"
        accepted = clopos_sandbox.venue.accept(order.id)
        assert accepted["status"] == "RECEIVED"
        receipt_id = accepted["receipt_id"]
        clopos_sandbox.receipts.set_status(receipt_id, "IN_PROGRESS")
        assert client.receipts.get(receipt_id).order_status == "IN_PROGRESS"
        clopos_sandbox.receipts.close(receipt_id)
        assert client.orders.get(order.id).status == "DELIVERED"


def test_the_venue_ignores_an_order_and_order_modes_apply(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client() as client:
        order = client.orders.create(cafe_order(client))
        assert clopos_sandbox.venue.ignore(order.id)["status"] == "IGNORE"
        clopos_sandbox.venue.order_mode("accept")
        assert client.orders.create(cafe_order(client)).status == "RECEIVED"
        clopos_sandbox.venue.order_mode("ignore")
        assert client.orders.create(cafe_order(client)).status == "IGNORE"
        with pytest.raises(Conflict):  # an ignored order stays ignored
            clopos_sandbox.venue.accept(order.id)


def test_accept_after_orders_are_accepted_when_the_clock_passes_their_delay(
    clopos_sandbox: Sandbox,
) -> None:
    clopos_sandbox.venue.order_mode("accept-after", 300)
    with clopos_sandbox.client() as client:
        order = client.orders.create(cafe_order(client))
        assert order.status == "PENDING"
        assert clopos_sandbox.clock.advance(299)["orders_accepted"] == 0
        assert client.orders.get(order.id).status == "PENDING"
        assert clopos_sandbox.clock.advance(1)["orders_accepted"] == 1
        assert client.orders.get(order.id).status == "RECEIVED"


def test_async_sandbox_and_async_client() -> None:
    async def scenario() -> list[int]:
        async with async_sandbox() as box, box.async_client() as client:
            venues = [venue.id async for venue in client.venues.list()]
            box.reset()
            return venues

    assert asyncio.run(scenario()) == [1]


def test_the_till_and_stock_through_the_kit_and_the_client(clopos_sandbox: Sandbox) -> None:
    """The kit opens a shift and posts stock; the client reads finance and inventory."""
    with clopos_sandbox.client() as client:
        seeded = [s for s in client.finance.cash_shifts.list() if s.status == 1]
        assert seeded  # the sandbox's history leaves today's shift open
        closed = clopos_sandbox.till.close()
        assert closed["status"] == 2 and closed["report"]["difference"] == 0
        opened = clopos_sandbox.till.open(80)
        assert client.finance.cash_shifts.get(opened["id"]).opening_amount == 80
        with pytest.raises(Conflict):
            clopos_sandbox.till.open()

        beans = next(p.id for p in client.products.list() if p.name == "Coffee beans")
        level = client.stock.by_product(params={"product_id": beans}).page().items[0].quantity
        supplier = clopos_sandbox.stock.supplier("Kit roastery")
        clopos_sandbox.stock.post("IN", [(beans, 3, 20)], supplier_id=supplier["id"])
        clopos_sandbox.stock.post("WASTE", [(beans, 1)])
        after = client.stock.by_product(params={"product_id": beans}).page().items[0]
        assert after.quantity == pytest.approx(level + 2)
        assert client.suppliers.get(supplier["id"]).balance == -60
        with pytest.raises(ValueError, match="kind"):
            clopos_sandbox.stock.post("GIFT", [(beans, 1)])

        report = client.finance.cash_shifts.report(opened["id"])
        assert report.cash_shift.id == opened["id"] and report.sales == 0
        for listing in (
            client.finance.balances.list,
            client.finance.balances.options,
            client.finance.balances.customers,
            client.finance.balances.date_states,
            client.finance.balances.movements,
            client.finance.transactions.list,
            client.finance.categories.list,
            client.finance.taxes.list,
            client.finance.taxes.types,
            client.finance.taxes.report,
            client.storages.list,
            client.stock.list,
            client.stock.by_group,
            client.stock_operations.list,
            client.stock_operations.products,
            client.operations.list,
            client.operations.statuses,
            client.operations.items,
            client.suppliers.list,
        ):
            assert list(listing()), listing
        assert client.operations.get(1).type_name == "INITIAL_STOCK"
        assert client.finance.transactions.get(1).after_amount is not None


def test_a_customer_s_deposit_spent_through_the_kit(clopos_sandbox: Sandbox) -> None:
    """The till takes a deposit onto the customer's account; a receipt closed with the
    method paying from the customer's balance spends it."""
    with clopos_sandbox.client() as client:
        rahid = next(c for c in client.customers.list() if c.name == "Rahid Akhundzada")
        methods = {m.name: m.id for m in client.payment_methods.list()}
        held = clopos_sandbox.till.deposit(rahid.id, 10, methods["Cash"])
        assert held["customer_id"] == rahid.id and held["transaction_id"]
        customer = {"id": rahid.id, "name": rahid.name, "address": "1 Main St"}
        order = client.orders.create(cafe_order(client, customer=customer))
        receipt = clopos_sandbox.venue.accept(order.id)["receipt_id"]
        closed = clopos_sandbox.receipts.close(receipt, "Customer balance")
        assert [p["name"] for p in closed["payment_methods"]] == ["Customer balance"]
        total = client.receipts.get(receipt).total
        (row,) = client.finance.balances.customers(params={"filters": [["customer_id", rahid.id]]})
        assert row.balance == pytest.approx(held["balance"] - total)
        with pytest.raises(Invalid, match="pays from the customer's balance"):
            clopos_sandbox.till.deposit(rahid.id, 5, methods["Customer balance"])
