"""The in-process sliding-window counters behind the rate limits."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st

from clopos.server.auth.ratelimit import LocalCounters, Tier


class Clock:
    def __init__(self, now: float = 6_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


TIER = Tier(3, 60)


def test_a_window_admits_its_amount_then_refuses() -> None:
    clock = Clock()
    counters = LocalCounters(clock)
    decisions = [asyncio.run(counters.hit(TIER, "k")) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert decisions[-1].reset_at > clock.now


def test_keys_and_tiers_count_apart() -> None:
    counters = LocalCounters(Clock())
    for _ in range(3):
        asyncio.run(counters.hit(TIER, "a"))
    assert asyncio.run(counters.hit(TIER, "b")).allowed
    assert asyncio.run(counters.hit(Tier(3, 3600), "a")).allowed


def test_the_previous_window_weighs_less_as_time_passes() -> None:
    clock = Clock(6_000.0)  # the start of a window
    counters = LocalCounters(clock)
    for _ in range(3):
        asyncio.run(counters.hit(TIER, "k"))
    clock.now = 6_060.0  # next window: the previous one still weighs fully
    assert not asyncio.run(counters.peek(TIER, "k")).allowed
    clock.now = 6_090.0  # half way: it weighs 1.5, so one more fits
    assert asyncio.run(counters.hit(TIER, "k")).allowed
    clock.now = 6_240.0  # two idle windows: nothing remembered
    assert asyncio.run(counters.peek(TIER, "k")).remaining == 3


def test_peek_does_not_count_and_clear_forgets() -> None:
    counters = LocalCounters(Clock())
    for _ in range(5):
        asyncio.run(counters.peek(TIER, "k"))
    assert asyncio.run(counters.hit(TIER, "k")).remaining == 2
    asyncio.run(counters.clear(TIER, "k"))
    assert asyncio.run(counters.hit(TIER, "k")).remaining == 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=10), min_size=1, max_size=80))
def test_refusals_name_a_time_when_a_request_fits_again(gaps: list[float]) -> None:
    clock = Clock()
    counters = LocalCounters(clock)
    admitted_per_window: dict[int, int] = {}
    for gap in gaps:
        clock.now += gap
        decision = asyncio.run(counters.hit(TIER, "k"))
        if decision.allowed:
            window = int(clock.now // TIER.seconds)
            admitted_per_window[window] = admitted_per_window.get(window, 0) + 1
        else:
            assert decision.reset_at > clock.now
            later = Clock(decision.reset_at + 1e-6)
            probe = LocalCounters(later)
            probe._windows = {k: list(v) for k, v in counters._windows.items()}
            assert asyncio.run(probe.peek(TIER, "k")).allowed
    assert max(admitted_per_window.values()) <= TIER.amount


def test_redis_counters_decide_as_the_local_ones(redis_server) -> None:  # type: ignore[no-untyped-def]
    from clopos.server.auth.redis_counters import RedisCounters

    async def run() -> None:
        shared, local = RedisCounters(redis_server.url), LocalCounters()
        tier = Tier(3, 60, "unit")
        try:
            for counters in (shared, local):
                hits = [await counters.hit(tier, "k") for _ in range(5)]
                assert [d.allowed for d in hits] == [True, True, True, False, False]
                assert [d.remaining for d in hits] == [2, 1, 0, 0, 0]
                assert not (await counters.peek(tier, "k")).allowed
                assert (await counters.peek(tier, "other")).remaining == 3
                await counters.clear(tier, "k")
                assert (await counters.hit(tier, "k")).remaining == 2
            # Tiers of equal figures but other names count apart.
            assert (await shared.hit(Tier(3, 60, "another"), "k")).remaining == 2
        finally:
            await shared.client.aclose()

    asyncio.run(run())
