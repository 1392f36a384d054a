"""Fixtures of the store tests: a new database on each backend, empty or initialised."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clopos.server.settings import Settings
from tests.support import BACKENDS, Backend, Postgres, note_driver_statements


@pytest.fixture(params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new empty database: a SQLite file, or a PostgreSQL database."""
    if backend_name == "sqlite":
        (tmp_path / "data").mkdir(exist_ok=True)
        return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'clopos.db'}"
    cluster: Postgres = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def initialised_database_url(
    backend_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> str:
    """The URL of a new database as a server's first start leaves it (schema, sandbox, demo
    catalogue), its key in `tmp_path`: a copy of the run's template, for the tests of what
    runs on a database rather than of how one is made (each made its own in about a
    second on PostgreSQL)."""
    databases: Backend = request.getfixturevalue(f"{backend_name}_backend")
    return Settings(data_dir=tmp_path, **databases.database(tmp_path, {})).resolved_database_url


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The SQL of each statement run on PostgreSQL's driver from now on."""
    seen: list[str] = []
    note_driver_statements(monkeypatch, lambda sql, _on, _auto: seen.append(sql))
    yield seen
