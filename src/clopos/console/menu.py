"""The menu of a venue: categories and products with their prices there, and the stop list
(toggled per product and venue; integrators see it at once in `GET /products/stop-list`)."""

from __future__ import annotations

from starlette.responses import Response

from clopos.console import views
from clopos.console.web import Ctx, page
from clopos.core.stop_list import service as stop_list


@page("/b/{brand}/menu")
async def menu_page(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    wanted = ctx.integer("venue", minimum=1)
    venues, venue_id, view = await ctx.db.read(
        views.one_venue, ctx.brand.id, wanted, views.menu_view
    )
    return ctx.page("menu.html", venues=venues, venue_id=venue_id, **view)


@page("/b/{brand}/menu/{product_id:int}/stop-list", methods=("POST",))
async def toggle_stop(ctx: Ctx) -> Response:
    """`action=stop` puts the product on the venue's stop list (with `limit`, default 0:
    none left), `action=resume` takes it off."""
    assert ctx.brand is not None
    product_id = int(ctx.request.path_params["product_id"])
    venue_id = ctx.integer("venue", minimum=1)
    if ctx.value("action") == "resume":
        removed = await ctx.db.write(stop_list.clear, ctx.brand.id, product_id, venue_id)
        text = "back on sale" if removed else "was not on the stop list"
        return ctx.done(f"Product {product_id} {text} at venue {venue_id}.")
    limit = ctx.integer("limit", default=0, minimum=0) or 0
    await ctx.db.write(stop_list.set_limit, ctx.brand.id, product_id, limit, venue_id)
    return ctx.done(f"Product {product_id} on the stop list at venue {venue_id} (limit {limit}).")


ROUTES = [menu_page, toggle_stop]
