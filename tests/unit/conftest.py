"""A database for the unit tests that need one: SQLite in this process, initialised once per
run as `clopos serve` leaves it (the sandbox brand, id 1, with the demo café), each test
working on its own copy of the file (a copy takes a few milliseconds, a fresh one most of a
second)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import pytest
from sqlalchemy.orm import Session

from clopos.store.db import Database
from tests.store.dbutil import with_database

P = ParamSpec("P")
T = TypeVar("T")


async def _nothing(_db: Database) -> None:
    return None


class Units:
    """Units of work on one test's database, each through the app's own Database."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.url = f"sqlite+aiosqlite:///{directory / 'clopos.db'}"

    def write(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`fn(session, ...)` in a unit that writes; a raised error rolls it back."""
        work: Callable[[Database], Any] = lambda db: db.write(fn, *args, **kwargs)  # noqa: E731
        result: T = with_database(self.url, self.directory, work)
        return result


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("unit-seeded")
    with_database(f"sqlite+aiosqlite:///{directory / 'clopos.db'}", directory, _nothing)
    return directory


@pytest.fixture
def units(seeded_database: Path, tmp_path: Path) -> Units:
    copy = tmp_path / "data"
    shutil.copytree(seeded_database, copy)
    return Units(copy)
