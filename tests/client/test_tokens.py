"""Token lifetime arithmetic, the compare-and-drop store, and the on-disk cache."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos.client._token_file import TokenFile
from clopos.client._tokens import Token, TokenKey, TokenStore, refresh_margin
from tests.client.fakes import FakeClock

KEY = TokenKey("http://api.test", "client-1", "openapitest", "integrator:1")
OTHER = TokenKey("http://api.test", "client-1", "openapitest", "venue:2")


@given(ttl=st.integers(0, 10**7))  # expires_in is an integer on the wire
def test_margin_is_five_minutes_or_half_the_lifetime(ttl: int) -> None:
    assert refresh_margin(ttl) == min(300.0, ttl / 2)
    token = Token.issued("t", ttl, requested_at=50.0)
    assert token.expires_at == 50.0 + ttl
    assert token.refresh_at <= token.expires_at
    assert not token.is_fresh(token.refresh_at) and token.is_usable(token.refresh_at) == (ttl > 0)


def test_repr_hides_the_value() -> None:
    assert "secret-token" not in repr(Token.issued("secret-token", 60, requested_at=0))


def test_drop_only_forgets_the_rejected_token() -> None:
    store = TokenStore()
    old, new = Token.issued("old", 60, requested_at=0), Token.issued("new", 60, requested_at=0)
    store.put(KEY, new)
    assert store.drop(KEY, old) is False and store.get(KEY) == new
    assert store.drop(KEY, new) is True and store.get(KEY) is None


def test_cache_file_survives_the_process_and_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "tokens.json"
    wall, mono = FakeClock(1_800_000_000), FakeClock(5)
    TokenStore(TokenFile(path), clock=mono, wall_clock=wall).put(
        KEY, Token.issued("tok", 3600, requested_at=5)
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "tok" in path.read_text() and "client-1" not in path.read_text()

    wall.advance(600)  # a later process: different monotonic origin, same wall clock
    later = TokenStore(TokenFile(path), clock=FakeClock(99), wall_clock=wall)
    loaded = later.get(KEY)
    assert loaded is not None and loaded.value == "tok"
    assert loaded.remaining(99) == pytest.approx(3000)
    assert later.get(OTHER) is None


def test_expired_cache_entries_are_ignored(tmp_path: Path) -> None:
    wall = FakeClock(1_800_000_000)
    TokenStore(TokenFile(tmp_path / "t.json"), wall_clock=wall, clock=FakeClock(0)).put(
        KEY, Token.issued("tok", 60, requested_at=0)
    )
    wall.advance(61)
    assert TokenStore(TokenFile(tmp_path / "t.json"), wall_clock=wall).get(KEY) is None


def test_a_cache_readable_by_others_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    # Stores on the real clocks: issued now, so only the file mode can make it untrusted.
    TokenStore(TokenFile(path)).put(KEY, Token.issued("tok", 3600, requested_at=time.monotonic()))
    assert TokenStore(TokenFile(path)).get(KEY) is not None
    os.chmod(path, 0o644)
    assert TokenStore(TokenFile(path)).get(KEY) is None


def test_dropping_a_rejected_token_removes_it_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    # The store uses the real clocks: tokens must be issued now, not at monotonic zero.
    token = Token.issued("tok", 3600, requested_at=time.monotonic())
    store = TokenStore(TokenFile(path))
    store.put(KEY, token)
    store.put(OTHER, Token.issued("other", 3600, requested_at=time.monotonic()))
    store.drop(KEY, token)
    assert TokenStore(TokenFile(path)).get(KEY) is None
    assert TokenStore(TokenFile(path)).get(OTHER) is not None


def test_a_failed_write_leaves_the_previous_file_and_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    cache = TokenFile(path)
    cache.store(KEY, "tok", expires_at=2_000_000_000)
    before = path.read_bytes()
    with pytest.raises(TypeError):
        cache.store(OTHER, "x", expires_at=object())  # type: ignore[arg-type]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.json"]


def test_readers_never_see_a_partial_file_while_writers_replace_it(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    writers = [TokenFile(path) for _ in range(4)]
    writers[0].store(KEY, "t" * 5000, expires_at=2_000_000_000)
    stop = threading.Event()
    torn: list[str] = []

    def write(cache: TokenFile, n: int) -> None:
        for i in range(150):
            cache.store(TokenKey("u", str(n), "b", str(i % 7)), "t" * (5000 + i), expires_at=2e9)

    def read() -> None:
        while not stop.is_set():
            text = path.read_text()
            try:
                json.loads(text)
            except ValueError:
                torn.append(text[:50])

    reader = threading.Thread(target=read)
    reader.start()
    threads = [threading.Thread(target=write, args=(w, n)) for n, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    reader.join()
    assert torn == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]
