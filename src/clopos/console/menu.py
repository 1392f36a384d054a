"""The menu of a venue: categories and products with their prices there, and the stop list
(toggled per product and venue; integrators see it at once in `GET /products/stop-list`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.responses import Response

from clopos.console import views, web
from clopos.console.web import Ctx, page
from clopos.core.products import read as products
from clopos.core.stop_list import service as stop_list


async def _menu(ctx: Ctx) -> tuple[list[dict[str, Any]], int, dict[str, Any]]:
    assert ctx.brand is not None
    wanted = ctx.integer("venue", minimum=1)
    search = (ctx.value("q") or "")[:100]
    only_stopped = ctx.value("stopped") == "1"
    venues, venue_id, view = await ctx.db.read(
        views.one_venue, ctx.brand.id, wanted, views.menu_view, search, only_stopped
    )
    view["live_src"] = ctx.url(
        "menu/live", venue=venue_id, q=search or None, stopped="1" if only_stopped else None
    )
    return venues, venue_id, view


@page("/b/{brand}/menu")
async def menu_page(ctx: Ctx) -> Response:
    venues, venue_id, view = await _menu(ctx)
    return ctx.page("menu.html", venues=venues, venue_id=venue_id, **view)


@page("/b/{brand}/menu/live")
async def menu_live(ctx: Ctx) -> Response:
    """The menu's tables alone: what the script swaps in after a stop or a resume."""
    _, venue_id, view = await _menu(ctx)
    return web.fragment(ctx, "_menu.html", venue_id=venue_id, current=ctx.current, **view)


@page("/b/{brand}/menu/{product_id:int}/stop-list", methods=("POST",))
async def toggle_stop(ctx: Ctx) -> Response:
    """`action=stop` puts the product on the venue's stop list (with `limit`, default 0:
    none left), `action=resume` takes it off."""
    assert ctx.brand is not None
    brand_id, product_id = ctx.brand.id, int(ctx.request.path_params["product_id"])
    venue_id = ctx.integer("venue", minimum=1)
    resume = ctx.value("action") == "resume"
    limit = 0 if resume else ctx.integer("limit", default=0, minimum=0) or 0

    def work(session: Session) -> tuple[tuple[str, int, Any], Any, Any]:
        name = products.get_product(session, brand_id, str(product_id), ())["name"]
        venue = stop_list.venue_of(session, brand_id, venue_id)
        before = _entry(session, brand_id, venue, product_id)
        if resume:
            stop_list.clear(session, brand_id, product_id, venue)
        else:
            stop_list.set_limit(session, brand_id, product_id, limit, venue)
        after = _entry(session, brand_id, venue, product_id)
        return (name, venue, before), before, after

    action = "stop_list_resume" if resume else "stop_list_stop"
    name, venue, before = await ctx.act(action, f"product {product_id}", work)
    if resume:
        text = "back on sale" if before else "was not on the stop list"
        return ctx.done(f"{name} {text} at venue {venue}.")
    left = f": {limit} left" if limit else ": none left"
    return ctx.done(f"{name} stopped at venue {venue}{left}.")


def _entry(session: Session, brand_id: int, venue_id: int, product_id: int) -> Any:
    """A product's stop-list entry at a venue (None when it is on sale)."""
    for entry in stop_list.all_entries(session, brand_id, venue_id):
        if entry["id"] == product_id:
            return {"limit": entry["limit"]}
    return None


ROUTES = [menu_page, menu_live, toggle_stop]
