"""What an operator watches and relies on, in-process: `/metrics`, `/ready`, JSON log lines
carrying the request id, rate limits shared through Redis and what happens when Redis goes
away, and the one-line refusal of a database driver that is not installed."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from clopos.server.logs import REQUEST_ID, JsonFormatter
from clopos.store.schema import head_revision
from tests.support import SANDBOX, LiveServer, RedisServer, free_port, metric_sample

VENUES = "/open-api/v2/venues"


def _order(live: LiveServer, headers: dict[str, str]) -> dict[str, Any]:
    products = live.http.get("/open-api/v2/products?limit=50", headers=headers).json()["data"]
    espresso = next(p for p in products if p["name"] == "Espresso")
    sale_types = live.http.get("/open-api/v2/sale-types", headers=headers).json()["data"]
    return {
        "sale_type_id": next(t["id"] for t in sale_types if t["name"] == "Delivery"),
        "venue_id": 1,
        "customer": {"name": "Metrics", "phone": "+994705401040", "address": "1 Main St"},
        "products": [{"product_id": espresso["id"], "product_name": "Espresso"}],
    }


def test_metrics_count_requests_by_route_tokens_rejections_limits_and_orders(
    make_server: Any,
) -> None:
    # Eight v2 calls a minute: the five below, the order's two look-ups, then one venues more.
    live: LiveServer = make_server(tenant_per_minute=8)
    headers = live.v2_headers()
    assert live.http.get(VENUES, headers=headers).status_code == 200
    assert live.http.get(VENUES, headers=headers).status_code == 200  # the cached answer
    assert live.http.get(VENUES).status_code == 401
    assert live.http.get("/open-api/v2/no-such-thing", headers=headers).status_code == 404
    created = live.http.post("/open-api/v2/orders", json=_order(live, headers), headers=headers)
    assert created.status_code == 201, created.text
    order_id = created.json()["data"]["id"]
    assert live.http.get(f"/open-api/v2/orders/{order_id}", headers=headers).status_code == 200
    statuses = [live.http.get(VENUES, headers=headers).status_code for _ in range(3)]
    assert statuses == [200, 429, 429]  # the tenant's 8 a minute, spent

    answer = live.http.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = answer.text
    requests = "clopos_http_requests_total"
    assert metric_sample(text, requests, route=VENUES, method="GET", status="200") == 3
    assert metric_sample(text, requests, route=VENUES, method="GET", status="401") == 1
    assert metric_sample(text, requests, route=VENUES, method="GET", status="429") == 2
    # Paths carrying ids are counted by their route's template; others by one label.
    one_order = "/open-api/v2/orders/{order_id}"
    assert metric_sample(text, requests, route=one_order, method="GET", status="200") == 1
    assert metric_sample(text, requests, route="unmatched", method="GET", status="404") == 1
    assert (
        metric_sample(text, requests, route="/open-api/v2/auth", method="POST", status="200") == 1
    )
    histogram = "clopos_http_request_duration_seconds"
    assert metric_sample(text, f"{histogram}_count", route=VENUES, method="GET") == 6
    assert metric_sample(text, f"{histogram}_bucket", route=VENUES, method="GET", le="+Inf") == 6
    assert metric_sample(text, "clopos_tokens_issued_total", version="2") == 1
    assert metric_sample(text, "clopos_tokens_issued_total", version="1") == 0
    assert (
        metric_sample(text, "clopos_rejections_total", event="request", reason="unauthorized") == 1
    )
    assert (
        metric_sample(text, "clopos_rejections_total", event="request", reason="rate_limited") == 2
    )
    assert metric_sample(text, "clopos_rate_limit_hits_total", tier="tenant") == 2
    assert metric_sample(text, "clopos_orders_created_total") == 1
    writes = metric_sample(text, "clopos_db_unit_duration_seconds_count", kind="write")
    assert writes is not None and writes >= 1
    assert metric_sample(text, "clopos_shared_counters_up") is None  # no Redis configured
    assert "process_cpu_seconds_total" in text


def test_metrics_answer_this_machine_or_their_token_only(make_server: Any) -> None:
    open_to_loopback = make_server()
    forwarded = {"x-forwarded-for": "203.0.113.9"}
    assert open_to_loopback.http.get("/metrics", headers=forwarded).status_code == 404
    assert open_to_loopback.http.get("/metrics").status_code == 200

    guarded = make_server(metrics_token="scrape-me")
    assert guarded.http.get("/metrics").status_code == 401
    wrong = {"authorization": "Bearer scrape-you"}
    assert guarded.http.get("/metrics", headers=wrong).status_code == 401
    right = {"authorization": "Bearer scrape-me", **forwarded}
    answer = guarded.http.get("/metrics", headers=right)
    assert answer.status_code == 200 and "clopos_http_requests_total" in answer.text


def test_ready_names_each_check(make_server: Any) -> None:
    live: LiveServer = make_server()
    answer = live.http.get("/ready")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "checks": {"database": "ok"}}
    # A database another version migrated on (or one behind this code) is no place to serve.
    db = live.state.db

    def stamp(session: Any, revision: str) -> None:
        session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})

    head = head_revision()
    live._portal.call(db.write, stamp, "9999")  # type: ignore[union-attr]
    try:
        ahead = live.http.get("/ready")
    finally:
        live._portal.call(db.write, stamp, head)  # type: ignore[union-attr]
    assert ahead.status_code == 503
    assert ahead.json()["checks"]["database"] == f"schema at 9999, this code needs {head}"
    assert live.http.get("/ready").status_code == 200
    # A stopping worker asks the load balancer to send it nothing more.
    live.app.state.stopping.set()
    stopping = live.http.get("/ready")
    assert stopping.status_code == 503
    assert stopping.json()["checks"]["server"] == "stopping"


@pytest.fixture
def warnings() -> Iterator[list[dict[str, Any]]]:
    """The server's log lines, as the JSON lines CLOPOS_LOG_FORMAT=json writes."""
    lines: list[dict[str, Any]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(self.format(record)))

    handler = Keep(logging.WARNING)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("clopos")
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


def test_a_redis_that_goes_away_leaves_each_process_counting_on_its_own(
    make_server: Any, redis_server: RedisServer, warnings: list[dict[str, Any]]
) -> None:
    shared = {
        "redis_url": redis_server.url,
        "tenant_per_minute": 5,
        "v1_per_minute": 4,
        "log_format": "json",  # the request id in log lines
    }
    first: LiveServer = make_server(**shared)
    second: LiveServer = make_server(**shared)
    assert first.http.get("/ready").json()["checks"] == {"database": "ok", "redis": "ok"}
    # Both servers' sandboxes are the same tenant (integrator 1, brand openapitest): one
    # budget of 5 between them.
    a, b = first.v2_headers(), second.v2_headers()
    statuses = [
        (first if n % 2 else second).http.get(VENUES, headers=a if n % 2 else b).status_code
        for n in range(8)
    ]
    assert statuses.count(200) == 5 and statuses.count(429) == 3

    redis_server.stop()
    started = time.monotonic()
    exchange = first.auth_v1()
    assert exchange.status_code == 200
    v1 = {"x-token": exchange.json()["token"], "x-brand": SANDBOX["brand"], "x-venue": "1"}
    answers = [first.http.get("/open-api/venues", headers=v1) for _ in range(6)]
    elapsed = time.monotonic() - started
    # Never a 500 or a hang: the first call waits for Redis' timeout (0.25 s), the others
    # count in this process at once; the limit still holds, per process.
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 429, 429]
    assert elapsed < 3, elapsed
    lost = [line for line in warnings if "rate-limit storage unreachable" in line["message"]]
    assert len(lost) == 1
    # The line names the request it was written for, by the id its answer carried.
    assert lost[0]["request_id"] == exchange.headers["x-request-id"]
    assert lost[0]["level"] == "warning" and lost[0]["logger"] == "clopos.server"
    unready = first.http.get("/ready")
    assert unready.status_code == 503
    assert unready.json()["checks"]["redis"].startswith("unreachable")
    metrics = first.http.get("/metrics").text
    assert metric_sample(metrics, "clopos_shared_counters_up") == 0

    redis_server.start()
    deadline = time.monotonic() + 15
    while first.http.get("/ready").status_code != 200:
        assert time.monotonic() < deadline, "not ready again after Redis came back"
        time.sleep(0.2)
    # Counted in Redis again, once its retry is due (every 5 s).
    while True:
        first.http.get("/open-api/venues", headers=v1)
        if metric_sample(first.http.get("/metrics").text, "clopos_shared_counters_up") == 1:
            break
        assert time.monotonic() < deadline, "the counters did not go back to Redis"
        time.sleep(0.5)
    assert any("answers again" in line["message"] for line in warnings)


def test_a_stalled_redis_costs_one_timeout_not_a_hang(
    make_server: Any, redis_server: RedisServer
) -> None:
    live: LiveServer = make_server(redis_url=redis_server.url, redis_timeout=0.2)
    headers = live.v1_headers()
    assert live.http.get("/open-api/venues", headers=headers).status_code == 200
    redis_server.pause()
    try:
        timings = []
        for _ in range(5):
            started = time.monotonic()
            assert live.http.get("/open-api/venues", headers=headers).status_code == 200
            timings.append(time.monotonic() - started)
        # The first call waits for the timeout (two round trips at most); the next ones
        # count in this process without asking Redis.
        assert timings[0] < 1.5, timings
        assert max(timings[1:]) < 0.2, timings
        assert live.http.get("/ready").status_code == 503
    finally:
        redis_server.resume()


def test_a_redis_never_reached_does_not_stop_the_api(make_server: Any) -> None:
    live: LiveServer = make_server(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    headers = live.v1_headers()
    assert live.http.get("/open-api/venues", headers=headers).status_code == 200
    assert live.http.get("/ready").status_code == 503


def test_json_lines_carry_the_request_id() -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord("clopos.server", logging.INFO, __file__, 1, "hello %s", ("x",), None)
    token = REQUEST_ID.set("abc123")
    try:
        line = json.loads(formatter.format(record))
    finally:
        REQUEST_ID.reset(token)
    assert line["message"] == "hello x" and line["request_id"] == "abc123"
    assert line["level"] == "info" and line["logger"] == "clopos.server"
    assert "request_id" not in json.loads(formatter.format(record))


def test_a_missing_driver_is_one_line_naming_the_extra(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clopos.cli import main

    monkeypatch.setitem(sys.modules, "asyncpg", None)  # as if clopos[postgres] were missing
    env = {
        "CLOPOS_DATA_DIR": str(tmp_path),
        "CLOPOS_DATABASE_URL": "postgresql+asyncpg://clopos:hunter2@127.0.0.1:1/clopos",
    }
    result = CliRunner().invoke(main, ["serve", "--port", str(free_port())], env=env)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    output = result.output.strip()
    assert output.count("\n") == 0, output
    assert "pip install 'clopos[postgres]'" in output and "asyncpg" in output
    assert "hunter2" not in output
    assert SANDBOX["client_secret"] not in output


def test_lockouts_and_console_sign_in_throttles_are_counted_once_across_servers(
    make_server: Any, redis_server: RedisServer
) -> None:
    from tests.console.helpers import browser_client, operator, sign_in

    shared = {"redis_url": redis_server.url, "lockout_attempts": 3}
    first: LiveServer = make_server(**shared)
    second: LiveServer = make_server(**shared)
    # Wrong secrets for one client id from one address, spread over both servers.
    wrong = {"client_id": "locked-across-servers", "client_secret": "not-it"}
    statuses = [(first, second)[n % 2].auth_v2(**wrong).status_code for n in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert second.auth_v2(**wrong).json()["error"] == "too_many_attempts"

    name = operator(first)
    attempts = first.app.state.console.settings.login_attempts
    with browser_client(first) as one, browser_client(second) as other:
        for n in range(attempts):
            refused = sign_in((one, other)[n % 2], name, "not the password")
            assert refused.status_code == 401
        # Counted on one server alone, the right password would pass here.
        throttled = sign_in(one, name)
        assert throttled.status_code == 429 and "Too many failed sign-ins" in throttled.text
