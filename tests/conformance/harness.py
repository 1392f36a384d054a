"""The app in-process on a database of its own: requests through `httpx.ASGITransport`
inside the app's lifespan. The database is a copy of the run's initialised one (what
`clopos serve` does first: schema, seeded sandbox; tests/support.py's `Backend`).

The app's event loop runs in a thread of its own (an anyio blocking portal), so the tests
stay synchronous and the operator CLI (which runs its own event loop) can be used as is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from click.testing import CliRunner
from fastapi import FastAPI

from clopos.server.app import create_app
from clopos.server.settings import Settings
from tests.support import Backend

SANDBOX = {
    "client_id": "6553676e0d265ac837e8f79fc",
    "client_secret": "seCyF_4vja6yddQxE2PlerET0Uhy8ASbJ36hO68PD3JM=",
    "brand": "openapitest",
    "venue_id": "1",
    "integrator_id": "1",
}
ADMIN_TOKEN = "conformance-operator"
# One client IP sends every request of the run: no tier may get in the way.
LIMITS = {
    "auth_per_minute": 1_000_000,
    "failed_per_minute": 1_000_000,
    "tenant_per_minute": 1_000_000,
    "v1_per_minute": 1_000_000,
    "v1_per_hour": 10_000_000,
    "lockout_attempts": 1_000_000,
}
OTHER_CATALOGUE = """
brand: other
taxes: [{name: Other VAT, rate: 18, type_id: 1, type_name: VAT}]
stations: [{name: Grill}]
categories: [{name: Burgers}, {name: Sides, parent: Burgers}]
products:
  - {id: 1, name: Other burger, type: DISH, category: Burgers, station: Grill, price: 9}
  - {id: 2, name: Other bun, type: INGREDIENT, category: Burgers, cost_price: 0.5}
customer_groups: [{name: Regulars}]
customers: [{name: Other customer, phone: "+994705401040", group: Regulars}]
users: [{username: other-owner, owner: 1}]
payment_methods: [{name: Cash, status: {"1": 1}}]
sale_types: [{name: Pickup, system_type: TAKEAWAY, status: {"1": 1}}]
"""


@dataclass
class InProcess:
    """The running app and a client for it; `request` is synchronous."""

    app: FastAPI
    portal: BlockingPortal
    client: httpx.AsyncClient
    env: dict[str, str]
    other: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self.portal.call(
            partial(self.client.request, method, path, **kwargs)
        )
        return response

    def admin(self, *args: str) -> str:
        """`clopos admin ARGS` on this app's database (its own event loop, in this thread)."""
        from clopos.cli import main

        result = CliRunner().invoke(main, ["admin", *args], env=self.env, catch_exceptions=False)
        assert result.exit_code == 0, f"clopos admin {' '.join(args)}: {result.output}"
        return result.output

    def v1_headers(self, **body: str) -> dict[str, str]:
        sent = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "venue_id")}
        sent.update(body)
        answer = self.request("POST", "/open-api/auth", json=sent)
        assert answer.status_code == 200, answer.text
        return {"x-token": answer.json()["token"], "x-brand": sent["brand"], "x-venue": "1"}

    def v2_headers(self, **body: str) -> dict[str, str]:
        sent = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "integrator_id")}
        sent.update(body)
        answer = self.request("POST", "/open-api/v2/auth", json=sent)
        assert answer.status_code == 200 and answer.json()["success"], answer.text
        return {"x-token": answer.json()["token"]}


@contextmanager
def in_process(
    data_dir: Path, backend: Backend, settings: Mapping[str, Any] | None = None
) -> Iterator[InProcess]:
    """The app with `settings`, on a copy of the database `backend` initialised for them."""
    values = {**LIMITS, "admin_token": ADMIN_TOKEN, **(settings or {})}
    values.update(backend.database(data_dir, values), data_dir=data_dir)
    env = {f"CLOPOS_{key.upper()}": str(value) for key, value in values.items()}
    configured = Settings(**values)
    with start_blocking_portal() as portal:
        app = create_app(configured)
        with portal.wrap_async_context_manager(app.router.lifespan_context(app)):
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://conformance.test"
            )
            try:
                yield InProcess(app, portal, client, env)
            finally:
                portal.call(client.aclose)
