"""Errors and retries against the real server, directly or through the fault proxy."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

import pytest

from clopos import AsyncClient, Client
from clopos.client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CloposError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    UnprocessableEntityError,
    UnsuccessfulResponseError,
)
from clopos.client._requests import token_key
from tests.client.conftest import sandbox
from tests.client.faults import DROP, Fault, FaultProxy, status
from tests.support import SANDBOX, LiveServer

NO_WAIT = RetryPolicy(backoff_initial=0.0, random=lambda: 1.0)


def retries_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]


# Error mapping, from the real server where it can produce the status


def test_wrong_secret_is_a_bad_request(server: LiveServer) -> None:
    config = sandbox(server.url, client_secret="wrong")
    with Client(**config) as client, pytest.raises(BadRequestError) as caught:
        client.venues.list().page()
    assert caught.value.error == "authentication_failed"
    assert caught.value.request_id


def test_test_integrator_on_a_production_brand_is_200_with_success_false(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    live.admin("brand", "create", "prodbrand", "--mode", "production")
    made = live.admin_json("client", "create", "--brand", "prodbrand")
    config = sandbox(live.url, brand="prodbrand", client_id=made["client_id"])
    config["client_secret"] = made["client_secret"]
    with Client(**config) as client, pytest.raises(UnsuccessfulResponseError) as caught:
        client.venues.list().page()
    assert caught.value.status == 200


def test_outside_scope_is_permission_denied(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    made = live.admin_json("client", "create", "--brand", "openapitest", "--scope", "users:read")
    config = sandbox(live.url, client_id=made["client_id"], client_secret=made["client_secret"])
    with Client(**config) as client, pytest.raises(PermissionDeniedError) as caught:
        client.venues.list().page()
    assert caught.value.error == "insufficient_scope"


def test_unknown_resource_is_not_found(server: LiveServer) -> None:
    with Client(**sandbox(server.url)) as client, pytest.raises(NotFoundError) as caught:
        client.customers.get(987654321)
    assert caught.value.status == 404 and caught.value.request_id
    assert caught.value.error == "resource_not_found"


def test_v1_not_found_in_the_laravel_shape_is_read(server: LiveServer) -> None:
    with Client(**sandbox(server.url), version=1) as client, pytest.raises(NotFoundError) as caught:
        client.customers.get(987654321)
    assert caught.value.error == "NotFoundHttpException"
    assert str(caught.value.message) == (
        "No query results for model [App\\Models\\Client\\Marketing\\Customer] 987654321"
    )


def test_duplicate_phone_is_a_conflict(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()  # writes: kept off the shared server
    with Client(**sandbox(live.url)) as client:
        client.customers.create({"name": "Ada", "phone": "+994500000101"})
        with pytest.raises(ConflictError) as caught:
            client.customers.create({"name": "Bob", "phone": "+994500000101"})
    assert caught.value.status == 409


def test_the_servers_own_v2_rate_limit(make_server: Callable[..., LiveServer]) -> None:
    live = make_server(tenant_per_minute=3)
    # No retries: how soon the sliding window frees a request depends on the wall clock.
    with Client(**sandbox(live.url), retry=RetryPolicy(max_retries=0)) as client:
        for _ in range(3):
            client.venues.list().page()
        with pytest.raises(RateLimitError) as caught:
            client.venues.list().page()
    assert caught.value.error == "rate_limited"
    # A sliding-window counter frees a request within two windows of the first one counted.
    assert caught.value.retry_after is not None and 1 <= caught.value.retry_after <= 120


def test_the_servers_own_v1_rate_limit_reads_the_epoch_reset(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server(v1_per_minute=2)
    with Client(**sandbox(live.url), version=1, retry=RetryPolicy(max_retries=0)) as client:
        client.venues.list().page()
        client.venues.list().page()
        with pytest.raises(RateLimitError) as caught:
            client.venues.list().page()
    headers = caught.value.response.headers if caught.value.response else {}
    assert "x-ratelimit-reset" in headers
    # Within two windows: the sliding-window counter can name up to that.
    assert caught.value.retry_after is not None and 0 <= caught.value.retry_after <= 121


def test_the_auth_rate_limit_surfaces_from_the_token_exchange(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server(auth_per_minute=1)
    live.auth_v2()  # spends the minute's only exchange
    policy = RetryPolicy(max_retries=0)
    with Client(**sandbox(live.url), retry=policy) as client, pytest.raises(RateLimitError):
        client.venues.list().page()


# Statuses the real server does not produce on demand come from the fault proxy


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (401, AuthenticationError),
        (422, UnprocessableEntityError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (405, APIStatusError),
    ],
)
def test_injected_statuses_map_to_their_classes(
    proxy: FaultProxy, code: int, cls: type[CloposError]
) -> None:
    proxy.inject(*[status(code, "injected_error")] * 3)
    with Client(**sandbox(proxy.url), retry=NO_WAIT) as client, pytest.raises(cls) as caught:
        client.venues.list().page()
    assert type(caught.value) is cls
    assert caught.value.status == code and caught.value.error == "injected_error"


def test_nothing_listening_is_a_connection_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        config = sandbox(f"http://127.0.0.1:{port}")
        with Client(**config, retry=NO_WAIT) as client, pytest.raises(APIConnectionError) as caught:
            client.venues.list().page()
    assert not isinstance(caught.value, APITimeoutError)


def test_a_stalled_server_is_a_timeout(proxy: FaultProxy) -> None:
    proxy.inject(*[Fault(503, stall=1.0)] * 2)
    with Client(**sandbox(proxy.url), timeout=0.3, max_retries=1) as client:
        client.token()  # authenticate before the stalls so they hit the resource call
        with pytest.raises(APITimeoutError):
            client.venues.list().page()


# Retries


def test_503s_are_retried_with_backoff_until_the_call_succeeds(
    proxy: FaultProxy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "clopos.client")
    proxy.inject(status(503), status(503))
    policy = RetryPolicy(backoff_initial=0.01, random=lambda: 1.0)
    with Client(**sandbox(proxy.url), retry=policy) as client:
        assert [v.id for v in client.venues.list()] == [1]
    assert len(proxy.requests_to("/venues")) == 3
    delays = [message.split(" in ")[1].split(" s ")[0] for message in retries_logged(caplog)]
    assert delays == ["0.01", "0.02"]  # doubling backoff, jitter pinned to its maximum


def test_dropped_connections_are_retried(proxy: FaultProxy) -> None:
    proxy.inject(DROP, DROP)
    with Client(**sandbox(proxy.url), retry=NO_WAIT) as client:
        client.venues.list().page()
    assert len(proxy.requests_to("/venues")) == 3


def test_retry_after_from_a_429_is_honoured(
    proxy: FaultProxy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "clopos.client")
    proxy.inject(status(429, "rate_limited", **{"Retry-After": "1"}))
    with Client(**sandbox(proxy.url), retry=NO_WAIT) as client:
        client.venues.list().page()
    assert len(proxy.requests_to("/venues")) == 2
    assert "in 1.00 s" in retries_logged(caplog)[0]


def test_retries_are_bounded(proxy: FaultProxy) -> None:
    proxy.inject(*[status(503)] * 10)
    with Client(**sandbox(proxy.url)) as client, pytest.raises(InternalServerError):
        client._core._sleep = lambda seconds: None  # keep the default policy, skip its waits
        client.venues.list().page()
    assert len(proxy.requests_to("/venues")) == 3  # the default: two retries


def test_a_post_is_retried_under_one_idempotency_key(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()  # writes: kept off the shared server
    with FaultProxy(live.url).running() as proxy:
        proxy.matches = lambda path: path.endswith("/customers")
        proxy.inject(status(503), DROP)
        with Client(**sandbox(proxy.url), retry=NO_WAIT) as client:
            created = client.customers.create({"name": "Idem Potent", "phone": "+994500000202"})
    sent = proxy.requests_to("/customers")
    assert len(sent) == 3
    assert len({s.headers["idempotency-key"] for s in sent}) == 1
    assert created.name == "Idem Potent"


def test_an_exchange_that_fails_transiently_is_retried(proxy: FaultProxy) -> None:
    proxy.matches = lambda path: path.endswith("/auth")
    proxy.inject(status(503), DROP)
    with Client(**sandbox(proxy.url), retry=NO_WAIT) as client:
        client.venues.list().page()
    assert len(proxy.requests_to("/auth")) == 3


@pytest.mark.anyio
async def test_the_async_client_retries_the_same_way(proxy: FaultProxy) -> None:
    proxy.inject(status(503), DROP, status(429, "rate_limited", **{"Retry-After": "0"}))
    async with AsyncClient(
        **sandbox(proxy.url), retry=RetryPolicy(backoff_initial=0.0, max_retries=3)
    ) as client:
        page = await client.venues.list().page()
    assert [v.id for v in page] == [1]
    assert len(proxy.requests_to("/venues")) == 4


# Redaction


def test_tokens_and_secrets_stay_out_of_logs_errors_and_reprs(
    proxy: FaultProxy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    proxy.inject(status(503), status(401, "invalid_token"), status(401, "invalid_token"))
    texts: list[str] = []
    with Client(**sandbox(proxy.url), retry=NO_WAIT) as client:
        with pytest.raises(AuthenticationError) as caught:
            client.venues.list().page()
        tokens = [s.headers["x-token"] for s in proxy.requests_to("/venues")]
        texts += [str(caught.value), repr(caught.value), repr(client), repr(client.settings)]
        texts.append(repr(client._core.store.get(token_key(client.settings, None))))
    with Client(**sandbox(proxy.upstream, client_secret="wrong")) as bad:
        with pytest.raises(BadRequestError) as refused:
            bad.venues.list().page()
        texts += [str(refused.value), repr(refused.value), repr(bad)]
    texts += [record.getMessage() for record in caplog.records]
    texts += [str(record.args) for record in caplog.records]
    assert len(tokens) == 3 and any("retrying" in t for t in texts)
    for text in texts:
        assert SANDBOX["client_secret"] not in text
        for token in tokens:
            assert token not in text


def test_ignored_query_parameters_are_logged(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    with Client(**sandbox(server.url)) as client, caplog.at_level(logging.WARNING):
        client.customers.list(params={"filter[0][0]": "name"}).page()
        client.customers.list(params={"filters[0][0]": "name", "filters[0][1]": "A"}).page()
    warned = [r.getMessage() for r in caplog.records if r.name == "clopos.client"]
    assert warned == [
        "the server ignored query parameters filter[0][0] of GET /open-api/v2/customers"
    ]
