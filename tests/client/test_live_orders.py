"""Orders and receipts through the client, against the real server: the whole life of an
order (both bodies, v1 and v2 clients, sync and async), the venue's side played by the
operator, pages of orders and receipts, and a create whose answer was lost."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest

from clopos import AsyncClient, Client
from clopos.client import (
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
)
from clopos.schemas.orders import (
    CustomerIn,
    DiscountIn,
    ModificatorIn,
    ModifierIn,
    Order,
    OrderCreateV1,
    OrderCreateV2,
    OrderStatusChange,
    ProductIn,
    V1MetaIn,
    V1PayloadIn,
    V1ProductIn,
    V1ServiceIn,
)
from clopos.schemas.receipts import (
    OrderStatus,
    PaymentIn,
    Receipt,
    ReceiptClose,
    ReceiptClosed,
    ReceiptCreate,
    ReceiptPatch,
    ReceiptProductIn,
    ReceiptRemoved,
    ReceiptUpdate,
    StockOperation,
)
from tests.client.conftest import sandbox
from tests.client.faults import LOST, FaultProxy
from tests.support import Backend, LiveServer, serve_in_process

OPERATOR_TOKEN = "client-orders-operator"
BRAND = "openapitest"


@dataclass
class Cafe:
    """The demo café's ids, read by name through the client."""

    products: dict[str, int] = field(default_factory=dict)
    modifiers: dict[str, int] = field(default_factory=dict)
    sale_types: dict[str, int] = field(default_factory=dict)
    payments: dict[str, int] = field(default_factory=dict)

    def v2_order(self, **fields: Any) -> OrderCreateV2:
        """Two cappuccinos with oat milk and an espresso: 10.60 as the catalogue prices it."""
        return OrderCreateV2(
            sale_type_id=self.sale_types["Delivery"],
            venue_id=1,
            customer=CustomerIn(name="Rahid", phone="+994705401040", address="1 Main St"),
            products=[
                ProductIn(
                    product_id=self.products["Cappuccino"],
                    product_name="Cappuccino",
                    count=2,
                    modifiers=[
                        ModifierIn(modifier_id=self.modifiers["Oat milk"], modifier_name="Oat milk")
                    ],
                ),
                ProductIn(product_id=self.products["Espresso"], product_name="Espresso"),
            ],
            **fields,
        )

    def v1_order(self) -> OrderCreateV1:
        """The reference's v1 body: a latte with vanilla syrup, 10 % off."""
        return OrderCreateV1(
            customer_id=1,
            payload=V1PayloadIn(
                service=V1ServiceIn(
                    sale_type_id=self.sale_types["Delivery"],
                    sale_type_name="Delivery",
                    venue_id=1,
                    venue_name="Main",
                ),
                customer=CustomerIn(id=1, phone="+994705401040", name="Rahid"),
                products=[
                    V1ProductIn(
                        product_id=self.products["Latte"],
                        count=1,
                        product_modificators=[
                            ModificatorIn(modificator_id=self.modifiers["Vanilla syrup"])
                        ],
                        meta={"price": 0, "order_product": {"status": "new"}},
                    )
                ],
            ),
            meta=V1MetaIn(comment="", discount=DiscountIn(discount_type=1, discount_value=10)),
        )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    """A server of this module's own: its orders, receipts and stock change freely."""
    directory = tmp_path_factory.mktemp("client-orders")
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
                for modifier in group.modificators:
                    found.modifiers[modifier.name] = modifier.id
        found.sale_types = {s.name: s.id for s in client.sale_types.list()}
        found.payments = {m.name: m.id for m in client.payment_methods.list()}
    return found


def accept(live: LiveServer, order_id: int) -> int:
    """The venue accepts the order (the operator CLI); the id of the receipt it opens."""
    accepted = live.admin_json("order", "accept", str(order_id), "--brand", BRAND)
    assert accepted["status"] == "RECEIVED"
    receipt_id: int = accepted["receipt_id"]
    return receipt_id


def taken(operations: list[StockOperation]) -> dict[str, float]:
    """Quantity deducted per stocked product."""
    totals: dict[str, float] = {}
    for operation in operations:
        name = operation.product.name
        totals[name] = round(totals.get(name, 0) + operation.quantity, 6)
        assert operation.after_quantity == round(operation.before_quantity - operation.quantity, 6)
    return totals


# --- the life ----------------------------------------------------------------------------


def test_a_v2_order_s_whole_life(live: LiveServer, cafe: Cafe) -> None:
    with Client(**sandbox(live.url)) as client:
        order = client.orders.create(cafe.v2_order(order_number="C-1", delivery_fee=2.5))
        assert isinstance(order, Order) and order.status == "PENDING"
        assert order.receipt_id is None and order.payload.order_number == "C-1"
        # Priced by the server: 2 x (3.60 + 0.60) + 2.20, plus 2.50 delivery.
        assert order.payload.meta.orderTotal == "13.1000"
        pending = client.orders.list(params={"status": "PENDING"})
        assert order.id in [o.id for o in pending]

        receipt_id = accept(live, order.id)
        seen = client.orders.get(order.id, params={"with": ["receipt"]})
        assert seen.status == "RECEIVED" and seen.receipt is not None
        assert seen.receipt.id == receipt_id and seen.receipt.status == 1

        kitchen: tuple[OrderStatus, ...] = ("IN_PROGRESS", "READY", "PICKED_UP")
        for status in kitchen:
            moved = client.receipts.update(receipt_id, ReceiptPatch(order_status=status))
            assert isinstance(moved, Receipt) and moved.order_status == status
        with pytest.raises(BadRequestError, match="cannot change from PICKED_UP to NEW"):
            client.receipts.update(receipt_id, {"order_status": "NEW"})
        fiscal = client.receipts.update(receipt_id, {"fiscal_id": "F-1", "lock": True})
        assert (fiscal.fiscal_id, fiscal.lock, fiscal.order_status) == ("F-1", True, "PICKED_UP")

        cash, card = cafe.payments["Cash"], cafe.payments["Card"]
        with pytest.raises(BadRequestError, match="must cover the total"):
            client.receipts.close(
                receipt_id, ReceiptClose(payment_methods=[PaymentIn(id=cash, amount=5)])
            )
        closed = client.receipts.close(
            receipt_id,
            ReceiptClose(
                payment_methods=[
                    PaymentIn(id=cash, name="Cash", amount=6),
                    PaymentIn(id=card, amount=7.1),
                ]
            ),
        )
        assert isinstance(closed, ReceiptClosed) and closed.id == receipt_id
        assert [p.amount for p in closed.payment_methods] == [6, 7.1]
        with pytest.raises(ConflictError) as again:
            client.receipts.close(receipt_id, {"payment_methods": [{"id": cash, "amount": 13.1}]})
        assert again.value.error == "receipt_closed"

        full = client.receipts.get(
            receipt_id, params={"with": ["receipt_products.modificators.modificator_group"]}
        )
        assert full.status == 2 and (full.by_cash, full.by_card) == (6, 7.1)
        assert full.receipt_products is not None
        assert [line.count for line in full.receipt_products] == [2, 1]
        modifiers = full.receipt_products[0].modificators
        assert modifiers is not None and modifiers[0].name == "Oat milk"
        assert client.receipts.get_by_cid(full.cid).id == receipt_id

        operations = client.receipts.stock_operations(receipt_id)
        assert all(isinstance(o, StockOperation) for o in operations)
        assert {o.receipt_id for o in operations} == {receipt_id}
        # Cappuccino: espresso base and 0.15 l milk each, x2; oat milk 0.15 l x2; espresso.
        assert taken(operations) == {"Coffee beans": 0.054, "Whole milk": 0.3, "Oat milk": 0.3}
        assert client.orders.get(order.id).status == "DELIVERED"


def test_the_v1_body_on_a_v1_and_a_v2_client(live: LiveServer, cafe: Cafe) -> None:
    with (
        Client(**sandbox(live.url, version=1)) as v1,
        Client(**sandbox(live.url)) as v2,
    ):
        on_v1 = v1.orders.create(cafe.v1_order())
        on_v2 = v2.orders.create(cafe.v1_order())
        for order in (on_v1, on_v2):
            assert order.status == "PENDING" and order.payload.customer_id == 1
            line = order.payload.products[0].meta.order_product
            assert line.product.name == "Latte" and line.product_modificators[0].count == 1
        assert on_v1.payload.meta.orderTotal == on_v2.payload.meta.orderTotal

        # v1 answers `{id, status}` to the withdrawal, v2 the whole order.
        ignored_v1 = v1.orders.ignore(on_v1.id)
        assert isinstance(ignored_v1, OrderStatusChange)
        assert (ignored_v1.id, ignored_v1.status) == (on_v1.id, "IGNORE")
        flat = v2.orders.create(cafe.v2_order())
        ignored_v2 = v2.orders.ignore(flat.id)
        assert isinstance(ignored_v2, Order) and ignored_v2.status == "IGNORE"
        assert ignored_v2.payload.products[0].product_id == cafe.products["Cappuccino"]

        # A v1 client's order accepted from the operator API, then closed with v1's PUT.
        accepted = live.http.post(
            f"/admin/api/brands/{BRAND}/orders/{on_v2.id}/accept",
            headers={"authorization": f"Bearer {OPERATOR_TOKEN}"},
        )
        assert accepted.status_code == 200, accepted.text
        receipt = v1.receipts.get(accepted.json()["data"]["receipt_id"])
        assert receipt.status == 1 and receipt.service_notification_id == on_v2.id
        with pytest.raises(ConflictError) as late:
            v2.orders.ignore(on_v2.id)
        assert late.value.error == "invalid_transition"
        closed = v1.receipts.replace(
            receipt.id,
            ReceiptUpdate(
                id=receipt.id,
                cid=uuid.UUID(receipt.cid),
                closed_at="2099-01-01 00:00:00",
                payment_methods=[PaymentIn(id=cafe.payments["Card"], amount=receipt.total)],
            ),
        )
        assert closed.status == 2 and closed.by_card == receipt.total
        assert v1.orders.get(on_v2.id).status == "DELIVERED"


def test_v1_receipts_created_replaced_and_deleted(live: LiveServer, cafe: Cafe) -> None:
    body = ReceiptCreate(
        cid=uuid.uuid4(),
        sale_type_id=cafe.sale_types["Takeaway"],
        receipt_products=[ReceiptProductIn(product_id=cafe.products["Espresso"], count=2)],
        payment_methods=[PaymentIn(id=cafe.payments["Cash"], name="Cash", amount=4.4)],
        created_at="2026-01-02 09:30:00",
        closed_at="2026-01-02 10:00:00",
    )
    with (
        Client(**sandbox(live.url, version=1)) as v1,
        Client(**sandbox(live.url)) as v2,
    ):
        made = v1.receipts.create(body)
        assert (made.status, made.total, made.by_cash) == (2, 4.4, 4.4)
        assert made.cid == str(body.cid) and made.closed_at == "2026-01-02 10:00:00"
        with pytest.raises(ConflictError) as duplicate:
            v1.receipts.create(body)
        assert duplicate.value.error == "duplicate_cid"
        [beans] = v2.receipts.stock_operations(made.id)
        assert beans.product.name == "Coffee beans" and beans.quantity == 0.036

        changed = v1.receipts.replace(
            made.id, {"id": made.id, "cid": made.cid, "description": "table 4", "guests": 3}
        )
        assert (changed.description, changed.guests) == ("table 4", 3)
        with pytest.raises(BadRequestError):
            v1.receipts.replace(made.id, {"id": made.id + 1, "cid": made.cid})

        removed = v1.receipts.delete(made.id)
        assert isinstance(removed, ReceiptRemoved) and removed.id == made.id
        with pytest.raises(NotFoundError):
            v1.receipts.get(made.id)

        # Each version's own endpoints, refused before anything is sent.
        with pytest.raises(ConfigurationError, match="not part of API v2"):
            v2.receipts.create(body)
        with pytest.raises(ConfigurationError, match="not part of API v2"):
            v2.receipts.delete(made.id)
        with pytest.raises(ConfigurationError, match="not part of API v1"):
            v1.receipts.close(made.id, {"payment_methods": []})
        with pytest.raises(ConfigurationError, match="not part of API v1"):
            v1.receipts.stock_operations(made.id)


# --- pages --------------------------------------------------------------------------------


def test_pages_of_orders_and_receipts_with_filters(live: LiveServer, cafe: Cafe) -> None:
    tag = uuid.uuid4().hex[:6]
    with Client(**sandbox(live.url)) as client:
        made = [
            client.orders.create(
                cafe.v2_order(
                    auto_order_accept=True, order_number=f"{tag}-{n}", integration_uuid=f"{tag}-{n}"
                )
            )
            for n in range(5)
        ]
        assert all(o.status == "RECEIVED" and o.receipt_id for o in made)
        day = made[0].created_at[:10]
        params: dict[str, Any] = {
            "status": "RECEIVED",
            "date": [day, day],
            "sort": ["id", 1],
            "with": ["receipt"],
        }
        everything = client.orders.list(limit=100, params=params).page()
        assert everything.total == len(everything.items) and everything.total >= 5
        walked = list(client.orders.list(limit=2, params=params))
        assert [o.id for o in walked] == [o.id for o in everything.items]
        assert [o.id for o in walked] == sorted(o.id for o in walked)
        assert {o.status for o in walked} == {"RECEIVED"}
        assert all(o.receipt is not None and o.receipt.id == o.receipt_id for o in walked)
        pages = list(client.orders.list(limit=2, params=params).pages())
        assert len(pages) == -(-everything.total // 2) and not pages[-1].has_next
        second = client.orders.list(limit=2, params=params).page(2)
        assert [o.id for o in second] == [o.id for o in everything.items[2:4]]
        assert list(client.orders.list(params={"date": ["2001-01-01", "2001-01-01"]})) == []
        found = client.orders.list(params={"filters": [["integration_uuid", f"{tag}-3"]]})
        assert [o.id for o in found] == [made[3].id]
        # A platform sending its order again (another call, another key) gets the same one.
        again = client.orders.create(cafe.v2_order(integration_uuid=f"{tag}-3"))
        assert again.id == made[3].id and again.integration_uuid == f"{tag}-3"

        receipts = {o.receipt_id for o in made}
        open_newest = {
            "filters": [["status", 1], ["service_notification_id", [o.id for o in made]]],
            "sort": ["created_at", -1],
            "with": ["receipt_products"],
        }
        listed = list(client.receipts.list(limit=2, params=open_newest))
        assert {r.id for r in listed} == receipts and len(listed) == 5
        assert all(r.status == 1 and r.receipt_products for r in listed)
        assert [r.id for r in listed] == sorted((r.id for r in listed), reverse=True)
        first = client.receipts.list(limit=2, params=open_newest).page()
        assert first.total == 5 and first.has_next and len(first) == 2


@pytest.mark.anyio
async def test_async_life_and_pages(live: LiveServer, cafe: Cafe) -> None:
    async with AsyncClient(**sandbox(live.url)) as client:
        order = await client.orders.create(cafe.v2_order(comment="async"))
        assert order.status == "PENDING"
        receipt_id = accept(live, order.id)
        ready = await client.receipts.update(receipt_id, {"order_status": "READY"})
        assert ready.order_status == "READY"
        paid = [PaymentIn(id=cafe.payments["Card"], amount=ready.total)]
        closed = await client.receipts.close(receipt_id, ReceiptClose(payment_methods=paid))
        assert closed.id == receipt_id and closed.closed_at
        operations = await client.receipts.stock_operations(receipt_id)
        assert taken(operations)["Oat milk"] == 0.3
        assert (await client.receipts.get_by_cid(ready.cid)).status == 2

        first = await client.orders.list(limit=1, params={"status": "DELIVERED"}).page()
        assert first.total is not None and first.total >= 1
        delivered = [
            o.id async for o in client.orders.list(limit=1, params={"status": "DELIVERED"})
        ]
        assert order.id in delivered and len(delivered) == first.total
        closed_receipts = client.receipts.list(limit=3, params={"filters": [["status", 2]]})
        walked = [r async for r in closed_receipts]
        assert receipt_id in [r.id for r in walked]
        assert len(walked) == (await closed_receipts.page()).total

        other = await client.orders.create(cafe.v2_order())
        ignored = await client.orders.ignore(other.id)
        assert ignored.status == "IGNORE"


# --- answers lost on the way back ---------------------------------------------------------


def test_a_create_whose_answer_was_lost_is_retried_under_its_key(
    live: LiveServer, cafe: Cafe
) -> None:
    tag = f"lost-{uuid.uuid4().hex[:6]}"
    with FaultProxy(live.url).running() as proxy:
        proxy.matches = lambda path: path.endswith(("/orders", "/close"))
        with Client(**sandbox(proxy.url, max_retries=2)) as client:
            proxy.inject(LOST)
            order = client.orders.create(cafe.v2_order(order_number=tag, auto_order_accept=True))
            sent = proxy.requests_to("/orders")
            assert len(sent) == 2
            assert sent[0].headers["idempotency-key"] == sent[1].headers["idempotency-key"]
            # The first attempt created the order; the retry got its answer replayed.
            same = client.orders.list(params={"filters": [["id", order.id]]}).page()
            assert same.total == 1
            with_tag = [o for o in client.orders.list(limit=100) if o.payload.order_number == tag]
            assert [o.id for o in with_tag] == [order.id]

            # A close whose answer was lost: the retry is answered as the first was (not 409).
            assert order.receipt_id is not None
            proxy.inject(LOST)
            total = client.receipts.get(order.receipt_id).total
            closed = client.receipts.close(
                order.receipt_id,
                {"payment_methods": [{"id": cafe.payments["Cash"], "amount": total}]},
            )
            assert closed.id == order.receipt_id
            closes = proxy.requests_to("/close")
            assert len(closes) == 2
            assert closes[0].headers["idempotency-key"] == closes[1].headers["idempotency-key"]


def test_every_write_sends_one_key_per_call(live: LiveServer, cafe: Cafe) -> None:
    mine = f"mine-{uuid.uuid4()}"
    with FaultProxy(live.url).running() as proxy, Client(**sandbox(proxy.url)) as client:
        order = client.orders.create(cafe.v2_order(auto_order_accept=True))
        assert order.receipt_id is not None
        client.receipts.update(order.receipt_id, {"lock": True})
        client.receipts.update(order.receipt_id, {"lock": False}, idempotency_key=mine)
        other = client.orders.create(cafe.v2_order())
        client.orders.ignore(other.id)
        client.orders.get(other.id)
    writes = [s for s in proxy.seen if s.method != "GET" and not s.path.endswith("/auth")]
    assert [s.method for s in writes] == ["POST", "PATCH", "PATCH", "POST", "PUT"]
    keys = [s.headers["idempotency-key"] for s in writes]
    assert len(set(keys)) == 5 and keys[2] == mine
    reads = [s for s in proxy.seen if s.method == "GET"]
    assert reads and all("idempotency-key" not in s.headers for s in reads)


# --- concurrency ----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_two_concurrent_closes_one_wins(live: LiveServer, cafe: Cafe) -> None:
    async with AsyncClient(**sandbox(live.url)) as client:
        order = await client.orders.create(cafe.v2_order(auto_order_accept=True))
        assert order.receipt_id is not None
        total = (await client.receipts.get(order.receipt_id)).total
        paid = {"payment_methods": [{"id": cafe.payments["Cash"], "amount": total}]}
        outcomes: list[ReceiptClosed | BaseException] = []

        async def close() -> None:
            assert order.receipt_id is not None
            try:
                outcomes.append(await client.receipts.close(order.receipt_id, paid))
            except ConflictError as refused:
                outcomes.append(refused)

        async with anyio.create_task_group() as group:
            group.start_soon(close)
            group.start_soon(close)
        won = [o for o in outcomes if isinstance(o, ReceiptClosed)]
        lost = [o for o in outcomes if isinstance(o, ConflictError)]
        assert len(won) == 1 and len(lost) == 1
        assert lost[0].error in {"receipt_closed", "conflict"}
        assert (await client.receipts.get(order.receipt_id)).payment_methods[0].amount == total


@pytest.mark.anyio
async def test_an_async_v1_client(live: LiveServer, cafe: Cafe) -> None:
    async with AsyncClient(**sandbox(live.url, version=1)) as client:
        order = await client.orders.create(cafe.v1_order())
        ignored = await client.orders.ignore(order.id)
        assert isinstance(ignored, OrderStatusChange) and ignored.status == "IGNORE"
        ids = [o.id async for o in client.orders.list(limit=50, params={"status": "IGNORE"})]
        assert order.id in ids
        with pytest.raises(ConfigurationError):
            await client.receipts.get_by_cid("x")


def test_a_lost_ignore_and_a_lost_delete_are_answered_from_their_keys(
    live: LiveServer, cafe: Cafe
) -> None:
    """Without the key, the retry of an ignore would meet 409 (already ignored) and the
    retry of a delete 404 (already gone)."""
    with (
        FaultProxy(live.url).running() as proxy,
        Client(**sandbox(proxy.url, version=1)) as client,
    ):
        order = client.orders.create(cafe.v1_order())
        proxy.matches = lambda path: path.endswith(f"/orders/{order.id}")
        proxy.inject(LOST)
        ignored = client.orders.ignore(order.id)
        assert (ignored.id, ignored.status) == (order.id, "IGNORE")

        made = client.receipts.create(
            ReceiptCreate(
                cid=uuid.uuid4(),
                receipt_products=[ReceiptProductIn(product_id=cafe.products["Espresso"])],
                payment_methods=[PaymentIn(id=cafe.payments["Cash"], amount=2.2)],
            )
        )
        proxy.matches = lambda path: path.endswith(f"/receipts/{made.id}")
        proxy.inject(LOST)
        assert client.receipts.delete(made.id).id == made.id
        with pytest.raises(NotFoundError):
            client.receipts.get(made.id)
    for suffix in (f"/orders/{order.id}", f"/receipts/{made.id}"):
        sent = [s for s in proxy.requests_to(suffix) if s.method in {"PUT", "DELETE"}]
        assert len(sent) == 2 and len({s.headers["idempotency-key"] for s in sent}) == 1
