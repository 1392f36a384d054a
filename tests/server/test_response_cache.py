"""Cached GET answers: fresh time fields, never stale after a write, on both databases."""

from __future__ import annotations

import time

import httpx

from tests.support import LiveServer


def _get(live: LiveServer, path: str, headers: dict[str, str]) -> httpx.Response:
    return live.http.get(path, headers=headers)


def test_repeated_answers_carry_fresh_time_fields(server: LiveServer) -> None:
    headers = server.v2_headers()
    first = _get(server, "/open-api/v2/products?limit=5", headers).json()
    time.sleep(1.1)
    second = _get(server, "/open-api/v2/products?limit=5", headers).json()
    assert second["data"] == first["data"]
    assert second["total"] == first["total"]
    assert second["unix"] > first["unix"]
    assert second["timestamp"] != first["timestamp"]
    assert list(second) == list(first)


def test_a_write_by_the_cli_shows_on_the_next_read(make_server) -> None:
    live: LiveServer = make_server()
    headers = live.v2_headers()
    assert _get(live, "/open-api/v2/products/stop-list", headers).json()["data"] == []
    _get(live, "/open-api/v2/products/stop-list", headers)  # cached now
    live.admin("stop-list", "set", "--brand", "openapitest", "1", "--limit", "0")
    entries = _get(live, "/open-api/v2/products/stop-list", headers).json()["data"]
    assert [(e["id"], e["limit"]) for e in entries] == [(1, 0)]


def test_a_write_through_the_api_shows_on_the_next_read(make_server) -> None:
    live: LiveServer = make_server()
    headers = live.v2_headers()
    before = _get(live, "/open-api/v2/customers", headers).json()["total"]
    _get(live, "/open-api/v2/customers", headers)
    assert (
        live.http.post("/open-api/v2/customers", json={"name": "Ada"}, headers=headers).status_code
        == 200
    )
    assert _get(live, "/open-api/v2/customers", headers).json()["total"] == before + 1


def test_a_cached_answer_is_not_served_to_a_caller_without_the_scope(make_server) -> None:
    live: LiveServer = make_server()
    assert _get(live, "/open-api/v2/products", live.v2_headers()).status_code == 200
    narrow = live.admin_json("client", "create", "--brand", "openapitest", "--scope", "venues:read")
    headers = live.v2_headers(client_id=narrow["client_id"], client_secret=narrow["client_secret"])
    response = _get(live, "/open-api/v2/products", headers)
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"


def _endpoint_runs(live: LiveServer, path: str, times: int) -> list[str]:
    """`times` identical GETs of `path`: the requests that reached its endpoint."""
    headers = live.v2_headers()
    with live.handler_runs(path) as runs:
        for _ in range(times):
            assert _get(live, path, headers).status_code == 200
    return runs


def test_the_cache_can_be_switched_off(make_server) -> None:
    live: LiveServer = make_server(response_cache_entries=0)
    assert len(_endpoint_runs(live, "/open-api/v2/venues", 3)) == 3  # every GET ran the endpoint
    # With the cache on, the same GETs run it once: the count does see a cache.
    cached = make_server()
    assert len(_endpoint_runs(cached, "/open-api/v2/venues", 3)) == 1
