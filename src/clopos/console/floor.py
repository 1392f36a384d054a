"""The venue floor: live orders (accept, ignore, the order mode) and receipts (kitchen
status, closing with a payment method, closed ones and their stock operations)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import Response, StreamingResponse

from clopos.console import views, web
from clopos.console.web import Ctx, page
from clopos.core.errors import Invalid
from clopos.core.orders import life as orders
from clopos.core.orders.statuses import ORDER_MODES
from clopos.core.receipts import venue_side as receipts

# An event stream lasts this long, then the browser reconnects (EventSource does so by
# itself): a stream never outlives a session by much, and a server can restart cleanly.
STREAM_SECONDS = 300
KEEP_ALIVE_SECONDS = 15


async def _orders(ctx: Ctx) -> tuple[list[dict[str, Any]], int, dict[str, Any], str]:
    """The orders page's venues, venue, view and own address (for its forms' way back)."""
    assert ctx.brand is not None
    wanted = ctx.integer("venue", minimum=1)
    venues, venue_id, view = await ctx.db.read(
        views.one_venue, ctx.brand.id, wanted, views.orders_view
    )
    return venues, venue_id, view, ctx.url("orders", venue=venue_id)


async def _receipts(
    ctx: Ctx,
) -> tuple[list[dict[str, Any]], int, bool, dict[str, Any], str]:
    """The receipts page's venues, venue, whether closed ones, view and own address."""
    assert ctx.brand is not None
    wanted = ctx.integer("venue", minimum=1)
    closed = ctx.value("status") == "closed"
    venues, venue_id, view = await ctx.db.read(
        views.one_venue, ctx.brand.id, wanted, views.receipts_view, closed
    )
    back = ctx.url("receipts", venue=venue_id, status="closed" if closed else None)
    return venues, venue_id, closed, view, back


# --- orders -------------------------------------------------------------------------------


@page("/b/{brand}/orders")
async def orders_page(ctx: Ctx) -> Response:
    venues, venue_id, view, back = await _orders(ctx)
    return ctx.page(
        "orders.html",
        venues=venues,
        venue_id=venue_id,
        modes=ORDER_MODES,
        live_src=ctx.url("orders/live", venue=venue_id),
        events=ctx.url("events"),
        back=back,
        **view,
    )


@page("/b/{brand}/orders/live")
async def orders_live(ctx: Ctx) -> Response:
    """The orders list alone: what the page's script swaps in when the change log moves."""
    _, venue_id, view, back = await _orders(ctx)
    return web.fragment(ctx, "_orders.html", venue_id=venue_id, back=back, **view)


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
    order_id = int(ctx.request.path_params["order_id"])
    order = await ctx.db.write(orders.accept_order, ctx.brand.id, order_id)
    return ctx.done(f"Order {order_id} accepted: receipt {order['receipt_id']} opened.")


@page("/b/{brand}/orders/{order_id:int}/ignore", methods=("POST",))
async def ignore(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    order_id = int(ctx.request.path_params["order_id"])
    await ctx.db.write(orders.ignore_order, ctx.brand.id, order_id)
    return ctx.done(f"Order {order_id} ignored.")


@page("/b/{brand}/venues/{venue_id:int}/order-mode", methods=("POST",))
async def order_mode(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    venue_id = int(ctx.request.path_params["venue_id"])
    mode = ctx.value("mode") or ""
    if mode not in ORDER_MODES:
        raise Invalid(f"The order mode must be one of {', '.join(ORDER_MODES)}")
    seconds = ctx.integer("seconds", minimum=0) if mode == "accept-after" else None
    if mode == "accept-after" and (seconds is None or seconds > 86400):
        raise Invalid("accept-after needs a number of seconds (0 to 86400)")
    result = await ctx.db.write(orders.set_order_mode, ctx.brand.id, venue_id, mode, seconds)
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
    _, _, closed, view, back = await _receipts(ctx)
    return web.fragment(ctx, "_receipts.html", closed=closed, back=back, **view)


@page("/b/{brand}/receipts/{receipt_id:int}")
async def receipt_page(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    receipt_id = int(ctx.request.path_params["receipt_id"])
    view = await ctx.db.read(views.receipt_view, ctx.brand.id, receipt_id)
    return ctx.page("receipt.html", **view)


@page("/b/{brand}/receipts/{receipt_id:int}/status", methods=("POST",))
async def receipt_status(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    receipt_id = int(ctx.request.path_params["receipt_id"])
    status = (ctx.value("order_status") or "").upper()
    receipt = await ctx.db.write(receipts.set_order_status, ctx.brand.id, receipt_id, status)
    return ctx.done(f"Receipt {receipt_id}: {receipt['order_status']}.")


@page("/b/{brand}/receipts/{receipt_id:int}/close", methods=("POST",))
async def receipt_close(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    receipt_id = int(ctx.request.path_params["receipt_id"])
    method = ctx.value("payment_method") or None
    closed = await ctx.db.write(receipts.close_at_venue, ctx.brand.id, receipt_id, method)
    paid = ", ".join(f"{p['name']} {p['amount']}" for p in closed["payment_methods"])
    return ctx.done(f"Receipt {receipt_id} closed ({paid}).")


ROUTES = [
    orders_page,
    orders_live,
    events,
    accept,
    ignore,
    order_mode,
    receipts_page,
    receipts_live,
    receipt_page,
    receipt_status,
    receipt_close,
]
