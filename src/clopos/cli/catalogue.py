"""`clopos admin import` and `clopos admin stop-list`: the catalogue's operator commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from clopos.cli.context import ID, emit, int64, json_option, run_db, table


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--brand", "brand_slug", help="Brand to import into (default: the file's `brand`).")
@json_option
def import_command(file: Path, brand_slug: str | None, as_json: bool) -> None:
    """Import a catalogue (YAML or JSON; see docs/import.md) in one transaction.

    On any error nothing is written and the message names the offending entry.
    """
    from clopos.core.access.brands import brand_id_of
    from clopos.core.catalogue_import.importer import (
        import_catalogue,
        load_document,
        parse_document,
    )
    from clopos.core.errors import Invalid

    def work(session: Session, settings: Any) -> dict[str, Any]:
        document = parse_document(load_document(file))
        slug = brand_slug or document.brand
        if not slug:
            raise Invalid("no brand: pass --brand or set `brand:` in the file")
        created = import_catalogue(session, brand_id_of(session, slug), document)
        return {"brand": slug, "created": created}

    def human(result: dict[str, Any]) -> str:
        rows = [{"kind": kind, "created": count} for kind, count in result["created"].items()]
        return f"imported into {result['brand']}:\n{table(rows, ['kind', 'created'])}"

    emit(run_db(work), as_json, human)


@click.group("stop-list")
def stop_list_group() -> None:
    """The stop list: products with limited (0 = no) stock left."""


def _show(entries: list[dict[str, Any]]) -> str:
    return table(entries, ["id", "limit", "timestamp"])


VENUE = click.option(
    "--venue", "venue_id", type=ID, default=None, help="Venue id (default: the brand's first)."
)


@stop_list_group.command("set")
@click.option("--brand", "brand_slug", required=True)
@VENUE
@click.argument("product_id", type=ID)
@click.option("--limit", type=int64(0), required=True, help="Units left (0: none).")
@json_option
def stop_list_set(
    brand_slug: str, venue_id: int | None, product_id: int, limit: int, as_json: bool
) -> None:
    """Put a product on the stop list, or change its limit."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.stop_list import service as stop_list

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return stop_list.set_limit(session, brand_id, product_id, limit, venue_id)

    emit(run_db(work), as_json, lambda e: f"product {e['id']}: limit {e['limit']}")


@stop_list_group.command("clear")
@click.option("--brand", "brand_slug", required=True)
@VENUE
@click.argument("product_id", type=ID, required=False)
@json_option
def stop_list_clear(
    brand_slug: str, venue_id: int | None, product_id: int | None, as_json: bool
) -> None:
    """Take a product (or, without PRODUCT_ID, every product) off the stop list."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.stop_list import service as stop_list

    def work(session: Session, settings: Any) -> dict[str, Any]:
        brand_id = brand_id_of(session, brand_slug)
        return {"removed": stop_list.clear(session, brand_id, product_id, venue_id)}

    emit(
        run_db(work),
        as_json,
        lambda r: f"removed {r['removed']} entr{'y' if r['removed'] == 1 else 'ies'}",
    )


@stop_list_group.command("show")
@click.option("--brand", "brand_slug", required=True)
@VENUE
@json_option
def stop_list_show(brand_slug: str, venue_id: int | None, as_json: bool) -> None:
    """List the stop list (timestamps are Unix milliseconds)."""
    from clopos.core.access.brands import brand_id_of
    from clopos.core.stop_list import service as stop_list

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        return stop_list.all_entries(session, brand_id_of(session, brand_slug), venue_id)

    emit(run_db(work), as_json, _show)


def register(admin: click.Group) -> None:
    """Add `import` and `stop-list` to `clopos admin`."""
    admin.add_command(import_command)
    admin.add_command(stop_list_group)
