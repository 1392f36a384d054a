"""Signing keys: loaded once into memory, identified by `kid`, rotated without breaking tokens."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clopos.core.access.table import SigningKey
from clopos.store.base import utcnow

ALGORITHM = "HS256"


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
    def load(cls, session: Session) -> KeyRing:
        rows = (session.scalars(select(SigningKey).order_by(SigningKey.created_at))).all()
        active = [row for row in rows if row.retired_at is None]
        if not active:
            raise RuntimeError("no active signing key: the schema was not initialised")
        keys = [LoadedKey(row.kid, row.secret, cls.header_segment(row.kid)) for row in rows]
        return cls(keys, active[-1].kid)


def ensure_signing_key(session: Session) -> None:
    """Create the first key when there is none; no-op otherwise."""
    if session.scalar(select(SigningKey.kid).where(SigningKey.retired_at.is_(None))) is None:
        session.add(SigningKey(kid=secrets.token_hex(4), secret=secrets.token_bytes(32)))
        session.flush()


def rotate_signing_key(session: Session, keep_for: timedelta) -> tuple[str, list[str]]:
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
    session.add(SigningKey(kid=kid, secret=secrets.token_bytes(32), created_at=now))
    session.flush()
    return kid, purged
