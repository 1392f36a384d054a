"""The async core follows the same protocol; here, what differs: tasks, events, cancellation."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

from clopos.client import AuthenticationError, BadRequestError
from clopos.client._async import AsyncCore
from clopos.client._config import Settings
from clopos.client._requests import DEFAULT_TIMEOUT, Call, token_key
from clopos.client._tokens import TokenStore
from tests.client.fakes import CONFIG, FakeAPI, FakeClock, error, fast_retry

pytestmark = pytest.mark.anyio
VENUES = Call.make("GET", "/venues")


def async_core(api: Any, clock: FakeClock | None = None, **config: Any) -> AsyncCore:
    clock = clock or FakeClock()

    async def no_sleep(seconds: float) -> None:
        await anyio.lowlevel.checkpoint()

    return AsyncCore(
        Settings.resolve(**{**CONFIG, **config}, environ={}),
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(api)),
        timeout=DEFAULT_TIMEOUT,
        retry=fast_retry(),
        store=TokenStore(clock=clock),
        clock=clock,
        sleep=no_sleep,
    )


class SlowAuth(FakeAPI):
    """Auth answers only when released, so that many tasks pile up behind one exchange."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.release = anyio.Event()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth"):
            await self.release.wait()
        return self(request)


async def test_lazy_auth_and_reuse() -> None:
    api = FakeAPI()
    core = async_core(api)
    assert api.requests == []
    await core.request(VENUES)
    await core.request(VENUES)
    assert len(api.auth_requests) == 1


async def test_concurrent_tasks_share_one_exchange() -> None:
    api = SlowAuth()
    core = async_core(api.handle)
    async with anyio.create_task_group() as group:
        for _ in range(100):
            group.start_soon(core.request, VENUES)
        await anyio.wait_all_tasks_blocked()
        api.release.set()
    assert len(api.auth_requests) == 1
    assert len(api.resource_requests) == 100


async def test_a_failed_exchange_fails_every_waiting_task_without_more_exchanges() -> None:
    api = SlowAuth()
    api.auth_answers.append(error(400, "authentication_failed"))
    core = async_core(api.handle)
    failures: list[BaseException] = []

    async def attempt() -> None:
        try:
            await core.request(VENUES)
        except BadRequestError as exc:
            failures.append(exc)

    async with anyio.create_task_group() as group:
        for _ in range(50):
            group.start_soon(attempt)
        await anyio.wait_all_tasks_blocked()
        api.release.set()
    assert len(failures) == 50
    assert len(api.auth_requests) == 1
    assert len({id(f) for f in failures}) == 50  # each task raised its own copy


async def test_a_cancelled_leader_hands_the_exchange_to_a_waiting_task() -> None:
    api = SlowAuth()
    core = async_core(api.handle)
    key = token_key(core.settings, None)
    with anyio.move_on_after(0.05):
        await core.token(key)  # the leader, cancelled while /auth hangs
    api.release.set()
    token = await core.token(key)
    assert token.value == "tok-1"


async def test_a_second_401_raises() -> None:
    api = FakeAPI().then(error(401, "invalid_token"), error(401, "invalid_token"))
    with pytest.raises(AuthenticationError):
        await async_core(api).request(VENUES)
    assert len(api.auth_requests) == 2


async def test_refresh_before_expiry_on_the_monotonic_clock() -> None:
    api, clock = FakeAPI(ttl=100), FakeClock()
    core = async_core(api, clock)
    await core.request(VENUES)
    clock.advance(49)
    await core.request(VENUES)
    clock.advance(1)
    await core.request(VENUES)
    assert [r.headers["x-token"] for r in api.resource_requests] == ["tok-1", "tok-1", "tok-2"]


async def test_while_a_refresh_is_under_way_a_still_valid_token_is_used_without_waiting() -> None:
    api, clock = SlowAuth(ttl=100), FakeClock()
    api.release.set()
    core = async_core(api.handle, clock)
    await core.request(VENUES)
    api.release = anyio.Event()
    clock.advance(60)  # due for refresh (margin 50 s), still valid for 40 s
    async with anyio.create_task_group() as group:
        group.start_soon(core.request, VENUES)  # leads the refresh, blocked on /auth
        await anyio.wait_all_tasks_blocked()
        await core.request(VENUES)  # does not wait for it
        assert api.resource_requests[-1].headers["x-token"] == "tok-1"
        api.release.set()
    assert api.resource_requests[-1].headers["x-token"] == "tok-2"
