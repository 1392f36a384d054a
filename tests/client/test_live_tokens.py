"""The token keeper against the real server; exchanges are counted in the server's audit trail."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from clopos import AsyncClient, Client
from clopos.client import AuthenticationError
from tests.client.conftest import exchanges, issued, sandbox
from tests.client.fakes import FakeClock
from tests.client.faults import FaultProxy, status
from tests.support import LiveServer


def test_nothing_is_exchanged_until_the_first_call(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    with Client(**sandbox(live.url)) as client:
        assert issued(live) == 0
        assert [v.id for v in client.venues.list()] == [1]
        client.venues.list().page()
    assert issued(live) == 1


def test_tokens_are_refreshed_before_they_expire(make_server: Callable[..., LiveServer]) -> None:
    live = make_server(token_ttl=2)  # refresh margin min(300, 2 / 2) = 1 s
    live.clock.freeze()  # the server's: its tokens stay valid however long the test takes
    with Client(**sandbox(live.url)) as client:
        clock = FakeClock(time.monotonic())
        client._core.clock = clock  # the client's clock, which it times tokens by
        client.venues.list().page()
        first = client.token()
        clock.advance(0.9)  # not yet within the margin: the token is kept
        client.venues.list().page()
        assert client.token() == first
        clock.advance(0.3)  # past the margin, before the server would reject the token
        client.venues.list().page()
        assert client.token() != first
    records = exchanges(live)
    assert [e["outcome"] for e in records] == ["issued", "issued"]
    rejected = live.admin_json("audit", "--outcome", "rejected", "--limit", "1000")
    assert [e for e in rejected if e["event"] == "request"] == []  # no call ever met a 401


def test_200_threads_on_one_client_cause_one_exchange(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    barrier = threading.Barrier(200)
    failures: list[BaseException] = []
    with Client(**sandbox(live.url)) as client:

        def work() -> None:
            barrier.wait()
            try:
                client.venues.list().page()
            except BaseException as exc:  # surfaced below, with the others
                failures.append(exc)

        threads = [threading.Thread(target=work) for _ in range(200)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert issued(live) == 1


@pytest.mark.anyio
async def test_2000_tasks_on_one_async_client_cause_one_exchange(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    done: list[int] = []
    # In-process transport: through a socket, 2000 requests queue in the HTTP connection pool
    # (whose cost grows with the queue), which is not what this test is about.
    async with (
        live.async_http() as http,
        AsyncClient(**sandbox(str(http.base_url)), http_client=http) as client,
    ):

        async def work() -> None:
            page = await client.venues.list().page()
            done.append(len(page))

        async with anyio.create_task_group() as group:
            for _ in range(2000):
                group.start_soon(work)
    assert done == [1] * 2000
    assert await anyio.to_thread.run_sync(issued, live) == 1


def test_a_revoked_token_is_replaced_once_even_when_many_threads_see_the_401(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    with Client(**sandbox(live.url)) as client:
        client.venues.list().page()
        live.admin("client", "revoke", sandbox(live.url)["client_id"])
        barrier = threading.Barrier(50)
        failures: list[BaseException] = []

        def work() -> None:
            barrier.wait()
            try:
                client.venues.list().page()
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=work) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
    assert issued(live) == 2  # the first token, and exactly one replacement


def test_a_401_that_persists_after_reauthentication_raises(
    server: LiveServer, proxy: FaultProxy
) -> None:
    proxy.inject(status(401, "invalid_token"), status(401, "invalid_token"))
    with Client(**sandbox(proxy.url)) as client, pytest.raises(AuthenticationError) as caught:
        client.venues.list().page()
    assert caught.value.error == "invalid_token"
    assert len(proxy.requests_to("/venues")) == 2
    assert len(proxy.requests_to("/auth")) == 2
    tokens = [s.headers["x-token"] for s in proxy.requests_to("/venues")]
    assert tokens[0] != tokens[1]


def test_the_token_cache_file_spares_the_next_process_an_exchange(
    make_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    live = make_server()
    cache = tmp_path / "tokens.json"
    with Client(**sandbox(live.url), token_cache=cache) as first:
        first.venues.list().page()
    with Client(**sandbox(live.url), token_cache=cache) as second:
        second.venues.list().page()
    assert oct(cache.stat().st_mode & 0o777) == "0o600"
    assert issued(live) == 1


def test_v1_clients_keep_one_token_per_venue(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    live.admin("venue", "create", "Second", "--brand", "openapitest", "--id", "2")
    live.admin("client", "grant", sandbox(live.url)["client_id"], "--venue", "2")
    with Client(**sandbox(live.url), version=1) as client:
        assert [v.id for v in client.venues.list()] == [1, 2]
        client.venues.list(venue=2).page()
        client.venues.list().page()
        client.venues.list(venue=2).page()
        assert client.token(venue=2) != client.token()
    assert sorted(e["venue_id"] for e in exchanges(live) if e["outcome"] == "issued") == ["1", "2"]
