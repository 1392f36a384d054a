"""Signing keys: loaded once into memory, identified by `kid`, rotated without breaking tokens.

Keys are sealed at rest with the server's key (`CLOPOS_SECRET_KEY`, else
`data_dir/secret.key`) by core/sealing.py, each bound to its kid: a copy of the database (a
file, a backup, read access to PostgreSQL) without the server key holds nothing a token can
be signed with, and a wrong server key is told from a right one instead of signing with
garbage. See docs/security.md for the choice.
"""

from __future__ import annotations

import base64
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clopos.core.access.table import SigningKey
from clopos.core.sealing import Seal, SealError
from clopos.store.base import utcnow

ALGORITHM = "HS256"
KEY_BYTES = 32
log = logging.getLogger("clopos.keys")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


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
    def load(cls, session: Session, seal: Seal) -> KeyRing:
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
            except SealError as error:
                refused.append(f"signing key {error}")
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


def ensure_signing_key(session: Session, seal: Seal) -> list[str]:
    """Seal any key stored in clear (databases from before sealing) or in an older format
    (core/sealing.py), and create the first key when there is none. Answers the kids sealed
    now."""
    sealed = []
    for row in session.scalars(select(SigningKey)).all():
        # A sealed key is longer than a plain one in every format (61 or 68 bytes).
        if len(row.secret) == KEY_BYTES:
            row.secret = seal.seal(row.kid, row.secret)
            sealed.append(row.kid)
            continue
        try:
            again = seal.reseal(row.kid, row.secret)
        except SealError:
            continue  # another server key's: KeyRing.load refuses it and says why
        if again is not None:
            row.secret = again
            sealed.append(row.kid)
    if session.scalar(select(SigningKey.kid).where(SigningKey.retired_at.is_(None))) is None:
        kid = secrets.token_hex(4)
        session.add(SigningKey(kid=kid, secret=seal.seal(kid, secrets.token_bytes(KEY_BYTES))))
    session.flush()
    return sealed


def rotate_signing_key(session: Session, seal: Seal, keep_for: timedelta) -> tuple[str, list[str]]:
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
