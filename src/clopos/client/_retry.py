"""When to try a request again and how long to wait first; pure decisions, no I/O.

The sync and async clients share this; only their sleeping differs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from clopos.client._errors import (
    APIConnectionError,
    CloposError,
    ConflictError,
    InternalServerError,
    RateLimitError,
)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# The 409 answering a request whose Idempotency-Key an earlier attempt still holds.
IN_PROGRESS = "idempotency_key_in_use"


def is_replay_safe(method: str, idempotency_key: str | None) -> bool:
    """Whether sending the request twice cannot do anything twice."""
    return method.upper() in IDEMPOTENT_METHODS or bool(idempotency_key)


# A reset header larger than this is an epoch timestamp, not a number of seconds.
_EPOCH_THRESHOLD = 1_000_000_000


def _seconds(value: str | None, now: float) -> float | None:
    if value is None:
        return None
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            return None
    if number != number or number < 0:  # NaN or negative: ignore the header
        return None
    if number >= _EPOCH_THRESHOLD:
        return max(0.0, number - now)
    return number


def server_delay(
    headers: Mapping[str, str], now: float | None = None, *, rate_limited: bool = True
) -> float | None:
    """Seconds the server asks us to wait, from the first header present of:

    `Retry-After` (seconds or HTTP date), and for a rate-limited answer `RateLimit-Reset`
    (IETF, seconds; v2) and `X-RateLimit-Reset` (epoch seconds; v1). Values past 10^9 are
    read as epoch seconds whichever header carries them, since servers disagree. The rate
    headers come with every answer: on anything but a 429 their reset is when the window
    turns over, not advice on when to try again.
    """
    wall = time.time() if now is None else now
    names = (
        ("retry-after", "ratelimit-reset", "x-ratelimit-reset")
        if rate_limited
        else ("retry-after",)
    )
    for name in names:
        delay = _seconds(headers.get(name), wall)
        if delay is not None:
            return delay
    return None


@dataclass(frozen=True)
class RetryPolicy:
    """Retry connection failures, 429 and 5xx of idempotent requests, with capped backoff;
    and a 409 `idempotency_key_in_use` (the first attempt under this key is still running:
    a retry after its answer was lost), after the server's `Retry-After`.

    A request is "replay safe" when its method is idempotent or it carries an `Idempotency-Key`
    (which the client generates once per logical call). `random` is the only source of jitter,
    so tests can pin it.
    """

    max_retries: int = 2
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    # The longest server-advised wait we accept; beyond it we raise instead of sleeping.
    max_server_delay: float = 60.0
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.backoff_initial < 0 or self.backoff_max < 0 or self.max_server_delay < 0:
            raise ValueError("delays must be >= 0")

    def is_retryable(self, error: CloposError, *, replay_safe: bool) -> bool:
        """Whether `error` is worth another attempt of this request at all."""
        if not replay_safe:
            return False
        if isinstance(error, APIConnectionError):
            return error.transient
        if isinstance(error, ConflictError):
            return error.error == IN_PROGRESS
        return isinstance(error, RateLimitError | InternalServerError)

    def backoff(self, retry_number: int) -> float:
        """Exponential backoff for the n-th retry (1-based) with jitter in [50 %, 100 %]."""
        base = min(self.backoff_max, self.backoff_initial * 2.0 ** (retry_number - 1))
        return base * (0.5 + 0.5 * self.random())

    def delay(
        self,
        error: CloposError,
        *,
        retry_number: int,
        replay_safe: bool,
        now: float | None = None,
    ) -> float | None:
        """Seconds to wait before retry `retry_number` (1-based), or None to raise `error`."""
        if retry_number > self.max_retries:
            return None
        if not self.is_retryable(error, replay_safe=replay_safe):
            return None
        backoff = self.backoff(retry_number)
        advised = (
            server_delay(
                error.response.headers, now, rate_limited=isinstance(error, RateLimitError)
            )
            if error.response is not None
            else None
        )
        if advised is None:
            return backoff
        if advised > self.max_server_delay:
            # Waiting less than the server asked would only earn another 429.
            return None
        return max(advised, backoff)
