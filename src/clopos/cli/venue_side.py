"""`clopos admin order`, `clopos admin receipt` and `clopos admin venue order-mode`: the
sandbox venue's side of orders, played by the operator (what a POS terminal would do)."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.orm import Session

from clopos.cli.context import emit, json_option, run_db, table
from clopos.core.orders.statuses import ORDER_MODES
from clopos.core.orders.statuses import STATUSES as ORDER_STATUSES
from clopos.core.receipts.kitchen import KITCHEN_STATUSES

brand_option = click.option("--brand", "brand_slug", required=True, help="The brand's slug.")


def _order_row(order: dict[str, Any]) -> dict[str, Any]:
    meta = order["payload"].get("meta", {})
    return {
        "id": order["id"],
        "status": order["status"],
        "venue": order["venue_id"],
        "total": meta.get("orderTotal"),
        "receipt": order["receipt_id"],
        "created_at": order["created_at"],
    }


def _order_line(order: dict[str, Any]) -> str:
    line = f"order {order['id']}: {order['status']}"
    if order.get("receipt_id"):
        line += f", receipt {order['receipt_id']}"
    return line


@click.group("order")
def order_group() -> None:
    """Orders integrators sent: list them, accept or ignore them as the venue."""


@order_group.command("list")
@brand_option
@click.option("--status", type=click.Choice(ORDER_STATUSES, case_sensitive=False))
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100))
@json_option
def order_list(brand_slug: str, status: str | None, limit: int, as_json: bool) -> None:
    """List the brand's orders, newest first."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.orders import read as orders

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        params = [("limit", str(limit))] + ([("status", status.upper())] if status else [])
        query = orders.SPEC.parse(params)
        return orders.list_orders(session, brand_id_of(session, brand_slug), query).rows

    rows = run_db(work)
    columns = ["id", "status", "venue", "total", "receipt", "created_at"]
    emit(rows, as_json, lambda items: table([_order_row(o) for o in items], columns))


@order_group.command("accept")
@click.argument("order_id", type=click.IntRange(min=1))
@brand_option
@json_option
def order_accept(order_id: int, brand_slug: str, as_json: bool) -> None:
    """Accept a PENDING order: it becomes RECEIVED and gets an open receipt."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.orders import life as orders

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return orders.accept_order(session, brand_id_of(session, brand_slug), order_id)

    emit(run_db(work), as_json, _order_line)


@order_group.command("ignore")
@click.argument("order_id", type=click.IntRange(min=1))
@brand_option
@json_option
def order_ignore(order_id: int, brand_slug: str, as_json: bool) -> None:
    """Decline a PENDING order (IGNORE)."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.orders import life as orders

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return orders.ignore_order(session, brand_id_of(session, brand_slug), order_id)

    emit(run_db(work), as_json, _order_line)


@click.group("receipt")
def receipt_group() -> None:
    """Receipts as the venue works them: kitchen status, closing."""


@receipt_group.command("status")
@click.argument("receipt_id", type=click.IntRange(min=1))
@click.argument("status", type=click.Choice(KITCHEN_STATUSES, case_sensitive=False))
@brand_option
@json_option
def receipt_status(receipt_id: int, status: str, brand_slug: str, as_json: bool) -> None:
    """Move a receipt's kitchen status (NEW, IN_PROGRESS, READY, PICKED_UP, ...)."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.receipts import venue_side as receipts

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return receipts.set_order_status(session, brand_id, receipt_id, status.upper())

    emit(run_db(work), as_json, lambda r: f"receipt {r['id']}: {r['order_status']}")


@receipt_group.command("close")
@click.argument("receipt_id", type=click.IntRange(min=1))
@brand_option
@click.option("--payment-method", help="Payment method id or name (default: the venue's first).")
@click.option(
    "--cancelled", is_flag=True, help="Close a cancelled order's receipt: no payment, no stock."
)
@json_option
def receipt_close(
    receipt_id: int, brand_slug: str, payment_method: str | None, cancelled: bool, as_json: bool
) -> None:
    """Close an open receipt, its whole total paid with one payment method (a cancelled
    order's receipt only with --cancelled: it is never paid)."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.receipts import venue_side as receipts

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        if cancelled:
            return receipts.close_cancelled(session, brand_id, receipt_id)
        return receipts.close_at_venue(session, brand_id, receipt_id, payment_method)

    def human(closed: dict[str, Any]) -> str:
        if not closed["payment_methods"]:
            return f"receipt {closed['id']}: closed as cancelled at {closed['closed_at']}"
        paid = ", ".join(f"{p['name']} {p['amount']}" for p in closed["payment_methods"])
        return f"receipt {closed['id']}: closed at {closed['closed_at']} ({paid})"

    emit(run_db(work), as_json, human)


@click.command("order-mode")
@brand_option
@click.option("--venue", "venue_id", required=True, type=click.IntRange(min=1))
@click.argument("mode", type=click.Choice(ORDER_MODES))
@click.argument("seconds", required=False, type=click.IntRange(0, 86400))
@json_option
def order_mode(
    brand_slug: str, venue_id: int, mode: str, seconds: int | None, as_json: bool
) -> None:
    """How the sandbox venue answers new orders: manual (default: you accept or ignore them),
    accept, ignore, or accept-after SECONDS."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.orders import life as orders

    if mode == "accept-after" and seconds is None:
        raise click.UsageError("accept-after needs SECONDS")
    if mode != "accept-after" and seconds is not None:
        raise click.UsageError("SECONDS goes only with accept-after")

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return orders.set_order_mode(session, brand_id, venue_id, mode, seconds)

    def human(result: dict[str, Any]) -> str:
        after = result["accept_after_seconds"]
        suffix = f" {after}s" if result["mode"] == "accept-after" else ""
        return f"venue {result['venue_id']}: order mode {result['mode']}{suffix}"

    emit(run_db(work), as_json, human)


@click.group("demo")
def demo_group() -> None:
    """Demo data for the sandbox."""


@demo_group.command("orders")
@brand_option
@click.option("--count", default=80, show_default=True, type=click.IntRange(1, 5000))
@click.option("--venue", "venue_id", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--hours", default=12, show_default=True, type=click.IntRange(1, 24 * 31))
@click.option("--seed", default=1, show_default=True, type=int, help="Same seed, same day.")
@json_option
def demo_orders(
    brand_slug: str, count: int, venue_id: int, hours: int, seed: int, as_json: bool
) -> None:
    """A day of realistic orders over the last HOURS: most accepted, cooked and paid (their
    stock deducted), some ignored or cancelled, the last few still pending."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.orders.demo import demo_orders as make

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return make(session, brand_id, count, venue_id=venue_id, seed=seed, hours=hours)

    emit(
        run_db(work),
        as_json,
        lambda r: (
            f"{r['orders']} orders: {r['closed']} closed, {r['cancelled']} cancelled, "
            f"{r['ignored']} ignored, {r['pending']} pending"
        ),
    )


def register(admin: click.Group) -> None:
    """Add `order`, `receipt`, `demo orders` and `venue order-mode` to `clopos admin`."""
    admin.add_command(order_group)
    admin.add_command(receipt_group)
    admin.add_command(demo_group)
    venue = admin.commands["venue"]
    assert isinstance(venue, click.Group)
    venue.add_command(order_mode)
