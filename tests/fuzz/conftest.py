"""The app in-process on each backend, for generated requests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.conformance.harness import InProcess, in_process
from tests.support import BACKENDS


@pytest.fixture(scope="package")
def fuzzed(
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
    postgres_installed: bool,
) -> Iterator[dict[str, InProcess]]:
    """The seeded sandbox with its demo café on each backend the run has, by name: each
    generated request goes to all of them (generating is most of a fuzz test's time, and
    the derandomized cases would be the same for each). Requests may change them at will."""
    names = BACKENDS if postgres_installed else ("sqlite",)
    with ExitStack() as stack:
        apps = {}
        for name in names:
            backend = request.getfixturevalue(f"{name}_backend")
            directory = tmp_path_factory.mktemp(f"fuzz-{name}")
            apps[name] = stack.enter_context(in_process(directory, backend))
        yield apps
