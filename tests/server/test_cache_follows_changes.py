"""The response cache follows the change log: a write evicts exactly the answers made from
what it changed, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from tests.support import LiveServer, settings_from_env

PRODUCTS = "/open-api/v2/products"
CUSTOMERS = "/open-api/v2/customers"
STOP_LIST = "/open-api/v2/products/stop-list"


def _runs(live: LiveServer, headers: dict[str, str], path: str, times: int = 2) -> int:
    """GET `path` `times` times: how many of them ran the endpoint (were not cached)."""
    with live.handler_runs(path) as runs:
        for _ in range(times):
            assert live.http.get(path, headers=headers).status_code == 200
    return len(runs)


def test_answers_are_cached_on_every_backend(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    headers = live.v2_headers()
    assert _runs(live, headers, "/open-api/v2/venues", 3) == 1
    assert _runs(live, headers, PRODUCTS, 3) == 1


def test_a_new_customer_leaves_the_cached_menu_in_place(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    headers = live.v2_headers()
    assert _runs(live, headers, PRODUCTS) == 1
    before = live.http.get(CUSTOMERS, headers=headers).json()["total"]
    created = live.http.post(CUSTOMERS, json={"name": "Ada"}, headers=headers)
    assert created.status_code == 200, created.text
    assert _runs(live, headers, PRODUCTS) == 0  # still cached: customers are not the menu
    assert live.http.get(CUSTOMERS, headers=headers).json()["total"] == before + 1


def test_a_change_to_what_an_answer_read_evicts_it(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    headers = live.v2_headers()
    assert _runs(live, headers, STOP_LIST) == 1
    live.admin("stop-list", "set", "--brand", "openapitest", "1", "--limit", "0")
    with live.handler_runs(STOP_LIST) as runs:
        entries = live.http.get(STOP_LIST, headers=headers).json()["data"]
    assert len(runs) == 1
    assert [(entry["id"], entry["limit"]) for entry in entries] == [(1, 0)]


def test_a_change_in_another_brand_leaves_this_brands_answers(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    headers = live.v2_headers()
    live.admin("brand", "create", "other", "--mode", "test")
    assert _runs(live, headers, CUSTOMERS) == 1
    credential = live.admin_json("client", "create", "--brand", "other")
    other = live.v2_headers(
        client_id=credential["client_id"], client_secret=credential["client_secret"], brand="other"
    )
    response = live.http.post(CUSTOMERS, json={"name": "Other brand's"}, headers=other)
    assert response.status_code == 200, response.text
    assert _runs(live, headers, CUSTOMERS) == 0


def _rename_first_product(live: LiveServer, name: str) -> int:
    """Rename the sandbox's first product through a unit of work of its own, as another
    process (the CLI, a second worker) would; answers the product's id."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from clopos.core.access.table import Brand
    from clopos.core.products.table import Product

    def rename(session: Session) -> int:
        brand_id = session.scalar(select(Brand.id).where(Brand.slug == "openapitest"))
        product = session.scalars(
            select(Product)
            .where(Product.brand_id == brand_id, Product.parent_id.is_(None))
            .order_by(Product.position, Product.id)
        ).first()
        assert product is not None
        product.name = name
        return product.id

    async def run() -> int:
        db = settings_from_env(live.env).open_database()
        try:
            return await db.write(rename)
        finally:
            await db.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_rendered_rows_follow_changes_made_elsewhere(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server(response_cache_entries=0)  # only the rendered rows are kept
    headers = live.v2_headers()
    first = live.http.get(PRODUCTS, headers=headers).json()["data"][0]
    assert live.http.get(PRODUCTS, headers=headers).json()["data"][0] == first
    product_id = _rename_first_product(live, "Renamed elsewhere")
    assert product_id == first["id"]
    renamed = live.http.get(PRODUCTS, headers=headers).json()["data"][0]
    assert renamed["name"] == "Renamed elsewhere"
    assert renamed["slug"] == "renamed-elsewhere"
    by_id = live.http.get(f"{PRODUCTS}/{product_id}", headers=headers).json()["data"]
    assert by_id["name"] == "Renamed elsewhere"


def test_a_renamed_venue_shows_in_the_products_at_once(
    make_server: Callable[..., LiveServer],
) -> None:
    """A product's `venues[]` names its venues from the venues' renders: a change to a
    venue drops them, and the cached answers made from them."""
    from sqlalchemy.orm import Session

    from clopos.core.venues.table import Venue

    live = make_server()
    headers = live.v2_headers()

    def names(limit: int) -> set[str]:
        products = live.http.get(PRODUCTS, headers=headers, params={"limit": limit}).json()
        return {o["name"] for p in products["data"] for o in p["venues"]}

    assert names(100) == {"Main"}  # the venues read, and kept as renders
    assert names(99) == {"Main"}  # an answer made from those renders, cached
    assert names(99) == {"Main"}

    def rename(session: Session) -> None:
        venue = session.get(Venue, (1, 1))
        assert venue is not None
        venue.name = "Harbour"

    portal = live._portal
    assert portal is not None
    portal.call(live.app.state.db.write, rename)
    assert names(100) == names(99) == {"Harbour"}
