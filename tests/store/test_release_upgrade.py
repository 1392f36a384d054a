"""Upgrading from release 0.1.0 as an operator would, with real processes: the release's
database (data/release-0.1.0.*.sql, made by that release's server) is served by this
version, and what the release stored is still there through the API."""

from __future__ import annotations

from pathlib import Path

import httpx

from clopos.store import schema
from tests.store import dbutil, process
from tests.store.data.make_release_dumps import CUSTOMERS, RELEASE_SECRET_KEY


def test_this_version_serves_a_release_database(
    backend_name: str, database_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    dbutil.load_release_dump(
        f"sqlite+aiosqlite:///{data / 'clopos.db'}" if backend_name == "sqlite" else database_url
    )
    settings = {"secret_key": RELEASE_SECRET_KEY}
    if backend_name == "postgres":
        settings["database_url"] = database_url
    env = process.server_env(data, **settings)
    behind = schema._head(schema.script_directory()) != schema.BASELINE

    if backend_name == "postgres" and behind:
        # PostgreSQL is not upgraded at start: the operator runs `clopos db upgrade`.
        refused = process.run(env, "serve", "--port", str(process.free_port()))
        assert refused.returncode == 4, refused.stdout + refused.stderr
        assert "clopos db upgrade" in refused.stderr
        upgraded = process.run(env, "db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr
        assert upgraded.stdout.startswith("upgraded: was schema of release 0.1.0")

    with process.serve(env, tmp_path / "server.log") as server:
        # The sandbox client of the release authenticates: its secret hash and key survived.
        headers = {"x-token": server.token()}
        answer = httpx.get(
            f"{server.url}/open-api/v2/customers", params={"limit": 200}, headers=headers
        )
        assert answer.status_code == 200, answer.text
        stored = {row["phone"]: row for row in answer.json()["data"]}
        for customer in CUSTOMERS:
            assert {k: stored[customer["phone"]][k] for k in customer} == customer
        products = httpx.get(f"{server.url}/open-api/v2/products", headers=headers)
        assert products.status_code == 200 and products.json()["total"] > 10, products.text
    checked = process.run(env, "db", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
