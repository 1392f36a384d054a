"""One server for the catalogue tests: the sandbox's demo café plus a second brand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support import Backend, LiveServer, serve_in_process

OTHER_CATALOGUE = """
brand: other
stations: [{name: Grill}]
categories: [{name: Burgers}]
products:
  - {id: 1, name: Other burger, type: DISH, category: Burgers, station: Grill, price: 9}
customer_groups: [{name: Regulars}]
customers: [{name: Other customer, phone: "+994705401040", group: Regulars}]
users: [{username: other-owner, owner: 1}]
"""


@dataclass
class Api:
    """Authenticated GETs/POSTs for one brand and version."""

    server: LiveServer
    base: str
    headers: dict[str, str]

    def get(self, path: str, **params: object) -> httpx.Response:
        return self.server.http.get(self.base + path, headers=self.headers, params=params)  # type: ignore[arg-type]

    def post(self, path: str, body: object) -> httpx.Response:
        return self.server.http.post(self.base + path, headers=self.headers, json=body)


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    """The catalogue's own server (it imports a second brand), on each backend."""
    directory = tmp_path_factory.mktemp("catalogue")
    with serve_in_process(directory, backend, admin_token="operator-secret") as server:
        yield server


@pytest.fixture(scope="package")
def other_brand(live: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    live.admin("brand", "create", "other", "--mode", "test")
    credential = live.admin_json("client", "create", "--brand", "other")
    path: Path = tmp_path_factory.mktemp("other") / "other.yaml"
    path.write_text(OTHER_CATALOGUE)
    live.admin("import", str(path))
    return {"client_id": credential["client_id"], "client_secret": credential["client_secret"]}


@pytest.fixture(scope="package")
def v1(live: LiveServer) -> Api:
    return Api(live, "/open-api", live.v1_headers())


@pytest.fixture(scope="package")
def v2(live: LiveServer) -> Api:
    return Api(live, "/open-api/v2", live.v2_headers())


@pytest.fixture(params=[1, 2], ids=["v1", "v2"])
def api(request: pytest.FixtureRequest, v1: Api, v2: Api) -> Api:
    return v1 if request.param == 1 else v2
