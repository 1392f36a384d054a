"""Fixtures for the client's live tests: configuration for the real server, a fault proxy."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.client.faults import FaultProxy
from tests.support import SANDBOX, Backend, LiveServer, serve_in_process


def sandbox(url: str, **overrides: Any) -> dict[str, Any]:
    """Client arguments for the seeded sandbox at `url`."""
    return {
        "base_url": url,
        "client_id": SANDBOX["client_id"],
        "client_secret": SANDBOX["client_secret"],
        "brand": SANDBOX["brand"],
        "integrator_id": SANDBOX["integrator_id"],
        "venue_id": SANDBOX["venue_id"],
        **overrides,
    }


def exchanges(live: LiveServer, client_id: str = SANDBOX["client_id"]) -> list[dict[str, Any]]:
    """Every token exchange the server has audited for `client_id`, once the trail is complete.

    The trail is written in batches, so first make a marker exchange (an unknown client id)
    and wait until it is visible: everything before it is then visible too.
    """
    marker = f"marker-{uuid.uuid4().hex[:12]}"
    live.auth_v2(client_id=marker)
    events = live.wait_for_audit(lambda evs: any(e["client_id"] == marker for e in evs))
    assert any(e["client_id"] == marker for e in events), "audit trail never caught up"
    return [e for e in events if e["event"] == "token_exchange" and e["client_id"] == client_id]


def issued(live: LiveServer, client_id: str = SANDBOX["client_id"]) -> int:
    return sum(1 for e in exchanges(live, client_id) if e["outcome"] == "issued")


@pytest.fixture(scope="session")
def backend(sqlite_backend: Backend) -> Backend:
    """The client's behaviour does not depend on the server's database: SQLite only here
    (the run's SQLite templates, made once for every test)."""
    return sqlite_backend


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    """The client tests' own shared server, on SQLite. (The suite's `server` is cached per
    backend parameter: without this, these tests got whichever backend's ran last.)"""
    with serve_in_process(tmp_path_factory.mktemp("client-server"), backend) as live:
        yield live


@pytest.fixture
def proxy(server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(server.url).running() as running:
        yield running
