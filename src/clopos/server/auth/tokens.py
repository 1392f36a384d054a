"""Issuing and verifying tokens.

Both versions carry a JWT signed with HS256 by the current key ring:
- v2 answers the JWT itself, with the documented claims (`token`, `brand`, `stage`,
  `venue_id`, `integrator_id`, `iat`, `exp`) plus ours (`sub`, `sid`, `ep`, `ver`);
- v1 answers `oauth_` + a JWT, so its opaque-looking token is verified without a database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

import jwt
import orjson

from clopos.server.auth.keys import ALGORITHM, KeyRing, LoadedKey

V1_PREFIX = "oauth_"
MAX_TOKEN_LENGTH = 4096
_SEGMENTS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}")
_REQUIRED = ["exp", "iat", "sub", "brand", "venue_id", "sid", "ep", "ver"]


class TokenInvalid(Exception):
    """The token is malformed, was not signed by a key we hold, or is for another version."""


class TokenExpired(Exception):
    """The token was ours and well-formed, but its `exp` has passed."""

    def __init__(self, expires_at: int) -> None:
        super().__init__("token expired")
        self.expires_at = expires_at


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """What a token is issued for."""

    version: int
    client_id: str
    brand: str
    stage: str
    venue_id: int
    secret_id: str
    epoch: int
    integrator_id: str | None = None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_in: int
    expires_at: int


def _canonical_signature(segment: str) -> bool:
    # base64url leaves spare bits in the last character: without this check several
    # spellings of one signature would verify, and a changed token byte could pass.
    raw = base64.urlsafe_b64decode(segment + "=")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode() == segment


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(claims: dict[str, Any], key: LoadedKey) -> str:
    """The HS256 JWT of `claims`, byte for byte what `jwt.encode(claims, key.secret,
    algorithm="HS256", headers={"kid": key.kid})` makes (tests/auth/test_tokens.py), without
    PyJWT's per-call key preparation, header encoding and claim checks: the key's header
    segment is made once, and our claims are plain strings and integers."""
    data = orjson.dumps(claims)
    if not data.isascii():  # PyJWT's json.dumps escapes what is not ASCII
        data = json.dumps(claims, separators=(",", ":")).encode()
    payload = _b64(data)
    signing_input = f"{key.header_segment}.{payload}"
    signature = hmac.new(key.secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


MAX_REMEMBERED = 50_000


class TokenService:
    """Signs with the ring's current key; verifies with any key the ring still holds.

    A token is used for up to an hour: once its signature has been checked, its claims are
    remembered (bounded), so later requests cost a dict lookup and the expiry check. Changing
    the key ring forgets them all.
    """

    def __init__(self, keys: KeyRing, ttl: int) -> None:
        self._keys = keys
        self.ttl = ttl
        self._verified: dict[str, dict[str, Any]] = {}

    @property
    def keys(self) -> KeyRing:
        return self._keys

    @keys.setter
    def keys(self, ring: KeyRing) -> None:
        self._keys = ring
        self._verified = {}

    def issue(self, grant: TokenGrant, now: float | None = None) -> IssuedToken:
        issued_at = int(now if now is not None else time.time())
        expires_at = issued_at + self.ttl
        claims: dict[str, Any] = {
            "token": V1_PREFIX + secrets.token_urlsafe(24),
            "brand": grant.brand,
            "stage": grant.stage,
            "venue_id": grant.venue_id,
            "iat": issued_at,
            "exp": expires_at,
            "sub": grant.client_id,
            "sid": grant.secret_id,
            "ep": grant.epoch,
            "ver": grant.version,
        }
        if grant.version == 2:
            claims["integrator_id"] = grant.integrator_id
        else:
            del claims["token"]  # the v1 token is itself the `oauth_` value
            claims["jti"] = secrets.token_urlsafe(12)
        encoded = sign(claims, self.keys.signing)
        token = encoded if grant.version == 2 else V1_PREFIX + encoded
        return IssuedToken(token=token, expires_in=self.ttl, expires_at=expires_at)

    def verify(self, token: str, version: int, now: float | None = None) -> dict[str, Any]:
        """The token's claims, or TokenInvalid / TokenExpired."""
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verify_signature(token, version)
            if len(self._verified) >= MAX_REMEMBERED:
                self._verified = {}
            self._verified[token] = claims
        elif claims["ver"] != version:
            raise TokenInvalid("token issued for another API version")
        expires_at = claims["exp"]
        if not isinstance(expires_at, int) or expires_at <= (
            now if now is not None else time.time()
        ):
            self._verified.pop(token, None)
            raise TokenExpired(expires_at if isinstance(expires_at, int) else 0)
        return claims

    def _verify_signature(self, token: str, version: int) -> dict[str, Any]:
        if version == 1:
            if not token.startswith(V1_PREFIX):
                raise TokenInvalid("v1 tokens start with oauth_")
            token = token[len(V1_PREFIX) :]
        if len(token) > MAX_TOKEN_LENGTH or not _SEGMENTS.fullmatch(token):
            raise TokenInvalid("malformed token")
        header, _, signature = token.split(".")
        key = self.keys.by_header.get(header)
        if key is None or not _canonical_signature(signature):
            raise TokenInvalid("unknown key or malformed signature")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.secret,
                algorithms=[ALGORITHM],
                # Expiry is checked below against the injectable clock; `iat` only for its type
                # (`_check_types`): PyJWT would refuse a token whose `iat` is ahead of this
                # machine's clock, i.e. every fresh token from a node whose clock runs ahead.
                options={"verify_exp": False, "verify_iat": False, "require": _REQUIRED},
            )
        except jwt.PyJWTError as exc:
            raise TokenInvalid(str(exc)) from None
        _check_types(claims)
        if claims["ver"] != version:
            raise TokenInvalid("token issued for another API version")
        return claims


# The latest instant `datetime` can show (9999-12-31T23:59:59Z): a later `exp` is no token of
# ours, and would fail wherever it is turned into a date.
MAX_TIMESTAMP = 253_402_300_799
MAX_INT64 = 2**63 - 1
MAX_TEXT = 255


def _integer(value: object, low: int, high: int) -> bool:
    # bool is an int in Python, and JSON's `true` must not pass for 1.
    return type(value) is int and low <= value <= high


def _text_claim(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_TEXT


def _check_types(claims: dict[str, Any]) -> None:
    """Every claim of the type and range we issue it with, else TokenInvalid.

    A signature proves who signed a token, not that its claims are sane: a token made with a
    leaked or misused key must still be refused as invalid (401), never reach code that
    assumes an integer venue or a representable expiry and fail there (500).
    """
    if not (
        _integer(claims["exp"], 0, MAX_TIMESTAMP)
        and _integer(claims["iat"], 0, MAX_TIMESTAMP)
        and _integer(claims["venue_id"], 1, MAX_INT64)
        and _integer(claims["ep"], 0, MAX_INT64)
        and _integer(claims["ver"], 1, 2)
        and _text_claim(claims["sub"])
        and _text_claim(claims["brand"])
        and _text_claim(claims["sid"])
    ):
        raise TokenInvalid("claims of the wrong type or out of range")
    for name in ("stage", "token", "jti"):
        if name in claims and not _text_claim(claims[name]):
            raise TokenInvalid(f"claim {name} of the wrong type")
    if "integrator_id" in claims and not (
        claims["integrator_id"] is None or _text_claim(claims["integrator_id"])
    ):
        raise TokenInvalid("claim integrator_id of the wrong type")
