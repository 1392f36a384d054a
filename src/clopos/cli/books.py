"""`clopos admin shift open|close|cash`, `clopos admin customer deposit`, `clopos admin stock
post|publish`, `clopos admin supplier add`, `clopos admin storage add`: the venue's till,
customers' accounts and its stock documents, played by the operator."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.orm import Session

from clopos.cli.context import emit, json_option, run_db
from clopos.cli.venue_side import brand_option

venue_option = click.option(
    "--venue", "venue_id", default=1, show_default=True, type=click.IntRange(min=1)
)


def _shift_line(shift: dict[str, Any]) -> str:
    line = f"cash shift {shift['id']} at venue {shift['venue_id']}: "
    line += "open" if shift["status"] == 1 else f"closed, {shift['closing_amount']:.2f} counted"
    report = shift.get("report")
    if report:
        line += f" (sales {report['sales']:.2f}, expected {report['expected_amount']:.2f})"
    return line


@click.group("shift")
def shift_group() -> None:
    """A venue's cash shift: receipts close into the open one."""


@shift_group.command("open")
@brand_option
@venue_option
@click.option("--amount", default=0.0, show_default=True, type=click.FloatRange(min=0))
@click.option("--by", default=None, help="Who opens it.")
@json_option
def shift_open(
    brand_slug: str, venue_id: int, amount: float, by: str | None, as_json: bool
) -> None:
    """Open the venue's till with AMOUNT counted in the drawer."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.finance import shifts

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return shifts.opened(session, brand_id, venue_id, amount=amount, by=by)

    emit(run_db(work), as_json, _shift_line)


@shift_group.command("close")
@brand_option
@venue_option
@click.option(
    "--amount", default=None, type=click.FloatRange(min=0), help="Counted (default: expected)."
)
@click.option("--by", default=None, help="Who closes it.")
@json_option
def shift_close(
    brand_slug: str, venue_id: int, amount: float | None, by: str | None, as_json: bool
) -> None:
    """Close the venue's open shift; prints its report's figures."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.finance import shifts

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return shifts.closed(session, brand_id, venue_id, amount=amount, by=by)

    emit(run_db(work), as_json, _shift_line)


@shift_group.command("cash")
@brand_option
@venue_option
@click.option("--amount", required=True, type=float, help="> 0 puts cash in, < 0 takes it out.")
@click.option("--description", default=None)
@json_option
def shift_cash(
    brand_slug: str, venue_id: int, amount: float, description: str | None, as_json: bool
) -> None:
    """Put cash in the open shift's drawer or take it out."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.finance import shifts

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        moved = shifts.cash_move(session, brand_id, venue_id, amount, description=description)
        return {"transaction_id": moved}

    emit(run_db(work), as_json, lambda r: f"transaction {r['transaction_id']}")


@click.group("customer")
def customer_group() -> None:
    """Customers' accounts: what they leave with the venue, spent later by paying with a
    method that pays from the customer's balance."""


@customer_group.command("deposit")
@click.argument("customer_id", type=click.IntRange(min=1))
@brand_option
@click.option("--amount", required=True, type=click.FloatRange(min=0, min_open=True))
@click.option(
    "--method", "method_id", required=True, type=click.IntRange(min=1), help="Payment method id."
)
@click.option("--venue", "venue_id", default=None, type=click.IntRange(min=1))
@click.option("--description", default=None)
@json_option
def customer_deposit(
    customer_id: int,
    brand_slug: str,
    amount: float,
    method_id: int,
    venue_id: int | None,
    description: str | None,
    as_json: bool,
) -> None:
    """Put AMOUNT on the customer's account, paid with a payment method (at the customer's
    venue unless --venue)."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.finance import deposits

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return deposits.deposit(
            session,
            brand_id,
            customer_id,
            amount,
            method_id,
            venue_id=venue_id,
            description=description,
        )

    emit(
        run_db(work),
        as_json,
        lambda held: f"customer {held['customer_id']}: balance {held['balance']:.2f}",
    )


def _item(raw: str) -> tuple[int, float, float | None]:
    parts = raw.split(":")
    try:
        if len(parts) == 2:
            return int(parts[0]), float(parts[1]), None
        if len(parts) == 3:
            return int(parts[0]), float(parts[1]), float(parts[2])
    except ValueError:
        pass
    raise click.BadParameter(f"{raw!r}: PRODUCT_ID:QUANTITY[:UNIT_COST]", param_hint="--item")


@click.group("stock")
def stock_group() -> None:
    """Inventory documents: supplies, transfers, waste, production, counts, initial stock."""


@stock_group.command("post")
@brand_option
@click.option(
    "--type",
    "kind",
    required=True,
    type=click.Choice(
        [
            "IN",
            "TRANSFER",
            "WASTE",
            "RETURN",
            "MAKE",
            "INVENTORY_CHECK",
            "SUPPLY_RETURN",
            "INITIAL_STOCK",
        ],
        case_sensitive=False,
    ),
)
@click.option("--storage", "storage_id", required=True, type=click.IntRange(min=1))
@click.option("--to-storage", "to_storage_id", default=None, type=click.IntRange(min=1))
@click.option("--supplier", "supplier_id", default=None, type=click.IntRange(min=1))
@click.option("--paid", default=0.0, type=click.FloatRange(min=0), help="Paid at once.")
@click.option("--balance", "balance_id", default=None, type=click.IntRange(min=1))
@click.option("--item", "items", multiple=True, required=True, help="PRODUCT_ID:QTY[:COST]")
@click.option("--description", default=None)
@click.option("--draft", is_flag=True, help="Keep it a draft: no stock moves yet.")
@json_option
def stock_post(
    brand_slug: str,
    kind: str,
    storage_id: int,
    to_storage_id: int | None,
    supplier_id: int | None,
    paid: float,
    balance_id: int | None,
    items: tuple[str, ...],
    description: str | None,
    draft: bool,
    as_json: bool,
) -> None:
    """Post an inventory document (published: it moves stock now)."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.inventory import documents, kinds

    number = {name: n for n, name in kinds.TYPES.items()}[kind.upper()]
    parsed = [documents.ItemDraft(*_item(raw)) for raw in items]
    document = documents.DocumentDraft(
        type=number,
        storage_id=storage_id,
        items=parsed,
        to_storage_id=to_storage_id,
        supplier_id=supplier_id,
        balance_id=balance_id,
        paid=paid,
        description=description,
        status=kinds.DRAFT if draft else kinds.PUBLISHED,
        by="operator",
    )

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return documents.posted(session, brand_id_of(session, brand_slug), document)

    emit(
        run_db(work),
        as_json,
        lambda o: (
            f"operation {o['id']}: {o['type_name']}, {o['total']:.2f}"
            + (" (draft)" if o["status"] == kinds.DRAFT else "")
        ),
    )


@stock_group.command("publish")
@click.argument("operation_id", type=click.IntRange(min=1))
@brand_option
@json_option
def stock_publish(operation_id: int, brand_slug: str, as_json: bool) -> None:
    """Publish a draft document: it moves stock now."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.inventory import documents

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return documents.published(session, brand_id_of(session, brand_slug), operation_id)

    emit(run_db(work), as_json, lambda o: f"operation {o['id']}: published")


@click.group("supplier")
def supplier_group() -> None:
    """Suppliers of stock."""


@supplier_group.command("add")
@click.argument("name")
@brand_option
@click.option("--phone", default=None)
@click.option("--email", default=None)
@json_option
def supplier_add(
    name: str, brand_slug: str, phone: str | None, email: str | None, as_json: bool
) -> None:
    """Add a supplier (and its account)."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.inventory import documents

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return documents.supplier_added(session, brand_id, name, phone=phone, email=email)

    emit(run_db(work), as_json, lambda s: f"supplier {s['id']}: {s['name']}")


@click.group("storage")
def storage_group() -> None:
    """Storages: where a venue keeps stock."""


@storage_group.command("add")
@click.argument("name")
@brand_option
@click.option("--venue", "venue_id", default=None, type=click.IntRange(min=1))
@json_option
def storage_add(name: str, brand_slug: str, venue_id: int | None, as_json: bool) -> None:
    """Add a storage at a venue."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.inventory import documents

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return documents.storage_added(session, brand_id, name, venue_id)

    emit(run_db(work), as_json, lambda s: f"storage {s['id']}: {s['name']}")


def register(admin: click.Group) -> None:
    """Add `shift`, `customer`, `stock`, `supplier` and `storage` to `clopos admin`."""
    for group in (shift_group, customer_group, stock_group, supplier_group, storage_group):
        admin.add_command(group)
