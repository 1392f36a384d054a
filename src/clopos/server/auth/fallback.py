"""What the counters do when the shared storage (Redis) does not answer.

The policy: neither open nor closed, but local. While Redis is unreachable or too slow
(`CLOPOS_REDIS_TIMEOUT`), each process counts in its own memory, as a single process does
without Redis: every limit, lockout and sign-in throttle still holds, per process, instead
of being lifted for everyone (fail open) or refusing every request (fail closed, an outage
of the whole API for a cache's sake). It is logged once when it starts and once when Redis
answers again; in between, Redis is tried again every few seconds, not at every request, so
a Redis that times out costs one timeout per process per retry, never one per request.
Counts made locally are not carried over to Redis when it returns (a window's worth of
requests may then pass twice, at most).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from limits.errors import StorageError
from redis.exceptions import RedisError

from clopos.server.auth.ratelimit import Counters, Decision, Tier

log = logging.getLogger("clopos.server")

T = TypeVar("T")

# What a storage that is gone or stalled raises: the redis client's errors (RedisCounters),
# or `limits`' StorageError around those of the other storages (SharedCounters).
_UNAVAILABLE = (StorageError, RedisError, OSError, TimeoutError)


class FallbackCounters:
    """`shared` counters, or `local` ones while `shared` fails; retried every `retry` s."""

    def __init__(
        self,
        shared: Counters,
        local: Counters,
        *,
        retry: float = 5.0,
        deadline: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.shared = shared
        self.local = local
        self._retry = retry
        # A bound on a whole call (several round trips), beside the client's own timeouts.
        self._deadline = deadline
        self._monotonic = monotonic
        self._down_until: float | None = None
        self.failures = 0  # calls the shared storage failed (for the metrics)

    @property
    def shared_up(self) -> bool:
        """Whether the last call reached the shared storage."""
        return self._down_until is None

    async def _call(
        self, shared: Callable[[], Awaitable[T]], local: Callable[[], Awaitable[T]]
    ) -> T:
        down_until = self._down_until
        if down_until is not None and self._monotonic() < down_until:
            return await local()
        try:
            async with asyncio.timeout(self._deadline):
                result = await shared()
        except _UNAVAILABLE as error:
            self.failures += 1
            if self._down_until is None:
                log.warning(
                    "rate-limit storage unreachable (%s: %s); counting in this process "
                    "until it answers again",
                    type(error).__name__,
                    str(error)[:200] or "no detail",
                )
            self._down_until = self._monotonic() + self._retry
            return await local()
        if self._down_until is not None:
            self._down_until = None
            log.warning("rate-limit storage answers again; counting there")
        return result

    async def hit(self, tier: Tier, key: str) -> Decision:
        return await self._call(
            lambda: self.shared.hit(tier, key), lambda: self.local.hit(tier, key)
        )

    async def peek(self, tier: Tier, key: str) -> Decision:
        return await self._call(
            lambda: self.shared.peek(tier, key), lambda: self.local.peek(tier, key)
        )

    async def clear(self, tier: Tier, key: str) -> None:
        # Both: a count made here while Redis was away must not outlive its clearing.
        await self.local.clear(tier, key)
        await self._call(lambda: self.shared.clear(tier, key), lambda: self.local.clear(tier, key))
