"""The token and retry protocol of the blocking core, step by step over a scripted API."""

from __future__ import annotations

import json

import httpx
import pytest

from clopos.client import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    UnsuccessfulResponseError,
)
from clopos.client._requests import Call, token_key
from tests.client.fakes import (
    SECRET,
    FakeAPI,
    FakeClock,
    answer,
    drop_connection,
    error,
    fast_retry,
    sync_core,
)

VENUES = Call.make("GET", "/venues")


def test_building_a_core_sends_nothing() -> None:
    api = FakeAPI()
    sync_core(api)
    assert api.requests == []


def test_first_call_authenticates_then_reuses_the_token() -> None:
    api = FakeAPI()
    core = sync_core(api)
    core.request(VENUES)
    core.request(VENUES)
    assert len(api.auth_requests) == 1
    assert [r.headers["x-token"] for r in api.resource_requests] == ["tok-1", "tok-1"]


def test_v2_sends_integrator_credentials_and_only_x_token() -> None:
    api = FakeAPI()
    sync_core(api).request(VENUES)
    auth, venues = api.requests
    assert auth.url.path == "/open-api/v2/auth"
    assert json.loads(auth.read()) == {
        "client_id": "client-1",
        "client_secret": SECRET,
        "brand": "openapitest",
        "integrator_id": "7",
    }
    assert venues.url.path == "/open-api/v2/venues"
    assert "x-brand" not in venues.headers and "x-venue" not in venues.headers


def test_v2_venue_per_call_is_an_x_venue_header_on_the_same_token() -> None:
    api = FakeAPI()
    core = sync_core(api)
    core.request(Call.make("GET", "/venues", venue=3))
    core.request(VENUES)
    assert len(api.auth_requests) == 1
    assert [r.headers.get("x-venue") for r in api.resource_requests] == ["3", None]


def test_v1_tokens_are_per_venue_and_calls_send_brand_and_venue() -> None:
    api = FakeAPI()
    core = sync_core(api, version=1, venue_id=1)
    core.request(VENUES)
    core.request(Call.make("GET", "/venues", venue=2))
    core.request(VENUES)
    bodies = [json.loads(r.content) for r in api.auth_requests]
    assert [b["venue_id"] for b in bodies] == ["1", "2"]
    assert all(r.url.path == "/open-api/auth" for r in api.auth_requests)
    sent = [
        (r.headers["x-token"], r.headers["x-brand"], r.headers["x-venue"])
        for r in api.resource_requests
    ]
    assert sent == [
        ("tok-1", "openapitest", "1"),
        ("tok-2", "openapitest", "2"),
        ("tok-1", "openapitest", "1"),
    ]


def test_token_is_refreshed_once_the_margin_before_expiry_is_reached() -> None:
    api, clock = FakeAPI(ttl=600), FakeClock()
    core = sync_core(api, clock=clock)
    core.request(VENUES)
    clock.advance(600 - 300 - 1)  # margin is min(300, 600 / 2) = 300 s
    core.request(VENUES)
    assert len(api.auth_requests) == 1
    clock.advance(1)
    core.request(VENUES)
    assert len(api.auth_requests) == 2
    assert api.resource_requests[-1].headers["x-token"] == "tok-2"


def test_short_lived_tokens_refresh_at_half_their_lifetime() -> None:
    api, clock = FakeAPI(ttl=10), FakeClock()
    core = sync_core(api, clock=clock)
    core.request(VENUES)
    clock.advance(4.9)
    core.request(VENUES)
    clock.advance(0.1)
    core.request(VENUES)
    assert len(api.auth_requests) == 2


def test_a_401_drops_the_token_fetches_another_and_retries_once() -> None:
    api = FakeAPI().then(error(401, "token_revoked"))
    core = sync_core(api)
    core.request(VENUES)
    assert [r.headers["x-token"] for r in api.resource_requests] == ["tok-1", "tok-2"]
    assert len(api.auth_requests) == 2


def test_a_second_401_raises_authentication_error() -> None:
    api = FakeAPI().then(error(401, "invalid_token"), error(401, "invalid_token"))
    with pytest.raises(AuthenticationError) as caught:
        sync_core(api).request(VENUES)
    assert caught.value.error == "invalid_token"
    assert len(api.resource_requests) == 2


def test_a_stale_401_does_not_drop_a_token_someone_else_already_refreshed() -> None:
    api = FakeAPI()
    core = sync_core(api)
    key = token_key(core.settings, None)
    old = core.token(key)
    core.store.drop(key, old)
    fresh = core.token(key)  # another caller has replaced the rejected token
    assert core.store.drop(key, old) is False
    assert core.store.get(key) == fresh


def test_a_401_on_a_token_replaced_meanwhile_reuses_the_replacement() -> None:
    api = FakeAPI()
    core = sync_core(api)
    key = token_key(core.settings, None)
    old = core.token(key)

    def rejected_while_someone_refreshes(request: httpx.Request) -> httpx.Response:
        core.store.drop(key, old)
        core.token(key)  # tok-2, fetched by "another thread" before our 401 arrives
        return error(401, "token_expired")(request)

    api.then(rejected_while_someone_refreshes)
    core.request(VENUES)
    assert len(api.auth_requests) == 2  # our 401 did not cause a third exchange
    assert api.resource_requests[-1].headers["x-token"] == "tok-2"


def test_invalid_credentials_raise_bad_request_without_retrying() -> None:
    api = FakeAPI()
    api.auth_answers.append(error(400, "authentication_failed", "Invalid credentials"))
    with pytest.raises(BadRequestError) as caught:
        sync_core(api).request(VENUES)
    assert caught.value.error == "authentication_failed"
    assert len(api.requests) == 1


def test_success_false_with_200_at_auth_raises() -> None:
    api = FakeAPI()
    api.auth_answers.append(
        answer(
            200,
            {
                "success": False,
                "error": "Integrator is in test mode. But brand is not in test mode",
            },
        )
    )
    with pytest.raises(UnsuccessfulResponseError) as caught:
        sync_core(api).request(VENUES)
    assert caught.value.status == 200
    assert "test mode" in str(caught.value)


def test_an_auth_answer_without_a_lifetime_is_rejected_without_quoting_the_token() -> None:
    api = FakeAPI()
    api.auth_answers.append(answer(200, {"success": True, "token": "tok-leaky"}))
    with pytest.raises(Exception) as caught:
        sync_core(api).request(VENUES)
    assert "tok-leaky" not in str(caught.value) and "tok-leaky" not in repr(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize(
    "failure",
    [error(503, "unavailable"), error(500, "boom"), error(429, "rate_limited"), drop_connection],
)
def test_transient_failures_of_a_get_are_retried(failure: object) -> None:
    sleeps: list[float] = []
    api = FakeAPI().then(failure, failure)  # type: ignore[arg-type]
    assert sync_core(api, sleeps=sleeps).request(VENUES) == {"success": True, "data": []}
    assert len(api.resource_requests) == 3
    assert len(sleeps) == 2


def test_retries_stop_at_the_configured_count() -> None:
    api = FakeAPI().then(*[error(503, "unavailable")] * 5)
    with pytest.raises(InternalServerError) as caught:
        sync_core(api, retry=fast_retry(max_retries=3)).request(VENUES)
    assert caught.value.status == 503
    assert len(api.resource_requests) == 4


def test_connection_failure_after_retries_raises_api_connection_error() -> None:
    api = FakeAPI().then(*[drop_connection] * 3)
    with pytest.raises(APIConnectionError):
        sync_core(api).request(VENUES)


def test_client_errors_are_not_retried() -> None:
    api = FakeAPI().then(error(404, "resource_not_found"))
    with pytest.raises(NotFoundError):
        sync_core(api).request(VENUES)
    assert len(api.resource_requests) == 1


def test_a_post_keeps_one_idempotency_key_across_its_retries() -> None:
    api = FakeAPI().then(error(503, "unavailable"), drop_connection)
    core = sync_core(api)
    core.request(Call.make("POST", "/customers", json={"name": "Ada"}))
    core.request(Call.make("POST", "/customers", json={"name": "Bob"}))
    keys = [r.headers["idempotency-key"] for r in api.resource_requests]
    assert len(keys) == 4
    assert keys[0] == keys[1] == keys[2] != keys[3]


def test_a_caller_supplied_idempotency_key_is_sent_as_is() -> None:
    api = FakeAPI()
    sync_core(api).request(Call.make("POST", "/customers", json={}, idempotency_key="order-77"))
    assert api.resource_requests[0].headers["idempotency-key"] == "order-77"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_every_write_keeps_one_idempotency_key_across_its_retries(method: str) -> None:
    api = FakeAPI().then(error(503, "unavailable"), drop_connection)
    core = sync_core(api)
    core.request(Call.make(method, "/receipts/1", json={"lock": True}))
    core.request(Call.make(method, "/receipts/1", json={"lock": True}))
    keys = [r.headers["idempotency-key"] for r in api.resource_requests]
    assert len(keys) == 4
    assert keys[0] == keys[1] == keys[2] != keys[3]


def test_a_key_still_in_use_is_retried_after_the_server_s_advice() -> None:
    busy = error(409, "idempotency_key_in_use", "still running", **{"Retry-After": "1"})
    api = FakeAPI().then(busy)
    sleeps: list[float] = []
    sync_core(api, sleeps=sleeps).request(Call.make("POST", "/orders", json={}))
    assert len(api.resource_requests) == 2 and sleeps == [1.0]
    other = FakeAPI().then(error(409, "invalid_transition"))
    with pytest.raises(ConflictError):
        sync_core(other).request(Call.make("PUT", "/orders/1", json={"status": "IGNORE"}))
    assert len(other.resource_requests) == 1


def test_gets_carry_no_idempotency_key() -> None:
    api = FakeAPI()
    sync_core(api).request(VENUES)
    assert "idempotency-key" not in api.resource_requests[0].headers


def test_retry_after_is_honoured_over_a_smaller_backoff() -> None:
    sleeps: list[float] = []
    api = FakeAPI().then(error(429, "rate_limited", **{"Retry-After": "7"}))
    sync_core(api, sleeps=sleeps).request(VENUES)
    assert sleeps == [7.0]


def test_a_server_delay_beyond_the_cap_raises_at_once_with_the_advice() -> None:
    sleeps: list[float] = []
    api = FakeAPI().then(error(429, "rate_limited", **{"RateLimit-Reset": "120"}))
    with pytest.raises(RateLimitError) as caught:
        sync_core(api, sleeps=sleeps, retry=fast_retry(max_server_delay=30)).request(VENUES)
    assert sleeps == []
    assert caught.value.retry_after == 120.0


def test_failing_auth_is_retried_like_a_get() -> None:
    api = FakeAPI()
    api.auth_answers.extend([error(503, "unavailable"), drop_connection])
    sync_core(api).request(VENUES)
    assert len(api.auth_requests) == 3


def test_errors_and_reprs_never_show_secrets_or_tokens() -> None:
    api = FakeAPI().then(
        error(401, "invalid_token", "token tok-1 is revoked"),
        error(401, "invalid_token", f"token tok-2 and {SECRET} rejected"),
    )
    core = sync_core(api)
    with pytest.raises(AuthenticationError) as caught:
        core.request(VENUES)
    texts = [str(caught.value), repr(caught.value), repr(core), repr(core.settings)]
    key = token_key(core.settings, None)
    texts.append(repr(core.token(key)))
    for text in texts:
        assert SECRET not in text
        assert "tok-1" not in text and "tok-2" not in text and "tok-3" not in text
