"""A brand's webhooks in the console: its subscriptions (add, rotate the secret, remove)
and the delivery log (status, attempts, latency, last answer; replay), by the same
services as `clopos admin webhook` and the operator API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.responses import Response

from clopos.console.web import Ctx, page
from clopos.core.errors import Invalid
from clopos.core.webhooks import deliveries, subscriptions
from clopos.core.webhooks.types import DELIVERY_STATUSES, EVENT_TYPES


@page("/b/{brand}/webhooks")
async def webhooks_page(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    brand_id = ctx.brand.id
    status = ctx.value("status") or None
    if status is not None and status not in DELIVERY_STATUSES:
        status = None
    chosen = ctx.value("subscription") or None
    limit = ctx.integer("limit", default=50, minimum=1) or 50

    def work(session: Session) -> dict[str, Any]:
        subscribed = subscriptions.listing(session, brand_id)
        known = {s["id"] for s in subscribed}
        only = chosen if chosen in known else None
        log = deliveries.listing(session, brand_id, only, status, min(limit, 1000))
        return {"subscriptions": subscribed, "deliveries": log}

    view = await ctx.db.read(work)
    return ctx.page(
        "webhooks.html",
        event_types=EVENT_TYPES,
        statuses=DELIVERY_STATUSES,
        filters={"status": status or "", "subscription": chosen or "", "limit": limit},
        **view,
    )


@page("/b/{brand}/webhooks", methods=("POST",))
async def subscribe(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    brand_id, seal = ctx.brand.id, ctx.server.seal
    url, events = ctx.value("url") or "", ctx.values("event")
    created = await ctx.db.write(subscriptions.add, brand_id, url, events, seal)
    return ctx.page(
        "webhooks_secret.html", subscription=created.subscription, secret=created.secret, new=True
    )


@page("/b/{brand}/webhooks/{subscription_id}", methods=("POST",))
async def subscription_action(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    brand_id = ctx.brand.id
    subscription_id = ctx.request.path_params["subscription_id"]
    action = ctx.value("action")
    if action == "remove":
        await ctx.db.write(subscriptions.remove, brand_id, subscription_id)
        return ctx.done(f"Subscription {subscription_id} removed.")
    if action == "rotate":
        hours = ctx.integer("overlap_hours", default=24, minimum=0) or 0
        created = await ctx.db.write(
            subscriptions.rotate_secret,
            brand_id,
            subscription_id,
            ctx.server.seal,
            timedelta(hours=min(hours, 24 * 30)),
        )
        return ctx.page(
            "webhooks_secret.html",
            subscription=created.subscription,
            secret=created.secret,
            new=False,
            overlap_hours=hours,
        )
    if action == "replay-dead":
        count = await ctx.db.write(deliveries.replay, brand_id, (), subscription_id, "dead")
        _wake(ctx)
        return ctx.done(f"{count} dead deliveries of {subscription_id} will be sent again.")
    raise Invalid("Unknown webhook action")


@page("/b/{brand}/webhooks/deliveries/{delivery_id:int}/replay", methods=("POST",))
async def replay_delivery(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    delivery_id = int(ctx.request.path_params["delivery_id"])
    await ctx.db.write(deliveries.replay, ctx.brand.id, [delivery_id])
    _wake(ctx)
    return ctx.done(f"Delivery {delivery_id} will be sent again.")


def _wake(ctx: Ctx) -> None:
    sender = ctx.server.webhooks
    if sender is not None:
        sender.wake()


ROUTES = [webhooks_page, subscribe, replay_delivery, subscription_action]
