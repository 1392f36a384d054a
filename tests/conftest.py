"""Fixtures: the real app in this process, each server with its own database."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.support import (
    BACKENDS,
    Backend,
    LiveServer,
    Postgres,
    RedisServer,
    running_redis,
    serve_in_process,
)


@pytest.fixture(scope="session")
def postgres_installed() -> bool:
    """Whether the run has PostgreSQL's half. Where PostgreSQL is not installed, that half
    is skipped, unless CLOPOS_REQUIRE_POSTGRES is set (CI sets it, so a broken setup fails
    instead of skipping)."""
    if Postgres.binaries() is not None:
        return True
    if os.environ.get("CLOPOS_REQUIRE_POSTGRES"):
        pytest.fail("CLOPOS_REQUIRE_POSTGRES is set but PostgreSQL is not installed")
    return False


@pytest.fixture(scope="session")
def postgres(postgres_installed: bool) -> Iterator[Postgres]:
    """A PostgreSQL cluster for the run (see `postgres_installed`)."""
    if not postgres_installed:
        pytest.skip("PostgreSQL is not installed")
    with Postgres.start() as cluster:
        yield cluster


def require_redis() -> None:
    """Skip where Redis is not installed, unless CLOPOS_REQUIRE_REDIS is set (CI sets it)."""
    if RedisServer.binary() is None:
        if os.environ.get("CLOPOS_REQUIRE_REDIS"):
            pytest.fail("CLOPOS_REQUIRE_REDIS is set but redis-server is not installed")
        pytest.skip("redis-server is not installed")


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of the test's own on a loopback port (it may stop and start it)."""
    require_redis()
    with running_redis(tmp_path / "redis") as redis:
        yield redis


@pytest.fixture(scope="session")
def postgres_backend(
    postgres: Postgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """Initialised PostgreSQL databases for servers (see `backend`)."""
    databases = Backend("postgres", tmp_path_factory.mktemp("templates-postgres"), postgres)
    yield databases
    databases.close()


def _starts_a_postgres_server(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return (
        callspec is not None
        and callspec.params.get("backend") == "postgres"
        and "make_server" in getattr(item, "fixturenames", ())
    )


@pytest.fixture(scope="session", autouse=True)
def _postgres_copies_ahead(request: pytest.FixtureRequest) -> None:
    """At the start of a run, start copying the PostgreSQL databases its dedicated servers
    will need: PostgreSQL copies them in its own processes while the SQLite half of the run
    goes on (each session-scoped backend runs its tests together), instead of each server
    waiting for its copy."""
    wanted = sum(1 for item in request.session.items if _starts_a_postgres_server(item))
    # Each xdist worker collects the whole run but runs its share of it, on a cluster of its
    # own: copies beyond its share were PostgreSQL's work (on the cores the tests share) that
    # no server used. A worker that needs more makes them as it goes (Backend.database).
    wanted = math.ceil(wanted / int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    if wanted and Postgres.binaries() is not None:
        request.getfixturevalue("postgres_backend").prefetch(wanted)


@pytest.fixture(scope="session")
def sqlite_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """Initialised SQLite databases for servers (see `backend`)."""
    databases = Backend("sqlite", tmp_path_factory.mktemp("templates-sqlite"))
    yield databases
    databases.close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    """Every live-server test runs on the embedded database and on PostgreSQL: this gives
    servers their (initialised) databases on one of them."""
    databases: Backend = request.getfixturevalue(f"{request.param}_backend")
    return databases


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    """One server per backend for the whole run, default settings, seeded sandbox and demo
    catalogue. Tests using it must not change shared state in ways others would notice
    (disable the sandbox client, etc.); those use `make_server`.
    """
    with serve_in_process(tmp_path_factory.mktemp("shared-server"), backend) as live:
        yield live


@pytest.fixture
def make_server(tmp_path: Path, backend: Backend) -> Iterator[Callable[..., LiveServer]]:
    """Start a dedicated server with settings, e.g. `make_server(token_ttl=2)`."""
    with ExitStack() as stack:
        count = 0

        def start(**settings: Any) -> LiveServer:
            nonlocal count
            count += 1
            directory = tmp_path / f"server-{count}"
            return stack.enter_context(serve_in_process(directory, backend, **settings))

        yield start


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
