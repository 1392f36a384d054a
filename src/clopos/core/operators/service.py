"""Operator accounts and console sessions, as plain service functions (the CLI's
`clopos admin operator ...` and the console call these).

Passwords are hashed with argon2id (argon2-cffi's defaults: RFC 9106's second recommended
profile, 64 MiB and 3 passes), a memory-hard KDF: unlike API client secrets, which are long
random strings checked on every token exchange (a keyed SHA-256 is enough and fast there),
a password is chosen by a person and checked only at sign-in, so it gets the slow hash.

Hashing and verifying cost about 50 ms of CPU: callers on an event loop run `hash_password`
and `verify_password` in a thread, outside any unit of work.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clopos.core.access.table import Brand
from clopos.core.errors import Conflict, Invalid, NotFound
from clopos.core.operators.table import Operator, OperatorSession

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

_hasher = PasswordHasher()


# --- passwords ------------------------------------------------------------------------------


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"a password has at most {MAX_PASSWORD} characters")


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (with its own random salt and parameters)."""
    check_password_rules(password)
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _decoy() -> str:
    """A hash to verify against when the name is unknown, so an unknown name costs what a
    wrong password costs (no timing tells which names exist)."""
    return _hasher.hash("decoy password, never valid")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash (unknown name), spends the same time and
    answers no."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        matched = _hasher.verify(password_hash or _decoy(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def token_hash(token: str) -> str:
    """What is stored of a session token: its SHA-256 (the token is 256 random bits, so a
    fast hash is enough; a leaked table gives no usable session)."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- accounts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OperatorView:
    """An operator as the console and the CLI see it: never its password hash."""

    id: int
    name: str
    enabled: bool
    # The brands the account may act for (ids and slugs); None: every brand.
    brand_ids: tuple[int, ...] | None
    brands: tuple[str, ...] | None
    last_login_at: datetime | None

    def may_use(self, brand_id: int) -> bool:
        return self.brand_ids is None or brand_id in self.brand_ids

    @property
    def unrestricted(self) -> bool:
        return self.brand_ids is None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "enabled": self.enabled,
            "brands": list(self.brands) if self.brands is not None else "all",
            "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None,
        }


def _view(session: Session, operator: Operator) -> OperatorView:
    ids = None if operator.brand_ids is None else tuple(int(i) for i in operator.brand_ids)
    slugs = None
    if ids is not None:
        found = dict(session.execute(select(Brand.id, Brand.slug).where(Brand.id.in_(ids))).all())
        slugs = tuple(found[i] for i in ids if i in found)
    return OperatorView(
        id=operator.id,
        name=operator.name,
        enabled=operator.enabled,
        brand_ids=ids,
        brands=slugs,
        last_login_at=operator.last_login_at,
    )


def _get(session: Session, name: str) -> Operator:
    operator = session.scalar(select(Operator).where(Operator.name == name))
    if operator is None:
        raise NotFound(f"no operator '{name}'")
    return operator


def _brand_ids(session: Session, slugs: Sequence[str]) -> list[int]:
    found = dict(session.execute(select(Brand.slug, Brand.id).where(Brand.slug.in_(slugs))).all())
    unknown = sorted(set(slugs) - set(found))
    if unknown:
        raise NotFound(f"no brand(s) {', '.join(unknown)}")
    return sorted({found[slug] for slug in slugs})


def create_operator(
    session: Session, name: str, password_hash: str, brands: Sequence[str] | None = None
) -> OperatorView:
    """A new operator account; `brands` (slugs) limits it to those brands."""
    if not _NAME.fullmatch(name):
        raise Invalid(
            f"invalid operator name '{name}': 1-64 of letters, digits, '_', '.', '@', '-'"
        )
    if session.scalar(select(Operator.id).where(Operator.name == name)) is not None:
        raise Conflict(f"operator '{name}' already exists")
    operator = Operator(
        name=name,
        password_hash=password_hash,
        brand_ids=None if brands is None else _brand_ids(session, brands),
    )
    session.add(operator)
    session.flush()
    return _view(session, operator)


def list_operators(session: Session) -> list[OperatorView]:
    return [_view(session, o) for o in session.scalars(select(Operator).order_by(Operator.name))]


def _end_sessions(session: Session, operator_id: int) -> None:
    session.execute(delete(OperatorSession).where(OperatorSession.operator_id == operator_id))


def set_enabled(session: Session, name: str, enabled: bool) -> OperatorView:
    """Disable (every session of the account ends at once) or enable an operator."""
    operator = _get(session, name)
    operator.enabled = enabled
    if not enabled:
        _end_sessions(session, operator.id)
    return _view(session, operator)


def set_password(session: Session, name: str, password_hash: str) -> OperatorView:
    """A new password; every session of the account ends."""
    operator = _get(session, name)
    operator.password_hash = password_hash
    _end_sessions(session, operator.id)
    return _view(session, operator)


def limit_brands(session: Session, name: str, brands: Sequence[str] | None) -> OperatorView:
    """Limit the account to `brands` (slugs), or (None) let it act for every brand. Takes
    effect on the account's next request."""
    operator = _get(session, name)
    operator.brand_ids = None if brands is None else _brand_ids(session, brands)
    return _view(session, operator)


def delete_operator(session: Session, name: str) -> None:
    operator = _get(session, name)
    _end_sessions(session, operator.id)
    session.delete(operator)


# --- signing in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """What a sign-in checks a password against."""

    operator_id: int
    password_hash: str
    enabled: bool


def credentials(session: Session, name: str) -> Credentials | None:
    if len(name) > 64:
        return None
    operator = session.scalar(select(Operator).where(Operator.name == name))
    if operator is None:
        return None
    return Credentials(operator.id, operator.password_hash, operator.enabled)


def start_session(
    session: Session,
    operator_id: int,
    hashed_token: str,
    now: datetime,
    expires_at: datetime,
    new_password_hash: str | None = None,
) -> OperatorView:
    """Record a session for a signed-in operator (dropping its expired ones), and its sign-in
    time; `new_password_hash` replaces a hash made with older parameters."""
    operator = session.get(Operator, operator_id)
    if operator is None or not operator.enabled:
        raise NotFound("no such operator")
    session.execute(
        delete(OperatorSession).where(
            OperatorSession.operator_id == operator_id, OperatorSession.expires_at <= now
        )
    )
    session.add(
        OperatorSession(
            token_hash=hashed_token, operator_id=operator_id, created_at=now, expires_at=expires_at
        )
    )
    operator.last_login_at = now
    if new_password_hash is not None:
        operator.password_hash = new_password_hash
    session.flush()
    return _view(session, operator)


def session_operator(session: Session, hashed_token: str, now: datetime) -> OperatorView | None:
    """The operator a live session belongs to; None when the session is unknown, expired,
    or its account disabled."""
    row = session.execute(
        select(OperatorSession.expires_at, Operator)
        .join(Operator, Operator.id == OperatorSession.operator_id)
        .where(OperatorSession.token_hash == hashed_token)
    ).first()
    if row is None:
        return None
    expires_at, operator = row
    if expires_at <= now or not operator.enabled:
        return None
    return _view(session, operator)


def end_session(session: Session, hashed_token: str) -> None:
    session.execute(delete(OperatorSession).where(OperatorSession.token_hash == hashed_token))


# --- kept across a sandbox reset ------------------------------------------------------------


def export_accounts(session: Session) -> list[dict[str, Any]]:
    """Every account and live session, to put back after the sandbox's reset (which copies
    the whole database back to the server's start)."""
    sessions: dict[int, list[dict[str, Any]]] = {}
    for row in session.scalars(select(OperatorSession)):
        sessions.setdefault(row.operator_id, []).append(
            {
                "token_hash": row.token_hash,
                "created_at": row.created_at,
                "expires_at": row.expires_at,
            }
        )
    return [
        {
            "name": o.name,
            "password_hash": o.password_hash,
            "enabled": o.enabled,
            "brand_ids": o.brand_ids,
            "last_login_at": o.last_login_at,
            "sessions": sessions.get(o.id, []),
        }
        for o in session.scalars(select(Operator))
    ]


def import_accounts(session: Session, accounts: list[dict[str, Any]]) -> None:
    """Put `export_accounts`' accounts and sessions back as they were; a brand limit keeps
    only the brands that still exist (an account limited to none can use none)."""
    existing = set(session.scalars(select(Brand.id)))
    for account in accounts:
        operator = session.scalar(select(Operator).where(Operator.name == account["name"]))
        if operator is None:
            operator = Operator(name=account["name"])
            session.add(operator)
        operator.password_hash = account["password_hash"]
        operator.enabled = account["enabled"]
        limited = account["brand_ids"]
        operator.brand_ids = None if limited is None else [i for i in limited if i in existing]
        operator.last_login_at = account["last_login_at"]
        session.flush()
        _end_sessions(session, operator.id)
        for kept in account["sessions"]:
            session.add(OperatorSession(operator_id=operator.id, **kept))
    session.flush()
