"""Rate limits, as the reference documents them.

Tiers (each a sliding window, each configurable, 0 disables):
- auth: POST /auth attempts per client IP (60/min);
- failed: responses >= 400 per client IP, checked before token validation (600/min);
- tenant: v2 requests per integrator and brand (300/min); v1 requests per client
  (100/min and 1000/h);
- lockout: wrong secrets per client id and source address (10 per 5 minutes), refusing even
  the right one from that address; unknown ids count alike (see exchange.py).

Counters live in this process by default (`memory://`) or, to be shared by several workers
or machines, in Redis (`CLOPOS_REDIS_URL`, redis_counters.py) or any other storage the
`limits` library supports (`CLOPOS_RATE_LIMIT_STORAGE`). A shared storage that does not
answer is stood in for by this process's own counters until it does (fallback.py).
"""

from __future__ import annotations

import collections
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string

from clopos.server.settings import Settings

# The documented 429 body's message, for every tier.
RATE_LIMITED_MESSAGE = "Too many requests. Retry later."


@dataclass(frozen=True, slots=True)
class Tier:
    """At most `amount` requests per `seconds`; `name` keeps tiers of equal figures apart
    (their counters) and names the tier in the metrics."""

    amount: int
    seconds: int
    name: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """One tier's verdict: whether the request may pass, and the figures for headers."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: float

    @property
    def reset_in(self) -> int:
        """Whole seconds until the window frees a request (at least 1 when refused)."""
        seconds = math.ceil(max(0.0, self.reset_at - time.time()))
        return max(seconds, 1) if not self.allowed else seconds


class Counters(Protocol):
    async def hit(self, tier: Tier, key: str) -> Decision: ...
    async def peek(self, tier: Tier, key: str) -> Decision: ...
    async def clear(self, tier: Tier, key: str) -> None: ...


def decide(
    tier: Tier, index: int, current: int, previous: int, weighted: float, allowed: bool
) -> Decision:
    """A tier's decision and header figures from its sliding window: window `index`'s count
    (`current`), the window before's (`previous`), and their weighted sum (`weighted`).
    Local and Redis counters both answer through it."""
    start = index * tier.seconds
    if weighted + 1 <= tier.amount:
        reset_at = float(start + tier.seconds)
    elif current < tier.amount and previous > 0:
        # When the previous window's weight has shrunk enough for one more request.
        reset_at = start + tier.seconds * (1 - (tier.amount - current - 1) / previous)
    else:
        over = (current + 1 - tier.amount) / max(current, 1)
        reset_at = start + tier.seconds * (1 + over)
    remaining = max(0, tier.amount - math.ceil(weighted))
    return Decision(allowed, tier.amount, remaining, reset_at)


class LocalCounters:
    """Sliding-window counters in this process.

    The `limits` algorithm (the previous fixed window's count, weighted by how much of it
    the sliding window still covers, plus the current one's), kept in a dict: the library's
    in-memory storage measured at about a third of the guarded request rate, this at a few
    microseconds a request.
    """

    _PRUNE_EVERY = 10_000

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        # (tier, key) -> [window index, count in it, count in the window before]
        self._windows: dict[tuple[Tier, str], list[int]] = {}
        self._inserts = 0

    def _window(self, tier: Tier, key: str, now: float) -> tuple[list[int], float]:
        index = int(now // tier.seconds)
        state = self._windows.get((tier, key))
        if state is None:
            state = self._windows[(tier, key)] = [index, 0, 0]
            self._inserts += 1
            if self._inserts % self._PRUNE_EVERY == 0:
                self._prune(now)
        elif state[0] != index:
            state[2] = state[1] if state[0] == index - 1 else 0
            state[0], state[1] = index, 0
        elapsed = (now - index * tier.seconds) / tier.seconds
        return state, state[2] * (1.0 - elapsed) + state[1]

    async def hit(self, tier: Tier, key: str) -> Decision:
        state, weighted = self._window(tier, key, self._clock())
        allowed = weighted + 1 <= tier.amount
        if allowed:
            state[1] += 1
            weighted += 1
        index, current, previous = state
        return decide(tier, index, current, previous, weighted, allowed)

    async def peek(self, tier: Tier, key: str) -> Decision:
        state, weighted = self._window(tier, key, self._clock())
        index, current, previous = state
        return decide(tier, index, current, previous, weighted, weighted + 1 <= tier.amount)

    async def clear(self, tier: Tier, key: str) -> None:
        self._windows.pop((tier, key), None)

    def _prune(self, now: float) -> None:
        stale = [
            k for k, (index, _, _) in self._windows.items() if index < int(now // k[0].seconds) - 1
        ]
        for k in stale:
            del self._windows[k]


class SharedCounters:
    """Counters in a storage several processes share, through the `limits` library (for
    storages other than Redis, which redis_counters.py reaches in one round trip); storage
    failures are raised as `limits.errors.StorageError`."""

    def __init__(self, storage_uri: str) -> None:
        if not storage_uri.startswith("async+"):
            storage_uri = "async+" + storage_uri
        storage = storage_from_string(storage_uri, wrap_exceptions=True)
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._items: dict[Tier, RateLimitItem] = {}

    def _item(self, tier: Tier) -> RateLimitItem:
        item = self._items.get(tier)
        if item is None:
            item = self._items[tier] = RateLimitItemPerSecond(
                tier.amount,
                tier.seconds,
                namespace=f"clopos-{tier.name}" if tier.name else "clopos",
            )
        return item

    async def _decision(self, tier: Tier, key: str, allowed: bool) -> Decision:
        stats = await self._limiter.get_window_stats(self._item(tier), key)
        return Decision(allowed, tier.amount, max(0, stats.remaining), stats.reset_time)

    async def hit(self, tier: Tier, key: str) -> Decision:
        return await self._decision(tier, key, await self._limiter.hit(self._item(tier), key))

    async def peek(self, tier: Tier, key: str) -> Decision:
        return await self._decision(tier, key, await self._limiter.test(self._item(tier), key))

    async def clear(self, tier: Tier, key: str) -> None:
        await self._limiter.clear(self._item(tier), key)


def counters_for(settings: Settings) -> Counters:
    """The counters the settings name: this process's own, or shared ones (Redis) with this
    process's own standing in while the shared storage does not answer."""
    uri = settings.counter_storage
    if uri.startswith("memory://"):
        return LocalCounters()
    # Imported only here: they bring the redis client, 55-90 ms of imports a server counting
    # in its own process does without.
    from clopos.server.auth.fallback import FallbackCounters
    from clopos.server.auth.redis_counters import RedisCounters

    shared: Counters
    if uri.startswith(("redis://", "rediss://", "unix://")):
        shared = RedisCounters(uri, settings.redis_timeout)
    else:
        shared = SharedCounters(uri)
    return FallbackCounters(shared, LocalCounters())


def _tier(amount: int, seconds: int, name: str) -> Tier | None:
    return Tier(amount, seconds, name) if amount > 0 else None


class RateLimits:
    """The configured tiers over one set of counters."""

    def __init__(self, settings: Settings) -> None:
        self.counters = counters_for(settings)
        self.auth = _tier(settings.auth_per_minute, 60, "auth")
        self.failed = _tier(settings.failed_per_minute, 60, "failed")
        self.tenant = _tier(settings.tenant_per_minute, 60, "tenant")
        self.v1_minute = _tier(settings.v1_per_minute, 60, "v1_minute")
        self.v1_hour = _tier(settings.v1_per_hour, 3600, "v1_hour")
        self.lockout = _tier(settings.lockout_attempts, settings.lockout_seconds, "lockout")
        # Refusals by tier name, for the metrics.
        self.refused: collections.Counter[str] = collections.Counter()
        # With shared counters, this process's own count of the failed requests it answered:
        # every guarded request checks that tier first, and an address that has failed
        # nothing here in the window is not worth a round trip to Redis. A flood spread over
        # instances still meets the shared count on each instance from its first failure
        # there on (one round trip a guarded request instead of two: docs/performance.md).
        self._failures_here = None if isinstance(self.counters, LocalCounters) else LocalCounters()

    def _failed_here(self, tier: Tier, key: str) -> LocalCounters | None:
        return self._failures_here if tier is self.failed else None

    async def hit(self, tier: Tier | None, key: str) -> Decision | None:
        """Count one request against `tier`; None when the tier is disabled."""
        if tier is None:
            return None
        here = self._failed_here(tier, key)
        if here is not None:
            await here.hit(tier, key)
        decision = await self.counters.hit(tier, key)
        if not decision.allowed:
            self.refused[tier.name] += 1
        return decision

    async def peek(self, tier: Tier | None, key: str) -> Decision | None:
        """Whether one more request would pass, without counting it."""
        if tier is None:
            return None
        here = self._failed_here(tier, key)
        if here is not None:
            untouched = await here.peek(tier, key)
            if untouched.remaining == tier.amount:
                return untouched
        decision = await self.counters.peek(tier, key)
        if not decision.allowed:
            self.refused[tier.name] += 1
        return decision

    async def clear(self, tier: Tier | None, key: str) -> None:
        if tier is not None:
            await self.counters.clear(tier, key)


def tightest(*decisions: Decision | None) -> Decision | None:
    """The decision that binds: a refusal first, else the one with the fewest requests left."""
    present = [d for d in decisions if d is not None]
    if not present:
        return None
    refused = [d for d in present if not d.allowed]
    return (refused or sorted(present, key=lambda d: d.remaining))[0]


def v1_headers(decision: Decision) -> dict[str, str]:
    """The documented v1 headers: `X-RateLimit-Reset` is an epoch second."""
    headers = {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
        "X-RateLimit-Reset": str(math.ceil(decision.reset_at)),
    }
    if not decision.allowed:
        headers["Retry-After"] = str(decision.reset_in)
    return headers


def v2_headers(decision: Decision) -> dict[str, str]:
    """The IETF headers v2 documents: `RateLimit-Reset` is seconds until reset."""
    headers = {
        "RateLimit-Limit": str(decision.limit),
        "RateLimit-Remaining": str(decision.remaining),
        "RateLimit-Reset": str(decision.reset_in),
    }
    if not decision.allowed:
        headers["Retry-After"] = str(decision.reset_in)
    return headers
