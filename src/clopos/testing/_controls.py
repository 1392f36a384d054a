"""The sandbox's controls: the venue's side, fault injection, the test clock, the events.

Each runs the same service code as the CLI and the operator API, on the server's own event
loop, and answers what they answer (the order, the receipt, ...) as plain data.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from clopos.core.access.brands import brand_id_of
from clopos.core.finance import deposits, shifts
from clopos.core.inventory import documents, kinds
from clopos.core.orders import life
from clopos.core.orders import read as orders
from clopos.core.receipts import venue_side as receipts
from clopos.server.pipeline.faults import Fault, Latency

if TYPE_CHECKING:
    from clopos.testing._sandbox import Sandbox


class _Part:
    def __init__(self, box: Sandbox) -> None:
        self._box = box

    def _write(self, fn: Any, *args: Any, brand: str | None = None) -> Any:
        db = self._box.state.db
        slug = brand or self._box.brand

        async def run() -> Any:
            brand_id = await db.read(brand_id_of, slug)
            return await db.write(fn, brand_id, *args)

        return self._box.call(run)


class Venue(_Part):
    """What the venue's terminal does with orders (as `clopos admin order ...`)."""

    def accept(self, order_id: int, *, brand: str | None = None) -> dict[str, Any]:
        """Accept a PENDING order: it becomes RECEIVED and gets an open receipt."""
        order: dict[str, Any] = self._write(life.accept_order, int(order_id), brand=brand)
        return order

    def ignore(self, order_id: int, *, brand: str | None = None) -> dict[str, Any]:
        """Decline a PENDING order (IGNORE)."""
        order: dict[str, Any] = self._write(life.ignore_order, int(order_id), brand=brand)
        return order

    def order_mode(
        self,
        mode: str,
        seconds: int | None = None,
        *,
        venue_id: int | None = None,
        brand: str | None = None,
    ) -> dict[str, Any]:
        """How the venue answers new orders: `manual`, `accept`, `ignore`, or
        `accept-after` `seconds` (see `clock.advance`)."""
        venue = self._box.venue_id if venue_id is None else venue_id
        result: dict[str, Any] = self._write(life.set_order_mode, venue, mode, seconds, brand=brand)
        return result

    def orders(
        self, status: str | None = None, *, brand: str | None = None
    ) -> list[dict[str, Any]]:
        """The brand's orders (newest first, up to 100), optionally of one status."""
        items = [("status", status)] if status else []
        query = orders.SPEC.parse([*items, ("limit", "100"), ("with[]", "receipt")])
        page = self._write(orders.list_orders, query, brand=brand)
        rows: list[dict[str, Any]] = list(page.rows)
        return rows


class Receipts(_Part):
    """What the venue does with receipts (as `clopos admin receipt ...`)."""

    def set_status(
        self, receipt_id: int, status: str, *, brand: str | None = None
    ) -> dict[str, Any]:
        """Move the kitchen status (`order_status`), e.g. `IN_PROGRESS`, `READY`."""
        receipt: dict[str, Any] = self._write(
            receipts.set_order_status, int(receipt_id), status, brand=brand
        )
        return receipt

    def close(
        self, receipt_id: int, payment_method: str | None = None, *, brand: str | None = None
    ) -> dict[str, Any]:
        """Close a receipt, paying its whole total with one payment method (id or name;
        default the venue's first)."""
        closed: dict[str, Any] = self._write(
            receipts.close_at_venue, int(receipt_id), payment_method, brand=brand
        )
        return closed


class Till(_Part):
    """The venue's cash shift (as `clopos admin shift ...`): receipts close into the open
    one. Answers the shift as `/finance/cash-shifts/{id}` does (`close` adds its report).
    Customers' deposits go through the till too (`deposit`)."""

    def open(
        self, amount: float = 0, *, venue_id: int | None = None, brand: str | None = None
    ) -> dict[str, Any]:
        """Open the venue's till with `amount` in the drawer."""
        venue = self._box.venue_id if venue_id is None else venue_id

        def work(session: Any, brand_id: int) -> dict[str, Any]:
            return shifts.opened(session, brand_id, venue, amount=amount, by="sandbox")

        opened: dict[str, Any] = self._write(work, brand=brand)
        return opened

    def close(
        self,
        amount: float | None = None,
        *,
        venue_id: int | None = None,
        brand: str | None = None,
    ) -> dict[str, Any]:
        """Close the venue's open shift with `amount` counted (default: what it expects)."""
        venue = self._box.venue_id if venue_id is None else venue_id

        def work(session: Any, brand_id: int) -> dict[str, Any]:
            return shifts.closed(session, brand_id, venue, amount=amount, by="sandbox")

        closed: dict[str, Any] = self._write(work, brand=brand)
        return closed

    def deposit(
        self,
        customer_id: int,
        amount: float,
        payment_method_id: int,
        *,
        venue_id: int | None = None,
        brand: str | None = None,
    ) -> dict[str, Any]:
        """The customer leaves `amount` on its account, paid with `payment_method_id` (as
        `clopos admin customer deposit`); answers its accounts as
        `/finance/balances/customer` does, with the deposit's `transaction_id`."""

        def work(session: Any, brand_id: int) -> dict[str, Any]:
            return deposits.deposit(
                session, brand_id, int(customer_id), amount, payment_method_id, venue_id=venue_id
            )

        made: dict[str, Any] = self._write(work, brand=brand)
        return made


class Stock(_Part):
    """Inventory documents (as `clopos admin stock post`): each moves stock at once."""

    def post(
        self,
        kind: str,
        items: list[tuple[int, float]] | list[tuple[int, float, float]],
        *,
        storage_id: int = 1,
        to_storage_id: int | None = None,
        supplier_id: int | None = None,
        brand: str | None = None,
    ) -> dict[str, Any]:
        """Post a document of `kind` (`IN`, `WASTE`, `TRANSFER`, `INITIAL_STOCK`, ...) with
        `(product_id, quantity[, unit_cost])` items; answers it as `/operations/{id}`."""
        numbers = {name: number for number, name in kinds.TYPES.items()}
        if kind.upper() not in numbers:
            raise ValueError(f"kind must be one of {', '.join(numbers)}")
        draft = documents.DocumentDraft(
            type=numbers[kind.upper()],
            storage_id=storage_id,
            items=[documents.ItemDraft(*item) for item in items],
            to_storage_id=to_storage_id,
            supplier_id=supplier_id,
            by="sandbox",
        )
        posted: dict[str, Any] = self._write(documents.posted, draft, brand=brand)
        return posted

    def supplier(self, name: str, *, brand: str | None = None) -> dict[str, Any]:
        """A new supplier (for supplies), as `/suppliers/{id}` answers it."""
        made: dict[str, Any] = self._write(documents.supplier_added, name, brand=brand)
        return made


class Faults(_Part):
    """Make the sandbox fail on purpose, for the brand (default the sandbox brand)."""

    def next(
        self,
        status: int,
        count: int = 1,
        *,
        path: str | None = None,
        method: str | None = None,
        retry_after: int = 1,
        brand: str | None = None,
    ) -> None:
        """Answer the next `count` matching requests with `status` (one of `FAULT_STATUSES`,
        server/fault_statuses.py) and the documented body and headers (429: the rate-limit
        headers and `Retry-After: retry_after`). `path` matches an API path and what is under it
        (`/orders` matches `/open-api/v2/orders/5`); `method` one method."""
        self.arm(Fault(status, count, path, method, retry_after), brand)

    def always(
        self,
        status: int,
        *,
        path: str | None = None,
        method: str | None = None,
        brand: str | None = None,
    ) -> None:
        """Answer every matching request with `status` until `clear()`."""
        self.arm(Fault(status, None, path, method), brand)

    def latency(
        self,
        seconds: float,
        *,
        count: int | None = None,
        path: str | None = None,
        method: str | None = None,
        brand: str | None = None,
    ) -> None:
        """Delay matching requests by `seconds` (the next `count`, or all until `clear()`)."""
        self.arm(Latency(seconds, count, path, method), brand)

    def arm(self, fault: Fault | Latency, brand: str | None = None) -> None:
        slug = brand or self._box.brand
        controls = self._box.controls

        async def run() -> None:
            await controls.test_brand(slug)
            controls.faults.arm(slug, fault)

        self._box.call(run)

    def clear(self, *, brand: str | None = None) -> None:
        """Disarm every fault of the brand."""
        slug = brand or self._box.brand
        controls = self._box.controls

        async def run() -> None:
            controls.faults.clear(slug)

        self._box.call(run)

    def armed(self, *, brand: str | None = None) -> list[dict[str, Any]]:
        """The faults still armed (a spent one is gone)."""
        slug = brand or self._box.brand
        controls = self._box.controls

        async def run() -> list[dict[str, Any]]:
            listing: list[dict[str, Any]] = controls.faults.listing(slug)
            return listing

        result: list[dict[str, Any]] = self._box.call(run)
        return result


class Clock(_Part):
    """The brand's test clock: moves only forward, by `advance`."""

    def advance(self, seconds: float, *, brand: str | None = None) -> dict[str, Any]:
        """Move the clock forward: tokens of the brand expire as their lifetime passes,
        its rate-limit windows pass, its `accept-after` orders fall due (accepted before
        this returns)."""
        controls = self._box.controls
        result: dict[str, Any] = self._box.call(controls.advance, brand or self._box.brand, seconds)
        return result

    def now(self, *, brand: str | None = None) -> float:
        """The brand's clock, in epoch seconds."""
        controls = self._box.controls

        async def run() -> float:
            return float(controls.clock(brand or self._box.brand)["now"])

        return float(self._box.call(run))

    @property
    def offset(self) -> float:
        """How far the sandbox brand's clock is ahead of the wall clock, in seconds."""
        return float(self._box.controls.offset(self._box.brand))


class Events(_Part):
    """The webhook events the sandbox made, without any receiver (docs/webhooks.md): every
    event of a test brand is kept, subscribed or not."""

    def __init__(self, box: Sandbox) -> None:
        super().__init__(box)
        self._last: dict[str, str] = {}  # per brand: the last event `wait` answered

    def _read(self, type: str | None, after: str | None, brand: str | None) -> list[dict[str, Any]]:
        controls = self._box.controls
        found: list[dict[str, Any]] = self._box.call(
            controls.events, brand or self._box.brand, type, after
        )
        return found

    def list(
        self, type: str | None = None, *, after: str | None = None, brand: str | None = None
    ) -> list[dict[str, Any]]:
        """The events made so far, oldest first: of one `type`, after the event `after`."""
        return self._read(type, after, brand)

    def wait(
        self,
        type: str,
        *,
        timeout: float = 5.0,
        after: str | None = None,
        brand: str | None = None,
    ) -> dict[str, Any]:
        """The next event of `type`: after the one this method last answered for the
        brand (or after `after`), waiting up to `timeout` seconds for it to be made.
        Raises TimeoutError, naming the events made meanwhile, when none comes."""
        slug = brand or self._box.brand
        mark = after if after is not None else self._last.get(slug)
        deadline = time.monotonic() + timeout
        while True:
            found = self._read(type, mark, slug)
            if found:
                self._last[slug] = found[0]["id"]
                return found[0]
            if time.monotonic() >= deadline:
                seen = [event["type"] for event in self._read(None, mark, slug)]
                raise TimeoutError(
                    f"no {type} event within {timeout:g} s; made meanwhile: {seen or 'none'}"
                )
            time.sleep(0.02)
