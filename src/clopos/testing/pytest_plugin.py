"""pytest plugin (entry point `clopos`): the `clopos_sandbox` fixture.

One sandbox server per test session (it starts in well under a second), reset to the
seeded state before each test that uses it, so tests never see each other's data, faults,
clock or rate-limit counters. `clopos_sandbox_http` is the same served on a loopback port
(`base_url` is a real URL), for code under test that needs one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    # Imported when a fixture is used, not when pytest loads the plugin: a client-only
    # install (no `server` extra) must still run its tests.
    from clopos.testing._sandbox import Sandbox


@pytest.fixture(scope="session")
def _clopos_sandbox_session() -> Iterator[Sandbox]:
    from clopos.testing._sandbox import sandbox

    with sandbox() as box:
        yield box


@pytest.fixture(scope="session")
def _clopos_sandbox_http_session() -> Iterator[Sandbox]:
    from clopos.testing._sandbox import sandbox

    with sandbox(transport="http") as box:
        yield box


@pytest.fixture
def clopos_sandbox(_clopos_sandbox_session: Sandbox) -> Sandbox:
    """A Clopos sandbox server, in the seeded state (`openapitest`, the demo café)."""
    _clopos_sandbox_session.reset()
    return _clopos_sandbox_session


@pytest.fixture
def clopos_sandbox_http(_clopos_sandbox_http_session: Sandbox) -> Sandbox:
    """`clopos_sandbox` served on a free 127.0.0.1 port (`base_url`)."""
    _clopos_sandbox_http_session.reset()
    return _clopos_sandbox_http_session
