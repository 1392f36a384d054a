"""Several `clopos serve` instances on one PostgreSQL and one Redis behave as one server.

Two instances are launched together on a fresh database (both seed it at once), then: a
token either issues the other accepts; a revocation and a key rotation hold on both by
their next request; an answer one keeps is dropped when the other writes; one tenant's
rate limit holds across both; an idempotent write retried on the other is carried out once;
Redis stopping mid-run is no outage; an instance stopped under load finishes what it took
and loses nothing.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.conftest import require_redis
from tests.support import (
    SANDBOX,
    LiveServer,
    Postgres,
    RedisServer,
    ServerProcess,
    metric_sample,
    running_redis,
)

VENUES_V1 = "/open-api/venues"
VENUES_V2 = "/open-api/v2/venues"
# v1 calls, counted per client (generous in tests); v2 ones count against the tenant's limit.
CUSTOMERS = "/open-api/customers"
STOP_LIST = "/open-api/products/stop-list"
ADMIN_TOKEN = "instances-operator"
OPERATOR = {"authorization": f"Bearer {ADMIN_TOKEN}"}
TENANT_PER_MINUTE = 20


def _settings(database_url: str, redis: RedisServer) -> dict[str, Any]:
    return {
        "database_url": database_url,
        "redis_url": redis.url,
        # One key for every instance, as docs/deployment.md asks.
        "secret_key": "instances-shared-secret-key-0123456789abcdef",
        "admin_token": ADMIN_TOKEN,
        "tenant_per_minute": TENANT_PER_MINUTE,
        "shutdown_timeout": 10,
        "log_format": "json",
    }


def _launch(
    directory: Path, count: int, database_url: str, redis: RedisServer
) -> list[ServerProcess]:
    """`count` instances launched at once, then each waited for."""
    settings = _settings(database_url, redis)
    servers = [
        ServerProcess(directory / f"instance-{n}", **settings).launch() for n in range(count)
    ]
    try:
        for server in servers:
            server.ready()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    require_redis()
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="module")
def database(postgres: Postgres) -> str:
    return postgres.new_database()  # empty: the instances migrate and seed it


@pytest.fixture(scope="module")
def pair(
    tmp_path_factory: pytest.TempPathFactory, database: str, redis: RedisServer
) -> Iterator[tuple[LiveServer, LiveServer]]:
    servers = _launch(tmp_path_factory.mktemp("pair"), 2, database, redis)
    try:
        yield servers[0].live, servers[1].live
    finally:
        for server in servers:
            server.stop()


def _v1(token: str) -> dict[str, str]:
    return {"x-token": token, "x-brand": SANDBOX["brand"], "x-venue": SANDBOX["venue_id"]}


def test_instances_started_together_on_a_fresh_database_all_come_up(
    tmp_path: Path, postgres: Postgres, redis: RedisServer
) -> None:
    servers = _launch(tmp_path, 3, postgres.new_database(), redis)
    try:
        for server in servers:
            assert server.live.http.get("/ready").status_code == 200
            assert server.live.http.get(VENUES_V1, headers=server.live.v1_headers()).is_success
        live = servers[0].live
        brands = [b["slug"] for b in live.admin_json("brand", "list")]
        assert brands.count(SANDBOX["brand"]) == 1
        active = [k for k in live.admin_json("keys", "list") if not k.get("retired_at")]
        assert len(active) == 1, active
    finally:
        for server in servers:
            server.stop()


def test_a_token_from_one_instance_is_accepted_by_the_other(
    pair: tuple[LiveServer, LiveServer],
) -> None:
    first, second = pair
    token = first.auth_v1().json()["token"]
    assert second.http.get(VENUES_V1, headers=_v1(token)).status_code == 200
    assert first.http.get(VENUES_V1, headers=_v1(token)).status_code == 200


def test_a_revocation_holds_on_every_instance_by_its_next_request(
    pair: tuple[LiveServer, LiveServer],
) -> None:
    first, second = pair
    token = second.auth_v1().json()["token"]
    for live in pair:
        assert live.http.get(VENUES_V1, headers=_v1(token)).status_code == 200  # cached now
    first.admin("client", "revoke", SANDBOX["client_id"])
    for live in pair:
        refused = live.http.get(VENUES_V1, headers=_v1(token))
        assert refused.status_code == 401 and refused.json()["error"] == "token_revoked"
    fresh = first.auth_v1().json()["token"]
    assert second.http.get(VENUES_V1, headers=_v1(fresh)).status_code == 200


def test_a_key_rotation_holds_on_every_instance_by_its_next_request(
    pair: tuple[LiveServer, LiveServer],
) -> None:
    first, second = pair
    before = first.auth_v1().json()["token"]
    second.http.get(VENUES_V1, headers=_v1(before))
    first.admin("keys", "rotate")
    # Signed with the new key by one instance, accepted by the other at once.
    after = first.auth_v1().json()["token"]
    assert second.http.get(VENUES_V1, headers=_v1(after)).status_code == 200
    after_second = second.auth_v1().json()["token"]
    assert first.http.get(VENUES_V1, headers=_v1(after_second)).status_code == 200
    # Tokens of the retired key live out their time on both.
    for live in pair:
        assert live.http.get(VENUES_V1, headers=_v1(before)).status_code == 200


def test_an_answer_kept_by_one_instance_is_dropped_when_the_other_writes(
    pair: tuple[LiveServer, LiveServer],
) -> None:
    first, second = pair
    headers = first.v1_headers()
    assert first.http.get(STOP_LIST, headers=headers).json()["data"] == []
    assert first.http.get(STOP_LIST, headers=headers).json()["data"] == []  # kept
    operator_path = f"/admin/api/brands/{SANDBOX['brand']}/stop-list"
    put = second.http.put(f"{operator_path}/1", json={"limit": 0}, headers=OPERATOR)
    assert put.status_code == 200, put.text
    try:
        entries = first.http.get(STOP_LIST, headers=headers).json()["data"]
        assert [(e["id"], e["limit"]) for e in entries] == [(1, 0)]
    finally:
        second.http.delete(f"{operator_path}/1", headers=OPERATOR)
    assert first.http.get(STOP_LIST, headers=headers).json()["data"] == []


def test_one_tenant_limit_holds_across_instances(pair: tuple[LiveServer, LiveServer]) -> None:
    first, second = pair
    headers = first.v2_headers()  # the only v2 calls of the module: the tenant's whole budget
    statuses = [
        (first, second)[n % 2].http.get(VENUES_V2, headers=headers).status_code
        for n in range(2 * TENANT_PER_MINUTE + 1)
    ]
    # Counted per instance, 40 of the 41 would pass.
    assert statuses.count(200) == TENANT_PER_MINUTE, statuses
    assert statuses.count(429) == TENANT_PER_MINUTE + 1
    assert statuses[:TENANT_PER_MINUTE] == [200] * TENANT_PER_MINUTE


def test_an_idempotent_write_retried_on_the_other_instance_is_done_once(
    pair: tuple[LiveServer, LiveServer],
) -> None:
    first, second = pair
    headers = {**first.v1_headers(), "Idempotency-Key": "instances-once"}
    path = "/open-api/customers"
    body = {"name": "Once Only", "phone": "+994700000101"}
    one = first.http.post(path, json=body, headers=headers)
    again = second.http.post(path, json=body, headers=headers)
    assert one.status_code == again.status_code == 200, (one.text, again.text)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["data"]["id"] == one.json()["data"]["id"]
    found = first.http.get(f"{path}?limit=100", headers=first.v1_headers()).json()["data"]
    assert [c["name"] for c in found].count("Once Only") == 1


def test_redis_stopping_mid_run_is_no_outage(
    pair: tuple[LiveServer, LiveServer], redis: RedisServer
) -> None:
    headers = [live.v1_headers() for live in pair]
    redis.stop()
    try:
        for _ in range(3):
            for live, own in zip(pair, headers, strict=True):
                started = time.monotonic()
                answer = live.http.get(VENUES_V1, headers=own, timeout=5)
                assert answer.status_code == 200
                assert time.monotonic() - started < 2
        for live in pair:
            unready = live.http.get("/ready")
            assert unready.status_code == 503
            assert unready.json()["checks"]["redis"].startswith("unreachable")
            assert live.http.get("/health").status_code == 200
    finally:
        redis.start()
    deadline = time.monotonic() + 15
    for live in pair:
        while live.http.get("/ready").status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    for live, own in zip(pair, headers, strict=True):
        # Back to Redis at the first request after its retry is due (every 5 s).
        while not any("answers again" in line for line in _log_lines(live)):
            assert live.http.get(VENUES_V1, headers=own).status_code == 200
            assert time.monotonic() < deadline + 10, "the counters did not go back to Redis"
            time.sleep(0.25)
        lines = [orjson.loads(line) for line in _log_lines(live)]
        lost = [line for line in lines if "storage unreachable" in line["message"]]
        assert len(lost) == 1 and lost[0]["level"] == "warning"
        # Written while a request was being answered: it names that request.
        assert len(lost[0]["request_id"]) >= 12


def _log_lines(live: LiveServer) -> list[str]:
    """The instance's output: with CLOPOS_LOG_FORMAT=json, every line a JSON object."""
    text = (live.data_dir / "server.log").read_text()
    assert "Traceback" not in text
    return text.splitlines()


def test_workers_of_one_instance_share_one_limit(
    tmp_path: Path, database: str, redis: RedisServer
) -> None:
    """`clopos serve --workers 2`: the workers are processes of their own, counting in Redis
    (a database of its own there, away from the pair's counts)."""
    settings = {**_settings(database, redis), "redis_url": redis.url[:-1] + "1"}
    settings["v1_per_minute"] = 10
    server = ServerProcess(tmp_path / "workers", "--workers", "2", **settings).launch()
    try:
        live = server.ready()
        headers = live.v1_headers()
        answers = []
        while len(answers) < 21 or len({a.headers["x-request-id"][:12] for a in answers}) < 2:
            assert len(answers) < 200, "one worker answered every connection"
            with httpx.Client(base_url=live.url, headers={"connection": "close"}) as http:
                answers.append(http.get(VENUES_V1, headers=headers))
        assert [a.status_code for a in answers].count(200) == 10
        # Each process numbers its request ids after a prefix of its own: both answered.
        workers = {a.headers["x-request-id"][:12] for a in answers}
        assert len(workers) == 2
        # Whichever worker a scrape reaches answers for both (their counts a moment old).
        deadline = time.monotonic() + 15
        scraped: set[str] = set()
        while len(scraped) < 2:
            with httpx.Client(base_url=live.url, headers={"connection": "close"}) as http:
                scrape = http.get("/metrics")
            totals = [
                metric_sample(scrape.text, "clopos_http_requests_total", **labels) or 0
                for labels in (
                    {"route": VENUES_V1, "method": "GET", "status": "200"},
                    {"route": VENUES_V1, "method": "GET", "status": "429"},
                )
            ]
            if totals == [10, len(answers) - 10]:
                scraped.add(scrape.headers["x-request-id"][:12])
            assert time.monotonic() < deadline, (totals, len(answers))
            time.sleep(0.1)
    finally:
        server.stop()


def _slow_post(port: int, token: str, body: bytes) -> tuple[socket.socket, bytes]:
    """A POST whose head and first half of body are sent; answers the socket and the rest."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=15)
    head = (
        f"POST {CUSTOMERS} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-token: {token}\r\n"
        f"x-brand: {SANDBOX['brand']}\r\nx-venue: {SANDBOX['venue_id']}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()
    half = len(body) // 2
    connection.sendall(head + body[:half])
    return connection, body[half:]


def _read_answer(connection: socket.socket) -> tuple[int, dict[str, Any]]:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(rest) < length:
        rest += connection.recv(65536)
    return int(head.split(b" ", 2)[1]), orjson.loads(rest[:length])


def test_sigterm_under_load_finishes_what_it_took_and_loses_nothing(
    tmp_path: Path, pair: tuple[LiveServer, LiveServer], database: str, redis: RedisServer
) -> None:
    """A third instance joins the pair, takes writes, and is stopped under them."""
    (joining,) = _launch(tmp_path, 1, database, redis)
    live = joining.live
    token = live.v1_headers()["x-token"]
    acknowledged: list[int] = []
    failures: list[str] = []
    stop = threading.Event()
    numbers = itertools.count(1)

    def writer() -> None:
        with httpx.Client(base_url=live.url, headers=_v1(token), timeout=15) as http:
            while not stop.is_set():
                n = next(numbers)
                try:
                    answer = http.post(CUSTOMERS, json={"name": f"Drain {n}"})
                except httpx.TransportError:
                    return  # refused or closed before an answer: nothing was acknowledged
                if answer.status_code == 200:
                    acknowledged.append(answer.json()["data"]["id"])
                else:
                    failures.append(f"{answer.status_code} {answer.text[:200]}")

    slow, rest = _slow_post(joining.port, token, orjson.dumps({"name": "Drain in flight"}))
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        writers = [pool.submit(writer) for _ in range(6)]
        time.sleep(1.0)
        assert joining.live.process is not None
        stopped_at = time.monotonic()
        joining.live.process.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        # The request it was reading when told to stop is still served to the end.
        slow.sendall(rest)
        status, answer = _read_answer(slow)
        slow.close()
        stop.set()
        for future in writers:
            future.result()
    code = joining.live.process.wait(timeout=15)
    took = time.monotonic() - stopped_at
    joining.stop()
    assert status == 200, answer
    assert code == 0
    assert took < 12, took  # within CLOPOS_SHUTDOWN_TIMEOUT (10 s) and a margin
    assert not failures, failures[:5]
    assert len(acknowledged) > 10
    # Every write the stopped instance acknowledged is there, seen from another one.
    first = pair[0]
    headers = first.v1_headers()
    for customer_id in [*acknowledged, answer["data"]["id"]]:
        found = first.http.get(f"{CUSTOMERS}/{customer_id}", headers=headers)
        assert found.status_code == 200, (customer_id, found.text)
    assert all(orjson.loads(line)["message"] for line in _log_lines(live))
