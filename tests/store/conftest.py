"""Fixtures of the store tests: a fresh empty database on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import Postgres


@pytest.fixture(params=["sqlite", "postgres"])
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
