"""Tokens, their keys, their expiry arithmetic, and the in-memory store both clients share.

Expiry is tracked on the monotonic clock so that wall-clock jumps (NTP, suspend, manual
changes) never make a live token look expired or an expired one look live.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from clopos.client._token_file import TokenFile

Clock = Callable[[], float]

MAX_REFRESH_MARGIN = 300.0


def refresh_margin(ttl: float) -> float:
    """How long before expiry to refresh: five minutes, or half the lifetime if shorter."""
    return min(MAX_REFRESH_MARGIN, ttl / 2)


class TokenKey(NamedTuple):
    """What a token is valid for. v1 tokens are bound to a venue, v2 tokens to an integrator."""

    base_url: str
    client_id: str
    brand: str
    scope: str  # "venue:<id>" (v1) or "integrator:<id>" (v2)

    def __str__(self) -> str:
        return f"{self.brand}@{self.base_url} [{self.scope}, client {self.client_id}]"


@dataclass(frozen=True, slots=True)
class Token:
    """A token value with its refresh and expiry instants on the monotonic clock."""

    value: str = field(repr=False)
    refresh_at: float
    expires_at: float

    @classmethod
    def issued(cls, value: str, ttl: float, *, requested_at: float) -> Token:
        # Counting from when the request left (not when the answer arrived) errs on the safe side.
        ttl = max(0.0, ttl)
        expires_at = requested_at + ttl
        return cls(value, expires_at - refresh_margin(ttl), expires_at)

    def is_fresh(self, now: float) -> bool:
        """Whether to keep using it without refreshing."""
        return now < self.refresh_at

    def is_usable(self, now: float) -> bool:
        """Whether the server should still accept it (refresh is due but not yet required)."""
        return now < self.expires_at

    def remaining(self, now: float) -> float:
        return self.expires_at - now


class TokenStore:
    """One token per key, in memory and optionally on disk.

    Thread-safe; its lock guards only dictionary operations, never I/O on the network, so
    async code may call it without yielding while holding anything.
    """

    def __init__(
        self,
        file: TokenFile | None = None,
        *,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
    ) -> None:
        self._tokens: dict[TokenKey, Token] = {}
        self._guard = threading.Lock()
        self._file = file
        self._clock = clock
        self._wall_clock = wall_clock

    @property
    def file(self) -> TokenFile | None:
        return self._file

    def get(self, key: TokenKey) -> Token | None:
        with self._guard:
            token = self._tokens.get(key)
        if token is not None or self._file is None:
            return token
        return self._load(key)

    def put(self, key: TokenKey, token: Token) -> None:
        with self._guard:
            self._tokens[key] = token
        if self._file is not None:
            offset = self._wall_clock() - self._clock()
            self._file.store(key, token.value, expires_at=token.expires_at + offset)

    def drop(self, key: TokenKey, rejected: Token) -> bool:
        """Forget `key`'s token only if it is still `rejected`; a fresher one stays."""
        with self._guard:
            current = self._tokens.get(key)
            if current is not None and current.value != rejected.value:
                return False
            self._tokens.pop(key, None)
        if self._file is not None:
            self._file.discard(key, rejected.value)
        return current is not None

    def _load(self, key: TokenKey) -> Token | None:
        assert self._file is not None
        entry = self._file.load(key)
        if entry is None:
            return None
        value, wall_expiry = entry
        remaining = wall_expiry - self._wall_clock()
        if remaining <= 0:
            return None
        now = self._clock()
        # The original lifetime is unknown here; treating what is left as the lifetime keeps the
        # margin proportionate for a token that has little time left.
        token = Token.issued(value, remaining, requested_at=now)
        with self._guard:
            token = self._tokens.setdefault(key, token)
        return token
