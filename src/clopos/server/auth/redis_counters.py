"""Rate-limit counters in Redis: one round trip a decision.

The same sliding window as the local counters (ratelimit.py): a fixed window's count plus
the window before's, weighted by how much of it the sliding window still covers. One Lua
script reads both counts, decides, and counts a passing hit, atomically, on Redis' clock
(so instances on several machines share one window whatever their clocks say), and answers
the counts the headers are made from. Through `limits`' Redis storage the same decision took
two round trips (its hit or test, then its window's figures for the headers): the figures
are in docs/performance.md.
"""

from __future__ import annotations

from redis.asyncio import Redis

from clopos.server.auth.ratelimit import Decision, Tier, decide

# KEYS[1]: the counter's name; ARGV: window seconds, limit, "hit" | "peek" | "clear".
# Answers {allowed, window index, count in it, count in the window before, now as text}.
# Each window's count lives under its own key (the name, then the window's index; the name
# in braces keeps both on one Redis Cluster slot), expiring once no window can weigh it.
_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local seconds = tonumber(ARGV[1])
local index = math.floor(now / seconds)
local current_key = KEYS[1] .. ':' .. index
local previous_key = KEYS[1] .. ':' .. (index - 1)
if ARGV[3] == 'clear' then
  redis.call('DEL', current_key, previous_key)
  return {1, index, 0, 0, tostring(now)}
end
local current = tonumber(redis.call('GET', current_key) or '0')
local previous = tonumber(redis.call('GET', previous_key) or '0')
local elapsed = (now - index * seconds) / seconds
local allowed = previous * (1 - elapsed) + current + 1 <= tonumber(ARGV[2])
if ARGV[3] == 'hit' and allowed then
  current = redis.call('INCR', current_key)
  if current == 1 then
    redis.call('EXPIRE', current_key, 2 * seconds + 1)
  end
end
return {allowed and 1 or 0, index, current, previous, tostring(now)}
"""


class RedisCounters:
    """Counters in Redis, each call bounded by `timeout` seconds (to connect, to answer);
    failures are the client's own errors (fallback.py stands in for Redis then)."""

    def __init__(self, url: str, timeout: float = 0.25) -> None:
        self.client = Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._script = self.client.register_script(_SCRIPT)

    async def _run(self, tier: Tier, key: str, action: str) -> Decision:
        name = f"clopos:{tier.name}:{tier.amount}:{tier.seconds}:{{{key}}}"
        answer = await self._script(keys=[name], args=[tier.seconds, tier.amount, action])
        allowed, index, current, previous, now = answer
        seconds = tier.seconds
        elapsed = (float(now) - int(index) * seconds) / seconds
        weighted = int(previous) * (1.0 - elapsed) + int(current)
        return decide(tier, int(index), int(current), int(previous), weighted, bool(allowed))

    async def hit(self, tier: Tier, key: str) -> Decision:
        return await self._run(tier, key, "hit")

    async def peek(self, tier: Tier, key: str) -> Decision:
        return await self._run(tier, key, "peek")

    async def clear(self, tier: Tier, key: str) -> None:
        await self._run(tier, key, "clear")
