"""`clopos admin webhook ...`: a brand's webhook subscriptions and their delivery log;
`clopos webhooks run`: the sender on its own (docs/webhooks.md)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from datetime import timedelta
from typing import Any

import click
from sqlalchemy.orm import Session

from clopos.cli.context import database_options, emit, json_option, run_db, table
from clopos.core.webhooks.types import DELIVERY_STATUSES, EVENT_TYPES

brand_option = click.option("--brand", "brand_slug", required=True, help="The brand's slug.")


def _seal(settings: Any) -> Any:
    from clopos.core.sealing import Seal

    return Seal(settings.hashing_key)


def _brand(session: Session, slug: str) -> int:
    from clopos.core.access.brands import brand_id_of

    return brand_id_of(session, slug)


def _with_secret(created: Any) -> dict[str, Any]:
    return {**created.subscription, "secret": created.secret}


@click.group("webhook")
def webhook() -> None:
    """Webhook subscriptions: where a brand's events are sent, signed."""


@webhook.command("add")
@brand_option
@click.option("--url", required=True, help="The receiver: an http:// or https:// URL.")
@click.option(
    "--events",
    required=True,
    help=f"Comma-separated event types, or * for all: {', '.join(EVENT_TYPES)}.",
)
@click.option("--secret", help="The signing secret (whsec_...); default: one is made.")
@json_option
def webhook_add(brand_slug: str, url: str, events: str, secret: str | None, as_json: bool) -> None:
    """Subscribe a receiver; prints the subscription id and its secret (shown this once)."""
    from clopos.core.webhooks import subscriptions

    def work(session: Session, settings: Any) -> dict[str, Any]:
        created = subscriptions.add(
            session, _brand(session, brand_slug), url, events.split(","), _seal(settings), secret
        )
        return _with_secret(created)

    emit(run_db(work), as_json, lambda s: f"{s['id']}\nsecret: {s['secret']}")


@webhook.command("list")
@brand_option
@json_option
def webhook_list(brand_slug: str, as_json: bool) -> None:
    """The brand's subscriptions."""
    from clopos.core.webhooks import subscriptions

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        return subscriptions.listing(session, _brand(session, brand_slug))

    columns = ["id", "url", "events", "enabled", "created_at", "previous_secret_until"]
    emit(run_db(work), as_json, lambda rows: table(rows, columns))


@webhook.command("remove")
@brand_option
@click.argument("subscription_id")
@json_option
def webhook_remove(brand_slug: str, subscription_id: str, as_json: bool) -> None:
    """Remove a subscription and its deliveries."""
    from clopos.core.webhooks import subscriptions

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return subscriptions.remove(session, _brand(session, brand_slug), subscription_id)

    emit(run_db(work), as_json, lambda s: f"removed {s['id']}")


@webhook.command("rotate-secret")
@brand_option
@click.argument("subscription_id")
@click.option(
    "--overlap-hours",
    default=24.0,
    show_default=True,
    type=click.FloatRange(0, 24 * 30),
    help="How long the current secret keeps signing too (0: it stops at once).",
)
@json_option
def webhook_rotate(
    brand_slug: str, subscription_id: str, overlap_hours: float, as_json: bool
) -> None:
    """A new secret; both sign deliveries during the overlap. Prints the new secret."""
    from clopos.core.webhooks import subscriptions

    def work(session: Session, settings: Any) -> dict[str, Any]:
        created = subscriptions.rotate_secret(
            session,
            _brand(session, brand_slug),
            subscription_id,
            _seal(settings),
            timedelta(hours=overlap_hours),
        )
        return _with_secret(created)

    emit(run_db(work), as_json, lambda s: f"{s['id']}\nsecret: {s['secret']}")


@webhook.command("deliveries")
@brand_option
@click.option("--subscription", "subscription_id", help="One subscription's only.")
@click.option("--status", type=click.Choice(DELIVERY_STATUSES))
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@json_option
def webhook_deliveries(
    brand_slug: str, subscription_id: str | None, status: str | None, limit: int, as_json: bool
) -> None:
    """The delivery log, newest first: status, attempts, latency and the last answer."""
    from clopos.core.webhooks import deliveries

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        brand_id = _brand(session, brand_slug)
        return deliveries.listing(session, brand_id, subscription_id, status, limit)

    columns = [
        "id",
        "event_type",
        "event_id",
        "status",
        "attempts",
        "last_status",
        "latency_ms",
        "next_at",
        "last_answer",
    ]
    emit(run_db(work), as_json, lambda rows: table(rows, columns))


@webhook.command("replay")
@brand_option
@click.argument("delivery_ids", nargs=-1, type=int)
@click.option("--subscription", "subscription_id", help="A subscription's deliveries.")
@click.option("--status", type=click.Choice(DELIVERY_STATUSES), help="Of this status only.")
@json_option
def webhook_replay(
    brand_slug: str,
    delivery_ids: tuple[int, ...],
    subscription_id: str | None,
    status: str | None,
    as_json: bool,
) -> None:
    """Send deliveries again now (e.g. `--subscription wh_... --status dead`)."""
    from clopos.core.webhooks import deliveries

    def work(session: Session, settings: Any) -> dict[str, int]:
        brand_id = _brand(session, brand_slug)
        count = deliveries.replay(session, brand_id, delivery_ids, subscription_id, status)
        return {"replayed": count}

    emit(run_db(work), as_json, lambda r: f"{r['replayed']} deliveries will be sent again")


@click.group("webhooks")
@database_options
def webhooks() -> None:
    """The webhook sender."""


@webhooks.command("run")
@click.option(
    "--stop-with-parent",
    is_flag=True,
    hidden=True,
    help="Also stop when the process that started this one ends, and leave Ctrl-C to it "
    "(the sender `clopos serve` starts: it stops with the server, even one killed).",
)
@click.option(
    "--nice",
    type=click.IntRange(0, 19),
    default=0,
    hidden=True,
    help="Run at this lower scheduling priority (os.nice).",
)
def webhooks_run(stop_with_parent: bool, nice: int) -> None:
    """Make and send webhook events until stopped (SIGTERM or Ctrl-C). One sender runs at
    a time among this and every server (a lease in the database); set
    CLOPOS_WEBHOOKS=false on the servers to leave the sending to this process."""
    from clopos.core.sealing import Seal
    from clopos.server import collector, logs
    from clopos.server.bootstrap import initialise
    from clopos.server.settings import Settings
    from clopos.server.webhook_sender import WebhookSender
    from clopos.store.changes import ChangeFeed

    if nice:
        os.nice(nice)

    async def main() -> None:
        settings = Settings()
        logs.configure(settings.log_format)
        db = settings.open_database()
        await initialise(settings, db, seed=False)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        parent = os.getppid() if stop_with_parent else None
        if parent is not None:
            # Ctrl-C reaches the whole process group: the parent stops this one itself.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        else:
            loop.add_signal_handler(signal.SIGINT, stop.set)
        sender = WebhookSender(db, Seal(settings.hashing_key), settings.webhook_sender())
        # SQLite: a write by any process wakes the sender at once, the feed's look costing
        # no statement (store/changes.py). PostgreSQL has no such signal: a feed would read
        # every change row once a second (5 % of the sender's CPU under load, and the
        # database's work besides) to learn what the sender's own read of the log, every
        # `poll` seconds, learns as soon.
        feed = ChangeFeed(db) if db.is_sqlite else None
        if feed is not None:
            await feed.start()
            feed.subscribers.append(sender.changed)
        await sender.start()
        # As in a serving worker: what start-up built is kept out of the collector's walks
        # (under load the collector was a tenth of this process's CPU).
        collector.settle()
        running = f"webhook sender {sender.holder} running"
        if settings.log_format == "json":  # every line of the output a JSON object
            logging.getLogger("clopos.webhooks").info(running)
        else:
            click.echo(running, err=True)
        try:
            while not stop.is_set():
                if parent is not None and os.getppid() != parent:
                    break  # the parent ended, killed outright: it stopped nothing
                if feed is not None:
                    await feed.poll()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.05 if feed is not None else 1.0):
                        await stop.wait()
        finally:
            await sender.stop()
            if feed is not None:
                await feed.close()
            await db.dispose()

    try:
        import uvloop
    except ImportError:  # installed with the server; the standard loop does the same, slower
        asyncio.run(main())
    else:
        # As granian runs the workers: the loop's own work is a part of each delivery's.
        uvloop.run(main())
