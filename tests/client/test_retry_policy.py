"""Retry decisions and delays: pure functions, randomness pinned."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos.client import APIConnectionError, APIStatusError, RetryPolicy
from clopos.client._errors import error_from_response
from clopos.client._retry import is_replay_safe, server_delay

NOW = parsedate_to_datetime("Fri, 15 Jan 2027 08:00:00 GMT").timestamp()


def failure(status: int, **headers: str) -> APIStatusError:
    response = httpx.Response(status, headers=headers, request=httpx.Request("GET", "http://x"))
    return error_from_response(response)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "Fri, 15 Jan 2027 08:00:05 GMT"}, 5.0),  # NOW is 08:00:00
        ({"RateLimit-Reset": "17"}, 17.0),
        ({"X-RateLimit-Reset": str(int(NOW) + 40)}, 40.0),
        ({"X-RateLimit-Reset": str(int(NOW) - 40)}, 0.0),
        ({"Retry-After": "2", "RateLimit-Reset": "9"}, 2.0),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "-1"}, None),
        ({}, None),
    ],
)
def test_server_delay_reads_each_header(headers: dict[str, str], expected: float | None) -> None:
    assert server_delay(httpx.Headers(headers), NOW) == expected


def test_only_replay_safe_requests_are_retried() -> None:
    assert (
        is_replay_safe("GET", None)
        and is_replay_safe("put", None)
        and is_replay_safe("DELETE", None)
    )
    assert not is_replay_safe("POST", None) and not is_replay_safe("PATCH", None)
    assert is_replay_safe("POST", "key-1")
    policy = RetryPolicy()
    assert policy.delay(failure(503), retry_number=1, replay_safe=False) is None
    assert policy.delay(failure(503), retry_number=1, replay_safe=True) is not None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_client_errors_are_final(status: int) -> None:
    assert RetryPolicy().delay(failure(status), retry_number=1, replay_safe=True) is None


def test_permanent_connection_failures_are_final() -> None:
    permanent = APIConnectionError("bad url", transient=False)
    assert RetryPolicy().delay(permanent, retry_number=1, replay_safe=True) is None
    assert (
        RetryPolicy().delay(APIConnectionError("reset"), retry_number=1, replay_safe=True)
        is not None
    )


def test_backoff_doubles_up_to_its_cap_with_pinned_jitter() -> None:
    policy = RetryPolicy(max_retries=10, backoff_initial=0.5, backoff_max=4.0, random=lambda: 1.0)
    assert [policy.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    low = RetryPolicy(backoff_initial=0.5, random=lambda: 0.0)
    assert low.backoff(1) == 0.25


@given(
    retry_number=st.integers(1, 60),
    initial=st.floats(0, 10),
    cap=st.floats(0, 100),
    jitter=st.floats(0, 1),
)
def test_backoff_is_between_half_and_all_of_the_capped_exponential(
    retry_number: int, initial: float, cap: float, jitter: float
) -> None:
    policy = RetryPolicy(backoff_initial=initial, backoff_max=cap, random=lambda: jitter)
    base = min(cap, initial * 2.0 ** (retry_number - 1))
    assert base / 2 - 1e-9 <= policy.backoff(retry_number) <= base + 1e-9


def test_the_retry_count_is_a_ceiling() -> None:
    policy = RetryPolicy(max_retries=2)
    assert policy.delay(failure(500), retry_number=2, replay_safe=True) is not None
    assert policy.delay(failure(500), retry_number=3, replay_safe=True) is None
    assert RetryPolicy(max_retries=0).delay(failure(500), retry_number=1, replay_safe=True) is None


def test_server_advice_wins_over_a_shorter_backoff_and_is_capped() -> None:
    policy = RetryPolicy(max_server_delay=10, random=lambda: 1.0)
    assert (
        policy.delay(failure(429, **{"Retry-After": "6"}), retry_number=1, replay_safe=True) == 6.0
    )
    assert (
        policy.delay(failure(429, **{"Retry-After": "0"}), retry_number=1, replay_safe=True) == 0.5
    )
    assert (
        policy.delay(failure(503, **{"Retry-After": "11"}), retry_number=1, replay_safe=True)
        is None
    )


def test_invalid_policies_are_refused() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)


def test_rate_limit_windows_are_advice_only_on_a_429() -> None:
    # v2 sends RateLimit-* on every answer: on a 500 its reset is when the rate window
    # turns over, not when to try again.
    policy = RetryPolicy(random=lambda: 1.0)
    window = {"RateLimit-Reset": "60", "X-RateLimit-Reset": str(int(NOW) + 60)}
    assert policy.delay(failure(500, **window), retry_number=1, replay_safe=True, now=NOW) == 0.5
    assert policy.delay(failure(429, **window), retry_number=1, replay_safe=True, now=NOW) == 60
    assert (
        policy.delay(
            failure(503, **{"Retry-After": "3", **window}),
            retry_number=1,
            replay_safe=True,
            now=NOW,
        )
        == 3
    )
