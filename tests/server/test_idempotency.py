"""`Idempotency-Key`: a retried write is carried out once and answered the same."""

from __future__ import annotations

import httpx
import pytest

from tests.support import LiveServer


@pytest.fixture
def live(make_server) -> LiveServer:
    return make_server()


def _post(
    live: LiveServer,
    headers: dict[str, str],
    body: object,
    key: str | None,
    path: str = "/open-api/v2/customers",
) -> httpx.Response:
    extra = {"Idempotency-Key": key} if key is not None else {}
    return live.http.post(path, json=body, headers={**headers, **extra})


def _customers(live: LiveServer, headers: dict[str, str]) -> int:
    response = live.http.get("/open-api/v2/customers", headers=headers)
    return int(response.json()["total"])


def test_a_repeated_key_replays_the_first_answer(live: LiveServer) -> None:
    headers = live.v2_headers()
    before = _customers(live, headers)
    first = _post(live, headers, {"name": "Ada"}, "key-1")
    again = _post(live, headers, {"name": "Ada"}, "key-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["data"] == first.json()["data"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert _customers(live, headers) == before + 1


def test_without_a_key_each_post_is_a_new_write(live: LiveServer) -> None:
    headers = live.v2_headers()
    before = _customers(live, headers)
    _post(live, headers, {"name": "Ada"}, None)
    _post(live, headers, {"name": "Ada"}, None)
    assert _customers(live, headers) == before + 2


def test_a_key_reused_for_another_request_is_refused(live: LiveServer) -> None:
    headers = live.v2_headers()
    assert _post(live, headers, {"name": "Ada"}, "key-2").status_code == 200
    reused = _post(live, headers, {"name": "Grace"}, "key-2")
    assert reused.status_code == 422
    assert reused.json()["error"] == "idempotency_key_reused"


def test_client_errors_are_replayed_too(live: LiveServer) -> None:
    headers = live.v2_headers()
    first = _post(live, headers, {"email": "x@example.com"}, "key-3")
    assert first.status_code == 400
    again = _post(live, headers, {"email": "x@example.com"}, "key-3")
    assert (again.status_code, again.json()) == (400, first.json())


def test_keys_belong_to_one_client(live: LiveServer) -> None:
    other = live.admin_json("client", "create", "--brand", "openapitest")
    mine = live.v2_headers()
    theirs = live.v2_headers(client_id=other["client_id"], client_secret=other["client_secret"])
    before = _customers(live, mine)
    _post(live, mine, {"name": "Ada"}, "shared-key")
    assert "idempotent-replayed" not in _post(live, theirs, {"name": "Ada"}, "shared-key").headers
    assert _customers(live, mine) == before + 2


def test_v1_honours_the_key(live: LiveServer) -> None:
    headers = live.v1_headers()
    first = _post(live, headers, {"name": "Ada"}, "v1-key", path="/open-api/customers")
    again = _post(live, headers, {"name": "Ada"}, "v1-key", path="/open-api/customers")
    assert again.json()["data"]["id"] == first.json()["data"]["id"]


@pytest.mark.parametrize("key", ["x" * 256, "tab\there"])
def test_malformed_keys_are_400(live: LiveServer, key: str) -> None:
    response = _post(live, live.v2_headers(), {"name": "Ada"}, key)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_parameter"
