"""The venue floor: the order board (accept, decline, the order mode), the kitchen's view,
and receipts (kitchen status, closing with a chosen payment method or, for a cancelled
order, as cancelled; closed ones and their stock operations). Every action is recorded in
the audit trail with the state before and after (`Ctx.act`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.orm import Session
from starlette.responses import Response, StreamingResponse

from clopos.console import board, views, web, words
from clopos.console.web import Ctx, page
from clopos.core.errors import Invalid
from clopos.core.orders import life as orders
from clopos.core.orders import read as order_read
from clopos.core.orders.statuses import ORDER_MODES
from clopos.core.receipts import read as receipt_read
from clopos.core.receipts import venue_side as receipts
from clopos.core.receipts.table import CLOSED

# An event stream lasts this long, then the browser reconnects (EventSource does so by
# itself): a stream never outlives a session by much, and a server can restart cleanly.
STREAM_SECONDS = 300
KEEP_ALIVE_SECONDS = 15


def _paging(ctx: Ctx) -> board.Paging:
    return board.Paging(
        new=ctx.integer("new", default=1, minimum=1) or 1,
        kitchen=ctx.integer("kitchen", default=1, minimum=1) or 1,
        done=ctx.integer("done", default=1, minimum=1) or 1,
        search=(ctx.value("q") or "")[:100],
    )


async def _board(ctx: Ctx, section: str) -> tuple[list[dict[str, Any]], int, dict[str, Any], str]:
    """A board page's venues, venue, view and own address (for its forms' way back): the
    orders page's or the kitchen's (`section`)."""
    assert ctx.brand is not None
    wanted = ctx.integer("venue", minimum=1)
    paging = _paging(ctx)
    venues, venue_id, view = await ctx.db.read(
        views.one_venue, ctx.brand.id, wanted, views.orders_view, ctx.console.now(), paging
    )
    own = {
        "venue": venue_id,
        "q": paging.search or None,
        "new": paging.new if paging.new > 1 else None,
        "kitchen": paging.kitchen if paging.kitchen > 1 else None,
        "done": paging.done if paging.done > 1 else None,
    }
    view["own"] = own
    return venues, venue_id, view, ctx.url(section, **own)


async def _receipts(
    ctx: Ctx,
) -> tuple[list[dict[str, Any]], int, bool, dict[str, Any], str]:
    """The receipts page's venues, venue, whether closed ones, view and own address."""
    assert ctx.brand is not None
    wanted = ctx.integer("venue", minimum=1)
    closed = ctx.value("status") == "closed"
    search = (ctx.value("q") or "")[:100]
    number = ctx.integer("page", default=1, minimum=1) or 1
    venues, venue_id, view = await ctx.db.read(
        views.one_venue, ctx.brand.id, wanted, views.receipts_view, closed, search, number
    )
    back = ctx.url(
        "receipts",
        venue=venue_id,
        status="closed" if closed else None,
        q=search or None,
        page=number if number > 1 else None,
    )
    return venues, venue_id, closed, view, back


# --- orders -------------------------------------------------------------------------------


def _board_page(
    ctx: Ctx, section: str, venues: Any, venue_id: int, view: dict[str, Any], back: str
) -> Response:
    """The orders page or the kitchen's (`section`): the same board, its own template."""
    return ctx.page(
        f"{section}.html",
        venues=venues,
        venue_id=venue_id,
        modes=ORDER_MODES,
        live_src=ctx.url(f"{section}/live", **view["own"]),
        events=ctx.url("events"),
        back=back,
        **view,
    )


@page("/b/{brand}/orders")
async def orders_page(ctx: Ctx) -> Response:
    venues, venue_id, view, back = await _board(ctx, "orders")
    return _board_page(ctx, "orders", venues, venue_id, view, back)


@page("/b/{brand}/orders/live")
async def orders_live(ctx: Ctx) -> Response:
    """The board alone: what the page's script swaps in when the change log moves."""
    _, venue_id, view, back = await _board(ctx, "orders")
    return web.fragment(ctx, "_orders.html", venue_id=venue_id, back=back, **view)


@page("/b/{brand}/kitchen")
async def kitchen_page(ctx: Ctx) -> Response:
    """The kitchen's screen: accepted orders by stage, one tap to move each along."""
    venues, venue_id, view, back = await _board(ctx, "kitchen")
    return _board_page(ctx, "kitchen", venues, venue_id, view, back)


@page("/b/{brand}/kitchen/live")
async def kitchen_live(ctx: Ctx) -> Response:
    _, venue_id, view, back = await _board(ctx, "kitchen")
    return web.fragment(ctx, "_kitchen.html", venue_id=venue_id, back=back, **view)


@page("/b/{brand}/events")
async def events(ctx: Ctx) -> Response:
    """Server-sent events: `changed` whenever the brand's orders, receipts or stop list
    change (the change log, store/changes.py), `signed-out` when the session ends."""
    assert ctx.brand is not None
    brand_id = ctx.brand.id
    live = ctx.console.live(ctx.server)
    request = ctx.request

    # Set when the worker is asked to stop: the stream ends so that the stop need not wait
    # for it (server/stopping.py); the page reconnects to another worker or a restarted one.
    stopping: asyncio.Event = request.app.state.stopping

    async def stream() -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STREAM_SECONDS
        async with live.listening():
            seen = live.version(brand_id)
            yield b"retry: 2000\n\nevent: ready\ndata: 0\n\n"
            while loop.time() < deadline and not stopping.is_set():
                now = await live.wait(brand_id, seen, KEEP_ALIVE_SECONDS, stopping)
                if stopping.is_set():
                    return
                session = await web.signed_in(request)
                if session is None or not session[0].may_use(brand_id):
                    yield b"event: signed-out\ndata: 0\n\n"
                    return
                if now != seen:
                    seen = now
                    yield f"event: changed\ndata: {now}\n\n".encode()
                else:
                    yield b": keep-alive\n\n"

    response = StreamingResponse(stream(), media_type="text/event-stream")
    response.headers["x-accel-buffering"] = "no"
    return response


@page("/b/{brand}/orders/{order_id:int}/accept", methods=("POST",))
async def accept(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    brand_id, order_id = ctx.brand.id, int(ctx.request.path_params["order_id"])

    def work(session: Session) -> tuple[dict[str, Any], Any, Any]:
        before = {"status": order_read.load(session, brand_id, order_id).status}
        order = orders.accept_order(session, brand_id, order_id)
        return order, before, {"status": order["status"], "receipt_id": order["receipt_id"]}

    order = await ctx.act("order_accept", f"order {order_id}", work)
    return ctx.done(f"Order {order_id} accepted: receipt {order['receipt_id']} opened.")


@page("/b/{brand}/orders/{order_id:int}/ignore", methods=("POST",))
async def ignore(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    brand_id, order_id = ctx.brand.id, int(ctx.request.path_params["order_id"])

    def work(session: Session) -> tuple[None, Any, Any]:
        before = {"status": order_read.load(session, brand_id, order_id).status}
        order = orders.ignore_order(session, brand_id, order_id)
        return None, before, {"status": order["status"]}

    await ctx.act("order_decline", f"order {order_id}", work)
    return ctx.done(f"Order {order_id} declined.")


@page("/b/{brand}/venues/{venue_id:int}/order-mode", methods=("POST",))
async def order_mode(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    brand_id, venue_id = ctx.brand.id, int(ctx.request.path_params["venue_id"])
    mode = ctx.value("mode") or ""
    if mode not in ORDER_MODES:
        raise Invalid(f"The order mode must be one of {', '.join(ORDER_MODES)}")
    seconds = ctx.integer("seconds", minimum=0) if mode == "accept-after" else None
    if mode == "accept-after" and (seconds is None or seconds > 86400):
        raise Invalid("accept-after needs a number of seconds (0 to 86400)")

    def work(session: Session) -> tuple[dict[str, Any], Any, Any]:
        before = orders.order_mode(session, brand_id, venue_id)
        result = orders.set_order_mode(session, brand_id, venue_id, mode, seconds)
        return result, before, result

    result = await ctx.act("order_mode", f"venue {venue_id}", work)
    after = f" {result['accept_after_seconds']} s" if result["mode"] == "accept-after" else ""
    return ctx.done(f"Venue {venue_id}: order mode {result['mode']}{after}.")


# --- receipts -----------------------------------------------------------------------------


@page("/b/{brand}/receipts")
async def receipts_page(ctx: Ctx) -> Response:
    venues, venue_id, closed, view, back = await _receipts(ctx)
    return ctx.page(
        "receipts.html",
        venues=venues,
        venue_id=venue_id,
        closed=closed,
        live_src=ctx.url("receipts/live", venue=venue_id, status="closed" if closed else None),
        events=ctx.url("events"),
        back=back,
        **view,
    )


@page("/b/{brand}/receipts/live")
async def receipts_live(ctx: Ctx) -> Response:
    _, venue_id, closed, view, back = await _receipts(ctx)
    return web.fragment(ctx, "_receipts.html", venue_id=venue_id, closed=closed, back=back, **view)


@page("/b/{brand}/receipts/{receipt_id:int}")
async def receipt_page(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    receipt_id = int(ctx.request.path_params["receipt_id"])
    view = await ctx.db.read(views.receipt_view, ctx.brand.id, receipt_id)
    return ctx.page("receipt.html", **view)


def _receipt_state(session: Session, brand_id: int, receipt_id: int) -> dict[str, Any]:
    receipt = receipt_read.load(session, brand_id, receipt_id)
    return {
        "status": "closed" if receipt.status == CLOSED else "open",
        "order_status": receipt.order_status,
        "total": receipt.total,
    }


@page("/b/{brand}/receipts/{receipt_id:int}/status", methods=("POST",))
async def receipt_status(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    brand_id, receipt_id = ctx.brand.id, int(ctx.request.path_params["receipt_id"])
    status = (ctx.value("order_status") or "").upper()

    def work(session: Session) -> tuple[dict[str, Any], Any, Any]:
        before = _receipt_state(session, brand_id, receipt_id)["order_status"]
        receipt = receipts.set_order_status(session, brand_id, receipt_id, status)
        return receipt, {"order_status": before}, {"order_status": receipt["order_status"]}

    receipt = await ctx.act("receipt_status", f"receipt {receipt_id}", work)
    word = words.KITCHEN_STATUS.get(receipt["order_status"], receipt["order_status"])
    return ctx.done(f"Receipt {receipt_id}: {word.lower()}.")


def _tendered(ctx: Ctx) -> float | None:
    raw = (ctx.value("tendered") or "").replace(",", ".")
    if not raw:
        return None
    try:
        amount = float(raw)
    except ValueError:
        raise Invalid("The amount tendered must be a number such as 20.00") from None
    if not 0 <= amount < 10**9:
        raise Invalid("The amount tendered must be between 0 and 1,000,000,000")
    return amount


@page("/b/{brand}/receipts/{receipt_id:int}/close", methods=("POST",))
async def receipt_close(ctx: Ctx) -> Response:
    """Close with the payment method the cashier chose (never a default) and, for cash, the
    amount tendered (the change is answered)."""
    assert ctx.brand is not None
    brand_id, receipt_id = ctx.brand.id, int(ctx.request.path_params["receipt_id"])
    method = ctx.value("payment_method") or None
    if method is None:
        raise Invalid(f"Choose how receipt {receipt_id} was paid")
    tendered = _tendered(ctx)

    def work(session: Session) -> tuple[dict[str, Any], Any, Any]:
        before = _receipt_state(session, brand_id, receipt_id)
        closed = receipts.close_at_venue(session, brand_id, receipt_id, method, tendered)
        after = {"status": "closed", "payments": closed["payment_methods"]}
        if tendered is not None:
            after.update(tendered=closed["tendered"], change=closed["change"])
        return closed, before, after

    closed = await ctx.act("receipt_close", f"receipt {receipt_id}", work)
    text = f"Receipt {receipt_id} paid: {words.paid(closed['payment_methods'])}."
    if tendered is not None:
        text += (
            f" Tendered {words.money(closed['tendered'])}, change {words.money(closed['change'])}."
        )
    return ctx.done(text)


@page("/b/{brand}/receipts/{receipt_id:int}/close-cancelled", methods=("POST",))
async def receipt_close_cancelled(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    brand_id, receipt_id = ctx.brand.id, int(ctx.request.path_params["receipt_id"])

    def work(session: Session) -> tuple[dict[str, Any], Any, Any]:
        before = _receipt_state(session, brand_id, receipt_id)
        closed = receipts.close_cancelled(session, brand_id, receipt_id)
        return closed, before, {"status": "closed", "order_status": closed["order_status"]}

    await ctx.act("receipt_close_cancelled", f"receipt {receipt_id}", work)
    return ctx.done(f"Receipt {receipt_id} closed as cancelled, without payment.")


ROUTES = [
    orders_page,
    orders_live,
    kitchen_page,
    kitchen_live,
    events,
    accept,
    ignore,
    order_mode,
    receipts_page,
    receipts_live,
    receipt_page,
    receipt_status,
    receipt_close,
    receipt_close_cancelled,
]
