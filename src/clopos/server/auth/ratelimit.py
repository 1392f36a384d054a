"""Rate limits, as the reference documents them, on the `limits` library.

Tiers (each a sliding window, each configurable, 0 disables):
- auth: POST /auth attempts per client IP (60/min);
- failed: responses >= 400 per client IP, checked before token validation (600/min);
- tenant: v2 requests per integrator and brand (300/min); v1 requests per client
  (100/min and 1000/h);
- lockout: wrong secrets per client id (10 per 5 minutes), refusing even the right one.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute
from limits import RateLimitItemPerSecond as PerSecond
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string

from clopos.server.settings import Settings


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


def _item(amount: int, factory: type[RateLimitItem], multiples: int = 1) -> RateLimitItem | None:
    return factory(amount, multiples, namespace="clopos") if amount > 0 else None


class RateLimits:
    """The configured tiers over one storage (memory by default, Redis to share counters)."""

    def __init__(self, settings: Settings) -> None:
        storage_uri = settings.rate_limit_storage
        if "://" in storage_uri and not storage_uri.startswith("async+"):
            storage_uri = "async+" + storage_uri
        self._limiter = SlidingWindowCounterRateLimiter(storage_from_string(storage_uri))
        self.auth = _item(settings.auth_per_minute, RateLimitItemPerMinute)
        self.failed = _item(settings.failed_per_minute, RateLimitItemPerMinute)
        self.tenant = _item(settings.tenant_per_minute, RateLimitItemPerMinute)
        self.v1_minute = _item(settings.v1_per_minute, RateLimitItemPerMinute)
        self.v1_hour = _item(settings.v1_per_hour, RateLimitItemPerHour)
        self.lockout = _item(settings.lockout_attempts, PerSecond, settings.lockout_seconds)

    async def hit(self, item: RateLimitItem | None, key: str) -> Decision | None:
        """Count one request against `item`; None when the tier is disabled."""
        if item is None:
            return None
        allowed = await self._limiter.hit(item, key)
        return await self._decision(item, key, allowed)

    async def peek(self, item: RateLimitItem | None, key: str) -> Decision | None:
        """Whether one more request would pass, without counting it."""
        if item is None:
            return None
        allowed = await self._limiter.test(item, key)
        return await self._decision(item, key, allowed)

    async def _decision(self, item: RateLimitItem, key: str, allowed: bool) -> Decision:
        stats = await self._limiter.get_window_stats(item, key)
        return Decision(allowed, item.amount, max(0, stats.remaining), stats.reset_time)

    async def clear(self, item: RateLimitItem | None, key: str) -> None:
        if item is not None:
            await self._limiter.clear(item, key)


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
