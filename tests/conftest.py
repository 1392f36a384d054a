"""Fixtures: real servers on loopback ports, each with its own database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.support import LiveServer, run_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the whole run, default settings, seeded sandbox and demo catalogue.

    Tests using it must not change shared state in ways others would notice (disable the
    sandbox client, etc.); those use `make_server`.
    """
    with run_server(tmp_path_factory.mktemp("shared-server")) as live:
        yield live


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start a dedicated server with settings, e.g. `make_server(token_ttl=2)`."""
    with ExitStack() as stack:
        count = 0

        def start(**settings: Any) -> LiveServer:
            nonlocal count
            count += 1
            return stack.enter_context(run_server(tmp_path / f"server-{count}", **settings))

        yield start


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
