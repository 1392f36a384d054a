"""A scripted stand-in for the API behind `httpx.MockTransport`, for step-by-step protocol tests.

The live-server tests (`test_live_*.py`) exercise the real server; this only lets a test say
"the next resource call answers 401" and then inspect exactly what the client sent.
"""

from __future__ import annotations

import itertools
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from clopos.client._config import Settings
from clopos.client._requests import DEFAULT_TIMEOUT
from clopos.client._retry import RetryPolicy
from clopos.client._sync import SyncCore
from clopos.client._tokens import TokenStore

SECRET = "s3cr3t-value-never-printed"
CONFIG: dict[str, Any] = {
    "base_url": "http://api.test",
    "client_id": "client-1",
    "client_secret": SECRET,
    "brand": "openapitest",
    "integrator_id": "7",
}

Responder = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeAPI:
    """Issues tokens `tok-1`, `tok-2`, …; answers resources from a queue, else 200 `{data: []}`."""

    ttl: int = 3600
    auth_answers: deque[Responder] = field(default_factory=deque)
    answers: deque[Responder] = field(default_factory=deque)
    requests: list[httpx.Request] = field(default_factory=list)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.endswith("/auth"):
            if self.auth_answers:
                return self.auth_answers.popleft()(request)
            return self.issue(request)
        if self.answers:
            return self.answers.popleft()(request)
        return httpx.Response(200, json={"success": True, "data": []})

    def issue(self, request: httpx.Request) -> httpx.Response:
        body = {
            "success": True,
            "token": f"tok-{next(self._serial)}",
            "token_type": "Bearer",
            "expires_in": self.ttl,
            "message": "Authentication successful",
        }
        if "/v2/" in request.url.path:
            body["expires_at"] = 2_000_000_000
        return httpx.Response(200, json=body)

    def then(self, *answers: Responder) -> FakeAPI:
        self.answers.extend(answers)
        return self

    @property
    def auth_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith("/auth")]

    @property
    def resource_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if not r.url.path.endswith("/auth")]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def answer(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Responder:
    def respond(request: httpx.Request) -> httpx.Response:
        content = b"" if body is None else json.dumps(body).encode()
        merged = {"content-type": "application/json", "x-request-id": "req-42", **(headers or {})}
        return httpx.Response(status, content=content, headers=merged)

    return respond


def error(status: int, error_id: str, message: str = "nope", **headers: str) -> Responder:
    return answer(status, {"success": False, "error": error_id, "message": message}, headers)


def drop_connection(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError(
        "Server disconnected without sending a response.", request=request
    )


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fast_retry(**overrides: Any) -> RetryPolicy:
    """Retries without real waiting: zero backoff, jitter pinned."""
    options: dict[str, Any] = {"backoff_initial": 0.0, "random": lambda: 1.0}
    options.update(overrides)
    return RetryPolicy(**options)


def sync_core(
    api: FakeAPI,
    *,
    clock: FakeClock | None = None,
    retry: RetryPolicy | None = None,
    sleeps: list[float] | None = None,
    **config: Any,
) -> SyncCore:
    """A core over the fake API with a controllable clock; `sleeps` records backoff waits."""
    recorded = sleeps if sleeps is not None else []
    clock = clock or FakeClock()
    return SyncCore(
        Settings.resolve(**{**CONFIG, **config}, environ={}),
        http_client=httpx.Client(transport=api.transport()),
        timeout=DEFAULT_TIMEOUT,
        retry=retry or fast_retry(),
        store=TokenStore(clock=clock),
        clock=clock,
        sleep=recorded.append,
    )
