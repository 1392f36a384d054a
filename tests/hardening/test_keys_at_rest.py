"""Issue 11, item 2: the database alone does not let anyone sign a token.

The token attack list for a holder of a database copy: every byte string the `signing_keys`
table holds (and every 32-byte window of it) is tried as the HS256 key of a token with the
server's kid and a real token's claims; every such token must be refused. A copy of the
database opened with another server key yields no key at all. The SQLite files and the data
directory are this user's only.
"""

from __future__ import annotations

import base64
import os
import stat
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clopos.core import sealing
from clopos.core.access.brands import brand_id_of
from clopos.core.access.table import SigningKey
from clopos.core.sealing import Seal, SealError
from clopos.core.webhooks import subscriptions
from clopos.core.webhooks.table import WebhookSubscription
from clopos.server.auth.keys import KeyRing
from clopos.store.base import utcnow
from tests.legacy_seals import format1_seal
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
        _call(live, live.state.db.read, KeyRing.load, Seal(b"another server key"))
    for kid, stored in _rows(live):
        with pytest.raises(SealError):
            Seal(b"another server key").open(kid, stored)


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
    assert plain not in stored and sealing.version(stored) == sealing.CURRENT
    assert live.http.get("/open-api/v2/venues", headers={"x-token": token}).status_code == 200


def test_keys_sealed_by_the_release_before_are_sealed_anew_on_start(make_server: Any) -> None:
    """A key in the seal's format 1 (tests/legacy_seals.py), as a database of the release
    before holds it: the next start (any `clopos admin` command initialises) seals it in
    the current format, bound to the same kid, and the tokens it signed are valid. Until
    then this release does not use it (only a start reads format 1)."""
    live = make_server()
    plain = os.urandom(32)
    old = format1_seal(live.state.settings.hashing_key, "0ld5eed1", plain, os.urandom(16))

    def legacy(session: Session) -> None:
        session.add(SigningKey(kid="0ld5eed1", secret=old))

    _call(live, live.state.db.write, legacy)
    token = _forge(live, "0ld5eed1", plain)
    assert live.http.get("/open-api/v2/venues", headers={"x-token": token}).status_code == 401
    live.admin("keys", "list")
    stored = dict(_rows(live))["0ld5eed1"]
    assert sealing.version(stored) == sealing.CURRENT and stored != old
    assert Seal(live.state.settings.hashing_key).open("0ld5eed1", stored) == plain
    assert live.http.get("/open-api/v2/venues", headers={"x-token": token}).status_code == 200
    # Sealed anew once: a second start leaves it as it is.
    live.admin("keys", "list")
    assert dict(_rows(live))["0ld5eed1"] == stored


def test_webhook_secrets_sealed_by_the_release_before_are_sealed_anew_on_start(
    make_server: Any,
) -> None:
    """A subscription's secret and previous secret in format 1 are sealed in the current
    format by the next start and sign as they did; a secret that does not open (another
    server key's) is left as it is, and refused as before."""
    live = make_server(webhooks=False)
    seal = live.state.seal
    key = live.state.settings.hashing_key
    brand_id = _call(live, live.state.db.read, brand_id_of, "openapitest")
    made = [
        _call(live, live.state.db.write, subscriptions.add, brand_id, url, ["*"], seal)
        for url in ("https://a.invalid/h", "https://b.invalid/h")
    ]
    current, previous = os.urandom(32), os.urandom(32)
    ours, foreign = made[0].subscription["id"], made[1].subscription["id"]
    name = f"webhook:{ours}"
    old = {
        "secret": format1_seal(key, name, current, os.urandom(16)),
        "previous_secret": format1_seal(key, name, previous, os.urandom(16)),
    }
    not_ours = format1_seal(b"another server key", f"webhook:{foreign}", current, bytes(16))

    def legacy(session: Session) -> None:
        row = session.get_one(WebhookSubscription, ours)
        row.secret, row.previous_secret = old["secret"], old["previous_secret"]
        row.previous_until = utcnow() + timedelta(hours=1)
        session.get_one(WebhookSubscription, foreign).secret = not_ours

    def signing(session: Session, subscription_id: str) -> list[str]:
        row = session.get_one(WebhookSubscription, subscription_id)
        return subscriptions.signing_secrets(row, seal)

    def stored(session: Session) -> dict[str, tuple[bytes, bytes | None]]:
        rows = session.scalars(select(WebhookSubscription))
        return {
            r.id: (bytes(r.secret), r.previous_secret and bytes(r.previous_secret)) for r in rows
        }

    _call(live, live.state.db.write, legacy)
    live.admin("keys", "list")
    after = _call(live, live.state.db.read, stored)
    secret, previous_secret = after[ours]
    assert previous_secret is not None
    assert {sealing.version(secret), sealing.version(previous_secret)} == {sealing.CURRENT}
    assert secret != old["secret"] and previous_secret != old["previous_secret"]
    expected = [_whsec(current), _whsec(previous)]
    assert _call(live, live.state.db.read, signing, ours) == expected
    assert after[foreign] == (not_ours, None)
    with pytest.raises(SealError):
        _call(live, live.state.db.read, signing, foreign)


def _whsec(raw: bytes) -> str:
    return "whsec_" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_tampered_sealed_key_is_refused(make_server: Any) -> None:
    live = make_server()
    kid = live.state.tokens.keys.signing.kid
    stored = dict(_rows(live))[kid]
    flipped = stored[:-1] + bytes([stored[-1] ^ 1])
    with pytest.raises(SealError):
        Seal(Path(live.data_dir / "secret.key").read_bytes().strip()).open(kid, flipped)

    def tamper(session: Session) -> None:
        session.execute(update(SigningKey).where(SigningKey.kid == kid).values(secret=flipped))

    _call(live, live.state.db.write, tamper)
    with pytest.raises(RuntimeError, match="no usable signing key"):
        _call(live, live.state.db.read, KeyRing.load, Seal(live.state.settings.hashing_key))


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
