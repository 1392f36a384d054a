"""Make the release 0.1.0 database dumps that tests/store/test_release_upgrade.py starts from.

Run once, against release 0.1.0 (commit 676d03f), never against later code:

    git archive 676d03f | (mkdir -p /tmp/release && tar -x -C /tmp/release)
    PYTHONPATH=/tmp/release/src:. .venv/bin/python -m tests.store.data.make_release_dumps

It starts that release's `clopos serve` on SQLite and on PostgreSQL (its `create_all`, the
seeded sandbox and demo catalogue), creates customers through the API, provokes an audit
event, stops the server and dumps each database here. The secret key is fixed
(RELEASE_SECRET_KEY) so that the sandbox credentials keep working on the migrated copies.
"""

from __future__ import annotations

import sqlite3
import subprocess
import tempfile
from pathlib import Path

import httpx

import clopos
from tests.store.process import serve, server_env
from tests.support import SANDBOX, Postgres

HERE = Path(__file__).resolve().parent
RELEASE_SECRET_KEY = "release-0.1.0-fixture-key-not-secret"
CUSTOMERS = [
    {"name": "Aysel Məmmədova", "phone": "+994501110001", "email": "aysel@example.com"},
    {"name": "Leyla Hüseynova", "phone": "+994501110002", "description": "Prefers oat milk"},
    {"name": "Murad Əliyev", "phone": "+994501110003", "code": "CARD-0003"},
]


def populate(env: dict[str, str], log: Path) -> None:
    with serve(env, log) as server:
        headers = {"x-token": server.token()}
        for customer in CUSTOMERS:
            answer = httpx.post(
                f"{server.url}/open-api/v2/customers", json=customer, headers=headers, timeout=10
            )
            assert answer.status_code == 200, answer.text
        wrong = {**{k: SANDBOX[k] for k in ("client_id", "brand", "integrator_id")}}
        wrong["client_secret"] = "not-the-secret"
        httpx.post(f"{server.url}/open-api/v2/auth", json=wrong, timeout=10)


def main() -> None:
    print(f"making the dumps with clopos from {Path(clopos.__file__).parent}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sqlite"
        populate(server_env(data, secret_key=RELEASE_SECRET_KEY), Path(tmp) / "sqlite.log")
        connection = sqlite3.connect(data / "clopos.db")
        (HERE / "release-0.1.0.sqlite.sql").write_text("\n".join(connection.iterdump()) + "\n")
        connection.close()

        with Postgres.start() as cluster:
            url = cluster.new_database()
            env = server_env(Path(tmp) / "pg", secret_key=RELEASE_SECRET_KEY, database_url=url)
            populate(env, Path(tmp) / "pg.log")
            binaries = Postgres.binaries()
            assert binaries is not None
            dump = subprocess.run(
                [
                    str(binaries / "pg_dump"),
                    "--no-owner",
                    "--no-privileges",
                    "-d",
                    url.replace("postgresql+asyncpg", "postgresql"),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            (HERE / "release-0.1.0.postgres.sql").write_text(dump)


if __name__ == "__main__":
    main()
