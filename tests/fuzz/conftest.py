"""The app in-process on each backend, for generated requests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.conformance.harness import InProcess, in_process


@pytest.fixture(scope="package")
def fuzzed(
    tmp_path_factory: pytest.TempPathFactory, backend: Callable[[], dict[str, str]]
) -> Iterator[InProcess]:
    """The seeded sandbox with its demo café; generated requests may change it at will."""
    with in_process(tmp_path_factory.mktemp("fuzz"), backend()) as live:
        yield live
