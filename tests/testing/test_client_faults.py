"""Our own client's retries, token refresh and 401 handling, exercised the way an integrator
would exercise theirs: through the sandbox's injected faults and test clock."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from clopos.client import (
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
)
from clopos.core.access import service as access
from clopos.server.errors import ApiError
from clopos.testing import Sandbox, sandbox
from tests.testing.helpers import cafe_order

FAST = RetryPolicy(backoff_initial=0.01, backoff_max=0.02)


def test_a_429_is_retried_after_the_advised_wait(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client() as client:
        list(client.venues.list())  # the token first: the fault is for the call
        clopos_sandbox.faults.next(status=429, count=1, path="/venues")
        started = time.monotonic()
        assert [venue.id for venue in list(client.venues.list())] == [1]
        assert time.monotonic() - started >= 0.9  # Retry-After: 1
    assert clopos_sandbox.faults.armed() == []


def test_a_429_past_the_retries_carries_the_rate_limit_headers(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client(max_retries=0) as client:
        list(client.venues.list())
        clopos_sandbox.faults.next(status=429, path="/venues", retry_after=7)
        with pytest.raises(RateLimitError) as raised:
            list(client.venues.list())
    error = raised.value
    assert error.status == 429 and error.error == "rate_limited"
    assert error.retry_after == 7
    assert error.response is not None
    headers = error.response.headers
    assert headers["RateLimit-Remaining"] == "0" and headers["Retry-After"] == "7"
    assert int(headers["RateLimit-Limit"]) > 0


@pytest.mark.parametrize("status", [500, 504])
def test_a_5xx_on_a_read_is_retried(clopos_sandbox: Sandbox, status: int) -> None:
    with clopos_sandbox.client(retry=FAST) as client:
        list(client.venues.list())
        clopos_sandbox.faults.next(status=status, count=2, path="/venues")
        assert [venue.id for venue in list(client.venues.list())] == [1]
    assert clopos_sandbox.faults.armed() == []


def test_a_504_past_the_retries_is_the_documented_upstream_timeout(
    clopos_sandbox: Sandbox,
) -> None:
    with clopos_sandbox.client(retry=FAST) as client:
        list(client.venues.list())
        clopos_sandbox.faults.next(status=504, count=3, path="/venues")
        with pytest.raises(InternalServerError) as raised:
            list(client.venues.list())
    assert raised.value.status == 504
    assert raised.value.message == "The upstream did not respond within 8 seconds"


def test_an_order_push_that_times_out_is_retried_and_makes_one_order(
    clopos_sandbox: Sandbox,
) -> None:
    with clopos_sandbox.client(retry=FAST) as client:
        body = cafe_order(client)
        seeded = [o.id for o in client.orders.list()]  # the sandbox's history
        clopos_sandbox.faults.next(status=504, path="/orders", method="POST")
        order = client.orders.create(body)
        assert [o.id for o in list(client.orders.list())] == [order.id, *seeded]


def test_a_fault_matches_only_its_path(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client(max_retries=0) as client:
        list(client.venues.list())
        clopos_sandbox.faults.next(status=500, path="/orders")
        assert list(client.venues.list())  # not /orders: untouched
        with pytest.raises(InternalServerError):
            list(client.orders.list())


def test_an_expired_token_is_refreshed_after_a_clock_jump(clopos_sandbox: Sandbox) -> None:
    http = clopos_sandbox.http()
    body = {
        k: clopos_sandbox.credentials[k]
        for k in ("client_id", "client_secret", "brand", "integrator_id")
    }
    token = http.post("/open-api/v2/auth", json=body).json()["token"]
    with clopos_sandbox.client() as client:
        assert list(client.venues.list())
        clopos_sandbox.clock.advance(3600)
        # The server now refuses the token both hold...
        refused = http.get("/open-api/v2/venues", headers={"x-token": token})
        assert refused.status_code == 401 and refused.json()["error"] == "token_expired"
        # ...and the client, whose own clock says the token is fresh, takes the 401, gets a
        # new one and answers.
        assert [venue.id for venue in list(client.venues.list())] == [1]
    fresh = http.post("/open-api/v2/auth", json=body).json()
    assert fresh["expires_in"] == 3600
    assert fresh["expires_at"] >= time.time() + 3600 + 3600 - 5  # on the sandbox's clock


def test_the_clock_lets_a_rate_window_pass() -> None:
    with sandbox(settings={"tenant_per_minute": 2}) as box, box.client(max_retries=0) as client:
        list(client.venues.list())
        list(client.venues.list())
        with pytest.raises(RateLimitError):
            list(client.venues.list())
        box.clock.advance(60)
        assert list(client.venues.list())


def test_latency_makes_a_client_time_out(clopos_sandbox_http: Sandbox) -> None:
    http = httpx.Client(timeout=30.0)
    with http, clopos_sandbox_http.client(http_client=http, max_retries=0) as client:
        # The token exchange first, in whatever time a busy machine takes; then 1 s to answer.
        list(client.venues.list())
        http.timeout = httpx.Timeout(1.0)
        clopos_sandbox_http.faults.latency(2.5, count=1, path="/venues")
        with pytest.raises(APITimeoutError):
            list(client.venues.list())
        assert list(client.venues.list())  # spent: the next call is on time


def _production_brand(box: Sandbox) -> dict[str, Any]:
    """A production brand on the same server, with a v1 client."""
    hasher = box.state.hasher

    async def create() -> Any:
        def work(session: Any) -> Any:
            access.create_brand(session, "realcafe", "A real café", mode="production")
            made = access.create_client(session, hasher, "realcafe", venue_ids=[1])
            return {"client_id": made.client.client_id, "secret": made.secret}

        return await box.state.db.write(work)

    credential = box.call(create)
    return {
        "client_id": credential["client_id"],
        "client_secret": credential["secret"],
        "brand": "realcafe",
        "venue_id": "1",
    }


def test_a_production_brand_is_unaffected_while_a_test_brand_has_faults_armed() -> None:
    with sandbox() as box:
        real = _production_brand(box)
        http = box.http()
        token = http.post("/open-api/auth", json=real).json()["token"]
        headers = {"x-token": token, "x-brand": "realcafe", "x-venue": "1"}
        box.faults.always(status=500)  # every request of the test brand
        box.faults.latency(0.5)
        box.clock.advance(7200)
        with box.client(max_retries=0) as client, pytest.raises(InternalServerError):
            list(client.venues.list())
        # Faults, delays and the clock are matched to a brand by one rule (pipeline/faults.py):
        # the production brand's requests get neither the 500 nor an expired token.
        for _ in range(3):
            answer = http.get("/open-api/venues", headers=headers)
            assert answer.status_code == 200, answer.text  # token not expired, no fault
        # The controls refuse the production brand...
        for arm in (
            lambda: box.faults.next(status=500, brand="realcafe"),
            lambda: box.clock.advance(10, brand="realcafe"),
            box.reset,  # a reset would roll the production brand's data back too
        ):
            with pytest.raises(ApiError) as refused:
                arm()
            assert refused.value.status == 403
        assert box.faults.armed(brand="realcafe") == []
        assert http.get("/open-api/venues", headers=headers).status_code == 200


def test_a_5xx_on_the_token_exchange_is_retried_during_a_refresh(clopos_sandbox: Sandbox) -> None:
    with clopos_sandbox.client(retry=FAST) as client:
        list(client.venues.list())
        clopos_sandbox.clock.advance(3600)  # the token expires: the next call refreshes it
        clopos_sandbox.faults.next(status=503, path="/auth")
        clopos_sandbox.faults.next(status=500, path="/auth")
        assert [venue.id for venue in client.venues.list()] == [1]
    assert clopos_sandbox.faults.armed() == []


def test_a_429_on_the_token_exchange_carries_the_auth_tier(clopos_sandbox: Sandbox) -> None:
    http = clopos_sandbox.http()
    body = {k: clopos_sandbox.credentials[k] for k in ("client_id", "client_secret", "brand")}
    clopos_sandbox.faults.next(status=429, path="/auth", retry_after=3)
    refused = http.post("/open-api/auth", json={**body, "venue_id": "1"})
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert refused.headers["Retry-After"] == "3" and refused.headers["X-RateLimit-Remaining"] == "0"
    assert http.post("/open-api/auth", json={**body, "venue_id": "1"}).status_code == 200
    # Another brand's exchange (or one naming a client of another brand) never matches.
    clopos_sandbox.faults.next(status=500, path="/auth")
    other = http.post("/open-api/auth", json={**body, "brand": "elsewhere", "venue_id": "1"})
    assert other.status_code != 500
    assert clopos_sandbox.faults.armed() != []
