"""The durability setting and the PRAGMAs every SQLite connection of the server starts with."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from clopos.server.settings import Settings
from clopos.store.sqlite_pragmas import pragmas

FULL, NORMAL = 2, 1  # what `PRAGMA synchronous` answers


def test_pragmas() -> None:
    assert pragmas("full") == [
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA busy_timeout=10000",
        "PRAGMA foreign_keys=ON",
    ]
    assert "PRAGMA synchronous=NORMAL" in pragmas("normal")
    with pytest.raises(ValueError, match="synchronous"):
        pragmas("off")


def test_the_pragmas_take_effect(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "probe.db", isolation_level=None)
    for statement in pragmas("full"):
        connection.execute(statement)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("PRAGMA synchronous").fetchone() == (FULL,)
    connection.close()


def test_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOPOS_SQLITE_SYNCHRONOUS", raising=False)
    assert Settings().sqlite_synchronous == "full"
    monkeypatch.setenv("CLOPOS_SQLITE_SYNCHRONOUS", "normal")
    assert Settings().sqlite_synchronous == "normal"
    monkeypatch.setenv("CLOPOS_SQLITE_SYNCHRONOUS", "off")
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.parametrize(("setting", "expected"), [("full", FULL), ("normal", NORMAL)])
def test_the_server_database_runs_with_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str, expected: int
) -> None:
    """By default every connection of the server syncs the log at each commit."""
    monkeypatch.setenv("CLOPOS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLOPOS_DATABASE_URL", raising=False)
    monkeypatch.setenv("CLOPOS_SQLITE_SYNCHRONOUS", setting)
    db = Settings().open_database()
    try:
        with db.sync_engine.connect() as connection:
            assert connection.execute(text("PRAGMA synchronous")).scalar() == expected
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        asyncio.run(db.dispose())
