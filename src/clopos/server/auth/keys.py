"""Signing keys: loaded once into memory, identified by `kid`, rotated without breaking tokens.

Keys are sealed at rest with the server's key (`CLOPOS_SECRET_KEY`, else
`data_dir/secret.key`): the `signing_keys` table holds, for each kid, a random nonce, the key
masked with a pad only the server key can make, and a tag that tells a wrong server key from
a right one. A copy of the database (a file, a backup, read access to PostgreSQL) without the
server key holds nothing a token can be signed with. See docs/security.md for the choice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clopos.core.access.table import SigningKey
from clopos.store.base import utcnow

ALGORITHM = "HS256"
KEY_BYTES = 32
log = logging.getLogger("clopos.keys")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hkdf_sha256(key: bytes, info: bytes, length: int = 32, salt: bytes = b"") -> bytes:
    """HKDF (RFC 5869) with SHA-256: extract, then expand to `length` bytes."""
    prk = hmac.new(salt or bytes(32), key, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


class KeySealError(Exception):
    """A stored signing key cannot be opened with this server key (or is not sealed)."""


class KeySeal:
    """Seals signing keys with subkeys derived (HKDF) from the server key.

    Stored form: `MAGIC | nonce (16) | key XOR pad (32) | tag (16)`, where
    `pad = HMAC(wrap_key, nonce | kid)` and `tag = HMAC(mac_key, kid | nonce | masked)`.
    Each seal draws a fresh nonce, so no pad is ever used twice; the tag binds the sealed key
    to its kid and refuses a wrong server key instead of signing with garbage.
    """

    MAGIC = b"CKS1"
    NONCE = 16
    TAG = 16
    SIZE = len(MAGIC) + NONCE + KEY_BYTES + TAG

    def __init__(self, server_key: bytes) -> None:
        self._wrap = hkdf_sha256(server_key, b"clopos signing-key wrap v1")
        self._mac = hkdf_sha256(server_key, b"clopos signing-key tag v1")

    def _pad(self, nonce: bytes, kid: str) -> bytes:
        return hmac.new(self._wrap, nonce + kid.encode(), hashlib.sha256).digest()

    def _tag(self, kid: str, nonce: bytes, masked: bytes) -> bytes:
        digest = hmac.new(self._mac, kid.encode() + b"\x00" + nonce + masked, hashlib.sha256)
        return digest.digest()[: self.TAG]

    @classmethod
    def is_sealed(cls, stored: bytes) -> bool:
        return len(stored) == cls.SIZE and stored.startswith(cls.MAGIC)

    def seal(self, kid: str, key: bytes) -> bytes:
        if len(key) != KEY_BYTES:
            raise ValueError(f"signing keys are {KEY_BYTES} bytes")
        nonce = secrets.token_bytes(self.NONCE)
        masked = bytes(a ^ b for a, b in zip(key, self._pad(nonce, kid), strict=True))
        return self.MAGIC + nonce + masked + self._tag(kid, nonce, masked)

    def open(self, kid: str, stored: bytes) -> bytes:
        if not self.is_sealed(stored):
            raise KeySealError(f"signing key {kid} is not sealed")
        body = stored[len(self.MAGIC) :]
        nonce, masked, tag = (
            body[: self.NONCE],
            body[self.NONCE : self.NONCE + KEY_BYTES],
            body[self.NONCE + KEY_BYTES :],
        )
        if not hmac.compare_digest(tag, self._tag(kid, nonce, masked)):
            raise KeySealError(
                f"signing key {kid} was sealed with another server key "
                "(CLOPOS_SECRET_KEY or data_dir/secret.key changed?)"
            )
        return bytes(a ^ b for a, b in zip(masked, self._pad(nonce, kid), strict=True))


@dataclass(frozen=True, slots=True)
class LoadedKey:
    kid: str
    secret: bytes
    # The encoded JWT header this key always produces: lets the verifier pick the key from
    # the token's first segment with one dict lookup, without decoding JSON.
    header_segment: str


class KeyRing:
    """The keys a process signs and verifies with."""

    def __init__(self, keys: list[LoadedKey], signing_kid: str) -> None:
        self.by_kid = {key.kid: key for key in keys}
        self.by_header = {key.header_segment: key for key in keys}
        self.signing = self.by_kid[signing_kid]

    @staticmethod
    def header_segment(kid: str) -> str:
        return _b64(orjson.dumps({"alg": ALGORITHM, "kid": kid, "typ": "JWT"}))

    @classmethod
    def load(cls, session: Session, seal: KeySeal) -> KeyRing:
        """The keys this server key opens. A key it cannot open (sealed with another server
        key, or stored in clear by someone writing to the database) is left out and logged:
        it signs nothing and verifies nothing."""
        rows = (session.scalars(select(SigningKey).order_by(SigningKey.created_at))).all()
        keys: list[LoadedKey] = []
        active: list[str] = []
        refused: list[str] = []
        for row in rows:
            try:
                secret = seal.open(row.kid, row.secret)
            except KeySealError as error:
                refused.append(str(error))
                continue
            keys.append(LoadedKey(row.kid, secret, cls.header_segment(row.kid)))
            if row.retired_at is None:
                active.append(row.kid)
        for reason in refused:
            log.error("ignoring %s", reason)
        if not active:
            if refused:
                raise RuntimeError("no usable signing key: " + "; ".join(refused))
            raise RuntimeError("no active signing key: the schema was not initialised")
        return cls(keys, active[-1])


def ensure_signing_key(session: Session, seal: KeySeal) -> list[str]:
    """Seal any key stored in clear (databases from before sealing), and create the first
    key when there is none. Answers the kids sealed now."""
    sealed = []
    for row in session.scalars(select(SigningKey)).all():
        if not KeySeal.is_sealed(row.secret) and len(row.secret) == KEY_BYTES:
            row.secret = seal.seal(row.kid, row.secret)
            sealed.append(row.kid)
    if session.scalar(select(SigningKey.kid).where(SigningKey.retired_at.is_(None))) is None:
        kid = secrets.token_hex(4)
        session.add(SigningKey(kid=kid, secret=seal.seal(kid, secrets.token_bytes(KEY_BYTES))))
    session.flush()
    return sealed


def rotate_signing_key(
    session: Session, seal: KeySeal, keep_for: timedelta
) -> tuple[str, list[str]]:
    """Start signing with a new key; keep retired keys while tokens they signed may live.

    Answers the new kid and the kids purged (retired longer than `keep_for` ago).
    """
    now = utcnow()
    for key in (session.scalars(select(SigningKey))).all():
        if key.retired_at is None:
            key.retired_at = now
    cutoff: datetime = now - keep_for
    purged = list(
        (
            session.scalars(
                select(SigningKey.kid).where(
                    SigningKey.retired_at.is_not(None), SigningKey.retired_at < cutoff
                )
            )
        ).all()
    )
    if purged:
        session.execute(delete(SigningKey).where(SigningKey.kid.in_(purged)))
    kid = secrets.token_hex(4)
    secret = seal.seal(kid, secrets.token_bytes(KEY_BYTES))
    session.add(SigningKey(kid=kid, secret=secret, created_at=now))
    session.flush()
    return kid, purged
