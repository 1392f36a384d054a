"""Smoke tests of real `clopos serve` processes: what only a process shows.

Everything else runs the same app in the test process (tests/support.py). These start the
real command on loopback ports and check what an operator relies on: each ASGI server
serves, on SQLite and on PostgreSQL; two workers both serve and each follows the CLI's
changes; flags reach the workers; SIGTERM writes the audit events still held; a restart
keeps tokens; production refuses an unsafe start.

The long-running servers are launched together, once for the module (booting Python
processes is most of their cost, and boots overlap), then each test uses its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from clopos import __version__
from tests.support import SANDBOX, LiveServer, ServerProcess, serve_process, stop_process

VENUES = "/open-api/v2/venues"
STOP_LIST = "/open-api/v2/products/stop-list"

# name -> (flags, settings); "postgres" in settings: on a new PostgreSQL database.
FLEET: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "granian": ((), {}),
    "uvicorn_postgres": (("--server", "uvicorn"), {"postgres": True}),
    "two_workers": (("--workers", "2"), {}),
    # The CLI reads no serve flags: it would seed the sandbox unless told not to.
    "flagged": (("--no-sandbox", "--token-ttl", "7"), {"seed_sandbox": "false"}),
    # An hour between batches of audit events: only a shutdown writes them.
    "holding_audit": ((), {"audit_flush_seconds": 3600}),
}


@pytest.fixture(scope="module")
def fleet(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, ServerProcess]]:
    """The servers this run's tests of this module use, launched together."""
    wanted: set[str] = set()
    for item in request.session.items:
        if item.path == request.path:
            callspec = getattr(item, "callspec", None)
            params = callspec.params.values() if callspec else ()
            named = [*getattr(item, "fixturenames", ()), *params]
            wanted.update(name for name in named if isinstance(name, str) and name in FLEET)
    servers: dict[str, ServerProcess] = {}
    try:
        for name in sorted(wanted):
            flags, settings = FLEET[name]
            settings = dict(settings)
            if settings.pop("postgres", False):
                settings["database_url"] = request.getfixturevalue("postgres").new_database()
            directory = tmp_path_factory.mktemp(name)
            if name == "flagged":  # --data-dir wins over CLOPOS_DATA_DIR
                flags = (*flags, "--data-dir", str(directory / "flagged"))
            servers[name] = ServerProcess(directory, *flags, **settings).launch()
        yield servers
    finally:
        for server in servers.values():
            server.stop()


@pytest.fixture
def granian(fleet: dict[str, ServerProcess]) -> LiveServer:
    return fleet["granian"].ready()


@pytest.fixture
def uvicorn_postgres(fleet: dict[str, ServerProcess]) -> LiveServer:
    return fleet["uvicorn_postgres"].ready()


@pytest.fixture
def two_workers(fleet: dict[str, ServerProcess]) -> LiveServer:
    return fleet["two_workers"].ready()


@pytest.fixture
def flagged(fleet: dict[str, ServerProcess]) -> LiveServer:
    return fleet["flagged"].ready()


@pytest.fixture
def holding_audit(fleet: dict[str, ServerProcess]) -> LiveServer:
    return fleet["holding_audit"].ready()


def _serves_the_api(live: LiveServer) -> None:
    health = live.http.get("/health")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "version": __version__}
    v1 = live.http.get("/open-api/venues", headers=live.v1_headers())
    assert v1.status_code == 200 and v1.json()["data"][0]["id"] == 1
    v2 = live.http.get(VENUES, headers=live.v2_headers())
    assert v2.status_code == 200 and v2.json()["data"][0]["id"] == 1
    assert live.http.get(VENUES).status_code == 401


def test_granian_serves_the_api(granian: LiveServer) -> None:
    _serves_the_api(granian)
    assert "swagger" in granian.http.get("/docs").text.lower()


def test_uvicorn_serves_the_api_on_postgresql(uvicorn_postgres: LiveServer) -> None:
    _serves_the_api(uvicorn_postgres)
    # Nothing in the embedded database: the server and the CLI use PostgreSQL.
    assert not list(uvicorn_postgres.data_dir.glob("clopos.db*"))


@pytest.mark.parametrize("name", ["granian", "uvicorn_postgres"])
def test_a_cli_write_while_serving_shows_on_the_next_request(
    fleet: dict[str, ServerProcess], name: str
) -> None:
    live = fleet[name].ready()
    headers = live.v2_headers()
    assert live.http.get(STOP_LIST, headers=headers).json()["data"] == []
    assert live.http.get(STOP_LIST, headers=headers).json()["data"] == []  # cached now
    live.admin("stop-list", "set", "--brand", "openapitest", "1", "--limit", "0")
    entries = live.http.get(STOP_LIST, headers=headers).json()["data"]
    assert [(e["id"], e["limit"]) for e in entries] == [(1, 0)]
    live.admin("stop-list", "clear", "--brand", "openapitest", "1")
    assert live.http.get(STOP_LIST, headers=headers).json()["data"] == []


def test_audit_events_are_written_while_serving(granian: LiveServer) -> None:
    # Batches every 0.05 s (the tests' setting), with no shutdown to flush them.
    granian.auth_v2(client_id="smoke-marker")
    events = granian.wait_for_audit(
        lambda rows: any(r["client_id"] == "smoke-marker" for r in rows)
    )
    assert any(r["client_id"] == "smoke-marker" for r in events)


def _fresh(live: LiveServer, path: str, headers: dict[str, str]) -> httpx.Response:
    """One request on a new connection (each worker accepts connections on its own)."""
    with httpx.Client(base_url=live.url, headers={"connection": "close"}) as http:
        return http.get(path, headers=headers)


def _by_worker(
    live: LiveServer, headers: dict[str, str], done: Callable[[dict[str, int]], bool]
) -> dict[str, list[httpx.Response]]:
    """Responses on new connections, by the worker that answered (the process prefix of
    its request ids), until `done(count by worker)` or 200 requests."""
    answers: dict[str, list[httpx.Response]] = {}
    for _ in range(200):
        response = _fresh(live, VENUES, headers)
        # A request id is a random prefix per process (12 hex digits), then a counter.
        answers.setdefault(response.headers["x-request-id"][:12], []).append(response)
        if done({worker: len(seen) for worker, seen in answers.items()}):
            break
    return answers


def test_two_workers_each_serve_and_each_honour_a_cli_revocation(
    two_workers: LiveServer,
) -> None:
    live = two_workers
    headers = live.v2_headers()
    # Both workers answer, and each has checked (and remembered) this token.
    before = _by_worker(live, headers, lambda seen: len(seen) == 2 and min(seen.values()) >= 2)
    assert len(before) == 2, f"one worker answered {sum(map(len, before.values()))} requests"
    assert all(r.status_code == 200 for answers in before.values() for r in answers)

    live.admin("client", "revoke", SANDBOX["client_id"])
    after = _by_worker(live, headers, lambda seen: len(seen) == 2)
    assert set(after) == set(before)  # the same two processes
    for answers in after.values():
        for response in answers:
            assert response.status_code == 401
            assert response.json()["error"] == "token_revoked"
    assert live.http.get(VENUES, headers=live.v2_headers()).status_code == 200


def test_serve_flags_reach_the_workers(flagged: LiveServer) -> None:
    data_dir = flagged.data_dir / "flagged"
    assert (data_dir / "clopos.db").exists()  # --data-dir
    assert not list(flagged.data_dir.glob("clopos.db*"))
    assert flagged.auth_v2().json()["error"] == "authentication_failed"  # --no-sandbox
    flagged.env["CLOPOS_DATA_DIR"] = str(data_dir)  # the CLI, on the server's database
    flagged.admin("brand", "create", "flagged", "--mode", "test")
    flagged.admin("integrator", "create", "Test integrator", "--id", "1")
    made = flagged.admin_json("client", "create", "--brand", "flagged")
    answer = flagged.auth_v2(
        client_id=made["client_id"], client_secret=made["client_secret"], brand="flagged"
    ).json()
    assert answer["success"] is True
    assert answer["expires_in"] == 7  # --token-ttl


def test_sigterm_writes_held_audit_events_and_a_restart_keeps_tokens(
    holding_audit: LiveServer,
) -> None:
    live = holding_audit
    token = live.v2_headers()
    assert live.auth_v2(client_secret="wrong").status_code == 400
    assert live.http.get(VENUES, headers={"x-token": "forged"}).status_code == 401
    assert live.admin_json("audit") == []  # all held in memory so far
    assert live.process is not None
    assert stop_process(live.process) == 0
    reasons = [(e["event"], e["outcome"], e["reason"]) for e in live.admin_json("audit")]
    assert sorted(reasons) == [
        ("request", "rejected", "invalid_token"),
        ("token_exchange", "issued", None),
        ("token_exchange", "rejected", "authentication_failed"),
    ]
    # The next start finds its database (and signing key) as the last one left them.
    with serve_process(live.data_dir) as restarted:
        assert restarted.http.get(VENUES, headers=token).status_code == 200


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    env.update(CLOPOS_DATA_DIR=str(tmp_path), CLOPOS_ENVIRONMENT="production")
    result = subprocess.run(
        [sys.executable, "-m", "clopos", "serve", "--port", str(0)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CLOPOS_SECRET_KEY" in result.stdout + result.stderr
    assert not list(tmp_path.glob("clopos.db*"))
