"""Issue 11, item 2: the database alone does not let anyone sign a token.

The token attack list for a holder of a database copy: every byte string the `signing_keys`
table holds (and every 32-byte window of it) is tried as the HS256 key of a token with the
server's kid and a real token's claims; every such token must be refused. A copy of the
database opened with another server key yields no key at all. The SQLite files and the data
directory are this user's only.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clopos.core.access.table import SigningKey
from clopos.server.auth.keys import KeyRing, KeySeal, KeySealError
from tests.support import LiveServer, serve_in_process


def _rows(live: LiveServer) -> list[tuple[str, bytes]]:
    """What a reader of the database sees in `signing_keys` (a backup, a read-only role)."""

    def read(session: Session) -> list[tuple[str, bytes]]:
        return [(r.kid, bytes(r.secret)) for r in session.scalars(select(SigningKey))]

    return _call(live, live.state.db.read, read)


def _call(live: LiveServer, fn: Any, *args: Any) -> Any:
    portal = live._portal
    assert portal is not None
    return portal.call(fn, *args)


def _candidates(stored: bytes) -> list[bytes]:
    found = {stored}
    for size in (32, 64):
        found |= {stored[i : i + size] for i in range(0, max(1, len(stored) - size + 1))}
    return sorted(found)


def _forge(live: LiveServer, kid: str, key: bytes) -> str:
    claims = jwt.decode(live.v2_headers()["x-token"], options={"verify_signature": False})
    claims["iat"] = int(time.time()) - 5
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": kid})


def test_keys_read_from_the_database_sign_nothing(make_server: Any) -> None:
    live = make_server()
    rows = _rows(live)
    assert rows
    tried = 0
    for kid, stored in rows:
        for key in _candidates(stored):
            token = _forge(live, kid, key)
            response = live.http.get("/open-api/v2/customers", headers={"x-token": token})
            assert response.status_code == 401, (kid, len(key), response.text)
            tried += 1
    assert tried > 10
    # The control: the key the server holds in memory does sign (so the forging is right).
    signing = live.state.tokens.keys.signing
    token = _forge(live, signing.kid, signing.secret)
    assert live.http.get("/open-api/v2/customers", headers={"x-token": token}).status_code == 200
    # And it appears nowhere in what the database holds.
    assert all(signing.secret not in stored for _, stored in rows)


def test_a_database_copy_without_the_server_key_opens_no_key(make_server: Any) -> None:
    live = make_server()
    with pytest.raises(RuntimeError, match="no usable signing key"):
        _call(live, live.state.db.read, KeyRing.load, KeySeal(b"another server key"))
    for kid, stored in _rows(live):
        with pytest.raises(KeySealError):
            KeySeal(b"another server key").open(kid, stored)


def test_keys_stored_in_clear_are_sealed_on_start_and_keep_their_tokens(make_server: Any) -> None:
    """A database from before sealing: its plain key is sealed by the next start (any
    `clopos admin` or `clopos serve` initialises), and the tokens it signed stay valid."""
    live = make_server()
    plain = os.urandom(32)

    def legacy(session: Session) -> None:
        session.add(SigningKey(kid="legacy01", secret=plain))

    _call(live, live.state.db.write, legacy)
    # In clear, the server refuses to use it (a database writer could have put it there).
    token = _forge(live, "legacy01", plain)
    assert live.http.get("/open-api/v2/venues", headers={"x-token": token}).status_code == 401
    live.admin("keys", "list")  # initialises the database, as a start does
    stored = dict(_rows(live))["legacy01"]
    assert plain not in stored and KeySeal.is_sealed(stored)
    assert live.http.get("/open-api/v2/venues", headers={"x-token": token}).status_code == 200


def test_a_tampered_sealed_key_is_refused(make_server: Any) -> None:
    live = make_server()
    kid = live.state.tokens.keys.signing.kid
    stored = dict(_rows(live))[kid]
    flipped = stored[:-1] + bytes([stored[-1] ^ 1])
    with pytest.raises(KeySealError):
        KeySeal(Path(live.data_dir / "secret.key").read_bytes().strip()).open(kid, flipped)

    def tamper(session: Session) -> None:
        session.execute(update(SigningKey).where(SigningKey.kid == kid).values(secret=flipped))

    _call(live, live.state.db.write, tamper)
    with pytest.raises(RuntimeError, match="no usable signing key"):
        _call(live, live.state.db.read, KeyRing.load, KeySeal(live.state.settings.hashing_key))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_files_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    with serve_in_process(data_dir) as live:
        assert (
            live.http.post(
                "/open-api/v2/customers", headers=live.v2_headers(), json={"name": "Mode check"}
            ).status_code
            == 200
        )
        files = [*sorted(data_dir.glob("clopos.db*")), data_dir / "secret.key"]
        assert {p.name for p in files} >= {"clopos.db", "clopos.db-wal", "clopos.db-shm"}
        modes = {p.name: oct(_mode(p)) for p in files}
        assert set(modes.values()) == {"0o600"}, modes
        assert _mode(data_dir) == 0o700


def test_files_left_readable_by_an_older_version_are_narrowed(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    with serve_in_process(data_dir):
        pass
    data_dir.chmod(0o755)
    for path in data_dir.glob("clopos.db*"):
        path.chmod(0o644)
    with serve_in_process(data_dir):
        for path in data_dir.glob("clopos.db*"):
            assert _mode(path) == 0o600, path
        assert _mode(data_dir) == 0o700
