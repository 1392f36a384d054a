"""The documented rate-limit tiers, each on a server configured with small limits."""

from __future__ import annotations

from tests.support import LiveServer


def test_auth_attempts_per_ip(make_server) -> None:
    live = make_server(auth_per_minute=3)
    for _ in range(3):
        assert live.auth_v2().status_code == 200
    refused = live.auth_v2()
    assert refused.status_code == 429
    assert refused.json() == {
        "success": False,
        "error": "rate_limited",
        "message": "Too many requests. Retry later.",
    }
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["ratelimit-remaining"] == "0"
    assert live.auth_v1().headers["x-ratelimit-remaining"] == "0"  # the tier spans both versions


def test_failed_requests_per_ip_are_refused_before_token_checks(make_server) -> None:
    live = make_server(failed_per_minute=5)
    good = live.v2_headers()
    for _ in range(5):
        assert live.http.get("/open-api/v2/venues", headers={"x-token": "bad"}).status_code == 401
    refused = live.http.get("/open-api/v2/venues", headers=good)
    assert refused.status_code == 429
    assert refused.json() == {
        "success": False,
        "error": "rate_limited",
        "message": "Too many requests. Retry later.",
    }
    assert "retry-after" in refused.headers


def test_v2_requests_per_integrator_and_brand(make_server) -> None:
    live = make_server(tenant_per_minute=4)
    headers = live.v2_headers()
    remaining = []
    for _ in range(4):
        response = live.http.get("/open-api/v2/venues", headers=headers)
        assert response.status_code == 200
        remaining.append(int(response.headers["ratelimit-remaining"]))
    assert remaining == [3, 2, 1, 0]
    # A new token does not reset the tenant's budget.
    refused = live.http.get("/open-api/v2/venues", headers=live.v2_headers())
    assert refused.status_code == 429
    assert refused.headers["ratelimit-limit"] == "4"
    assert 1 <= int(refused.headers["ratelimit-reset"]) <= 120
    assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]


def test_v1_requests_per_client(make_server) -> None:
    live = make_server(v1_per_minute=3)
    headers = live.v1_headers()
    for _ in range(3):
        assert live.http.get("/open-api/venues", headers=headers).status_code == 200
    refused = live.http.get("/open-api/venues", headers=headers)
    assert refused.status_code == 429
    assert refused.headers["x-ratelimit-limit"] == "3"
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert int(refused.headers["x-ratelimit-reset"]) > 1_700_000_000


def test_repeated_wrong_secrets_lock_the_client_id(make_server) -> None:
    live = make_server(lockout_attempts=3, lockout_seconds=60)
    for _ in range(3):
        assert live.auth_v1(client_secret="wrong").status_code == 400
    locked = live.auth_v1()  # even the right secret, while locked
    assert locked.status_code == 429
    assert locked.json()["error"] == "too_many_attempts"
    assert 1 <= int(locked.headers["retry-after"]) <= 120
    # Other clients are not affected.
    other = live.admin_json("client", "create", "--brand", "openapitest")
    assert (
        live.auth_v1(client_id=other["client_id"], client_secret=other["client_secret"]).status_code
        == 200
    )


def test_a_successful_exchange_clears_earlier_failures(make_server) -> None:
    live = make_server(lockout_attempts=2)
    assert live.auth_v1(client_secret="wrong").status_code == 400
    assert live.auth_v1().status_code == 200
    assert live.auth_v1(client_secret="wrong").status_code == 400
    assert live.auth_v1().status_code == 200


def test_limits_can_be_switched_off(make_server) -> None:
    live: LiveServer = make_server(tenant_per_minute=0)
    response = live.http.get("/open-api/v2/venues", headers=live.v2_headers())
    assert response.status_code == 200
    assert "ratelimit-limit" not in response.headers
