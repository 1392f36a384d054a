"""Hostile inputs on every write route and both token exchanges: never a server error, and
the database exactly as it was (issue 11)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clopos.core import tables
from clopos.server.app import create_app
from clopos.server.settings import Settings
from clopos.store.base import Base
from tests.support import LiveServer, settings_from_env

# Bookkeeping that a refused request still writes: the audit trail of refusals.
_UNCOUNTED = {"audit_events"}

_DEEP = b'{"a":' * 1200 + b"1" + b"}" * 1200
HOSTILE_BODIES: list[bytes] = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"text"',
    b"1e999",
    b'{"name": 1e999}',
    _DEEP,
    b'[{"name": "x"}]',
    b'{"name": "\\ud800"}',
    b'{"name": {"$gt": ""}, "phone": ["+994"], "products": "all"}',
    b'{"customer_id": 99999999999999999999999, "venue_id": -1, "sale_type_id": 1.5}',
    b'{"products": [{"product_id": "1 OR 1=1", "count": -3}], "payload": 7}',
    b'{"status": "IGNORE\\u0000", "order_status": ["READY"], "payments": {"id": 1}}',
    b'{"client_id": {"a": 1}, "client_secret": [1], "brand": null, "venue_id": "1; --"}',
    orjson.dumps({"name": "x" * 100_000, "phone": "9" * 500}),
]
HOSTILE_IDS = ["0", "-1", "99999999999999999999", "1%20OR%201=1", "..", "%F0%9F%8D%95"]


def _write_routes() -> list[tuple[str, str]]:
    routes = []
    for context in iter_route_contexts(create_app(Settings()).routes):
        if not isinstance(context.original_route, APIRoute) or not context.path:
            continue
        if not context.path.startswith("/open-api/"):
            continue
        for method in sorted(context.methods or ()):
            if method in {"POST", "PUT", "PATCH", "DELETE"}:
                routes.append((method, context.path))
    return routes


def _counts(session: Session) -> dict[str, int]:
    assert tables.__all__  # every table module is registered
    return {
        name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for name, table in sorted(Base.metadata.tables.items())
        if name not in _UNCOUNTED
    }


def _database(live: LiveServer) -> dict[str, int]:
    """Rows per table, read as another process would (the CLI's way to the database)."""

    async def count() -> dict[str, int]:
        db = settings_from_env(live.env).open_database()
        try:
            return await db.read(_counts)
        finally:
            await db.dispose()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, count()).result()


def test_hostile_writes_are_refused_and_change_nothing(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    v1, v2 = live.v1_headers(), live.v2_headers()
    before = _database(live)
    routes = _write_routes()
    assert len(routes) >= 10, routes
    answers: list[tuple[str, int]] = []
    for method, template in routes:
        headers: dict[str, Any] = dict(v2 if template.startswith("/open-api/v2/") else v1)
        headers["content-type"] = "application/json"
        for raw_id in HOSTILE_IDS if "{" in template else ["-"]:
            path = _fill(template, raw_id)
            for body in HOSTILE_BODIES:
                response = live.http.request(method, path, content=body, headers=headers)
                answers.append((f"{method} {path} {body[:30]!r}", response.status_code))
    server_errors = [answer for answer in answers if answer[1] >= 500]
    assert not server_errors, server_errors[:10]
    assert all(400 <= status < 500 for _, status in answers), [
        answer for answer in answers if not 400 <= answer[1] < 500
    ][:10]
    assert _database(live) == before


def _fill(template: str, raw_id: str) -> str:
    path = template
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + raw_id + path[end + 1 :]
    return path


def test_hostile_token_exchanges_are_refused_and_change_nothing(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    before = _database(live)
    for path in ("/open-api/auth", "/open-api/v2/auth"):
        for body in HOSTILE_BODIES:
            response = live.http.post(
                path, content=body, headers={"content-type": "application/json"}
            )
            assert 400 <= response.status_code < 500 or (
                response.status_code == 200 and response.json()["success"] is False
            ), (path, body[:40], response.status_code, response.text[:200])
    assert _database(live) == before
