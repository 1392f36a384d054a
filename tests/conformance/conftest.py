"""Fixtures: the app in-process on each backend, with the sandbox's demo café and a second
imported brand; and a second app with one-second tokens and tiny rate limits."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest

from tests.conformance.harness import OTHER_CATALOGUE, InProcess, in_process
from tests.support import Backend


@pytest.fixture(scope="package")
def running(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[InProcess]:
    """The app on each backend, with the sandbox's demo café and a second brand `other`."""
    directory = tmp_path_factory.mktemp("conformance")
    with in_process(directory, backend) as live:
        live.admin("brand", "create", "other", "--mode", "test")
        credential = orjson.loads(live.admin("client", "create", "--brand", "other", "--json"))
        catalogue = directory / "other.yaml"
        catalogue.write_text(OTHER_CATALOGUE)
        live.admin("import", str(catalogue))
        # The other brand's books: a storage, a supplier and its supply, an open shift.
        live.admin("storage", "add", "Other storage", "--brand", "other", "--venue", "1")
        live.admin("supplier", "add", "Other supplier", "--brand", "other")
        supply = ["--type", "IN", "--storage", "1", "--supplier", "1", "--item", "2:40:0.5"]
        live.admin("stock", "post", "--brand", "other", *supply)
        live.admin("shift", "open", "--brand", "other")
        live.other = {
            "client_id": credential["client_id"],
            "client_secret": credential["client_secret"],
            "brand": "other",
        }
        yield live


@pytest.fixture(scope="package")
def limited(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[InProcess]:
    """The app with one-second tokens and tiny rate limits: the guard's 401 and 429 answers."""
    settings = {
        "token_ttl": 1,
        "auth_per_minute": 3,
        "tenant_per_minute": 2,
        "v1_per_minute": 2,
    }
    with in_process(tmp_path_factory.mktemp("conformance-limited"), backend, settings) as live:
        yield live
