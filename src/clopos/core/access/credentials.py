"""Client credentials: generation, keyed hashing, constant-time verification.

Client secrets are 256-bit random values, so a keyed HMAC-SHA256 is the right tool: a slow
password hash (bcrypt, argon2) protects low-entropy passwords and would only cost this machine
endpoint throughput. The key lives outside the database, so a leaked database alone cannot be
used to test guesses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_client_id() -> str:
    """25 hex characters, the shape of the documented sandbox client id."""
    return secrets.token_hex(13)[:25]


def new_client_secret() -> str:
    """32 random bytes, base64 (44 characters), the shape of the documented sandbox secret."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def new_secret_id() -> str:
    """A short public id naming one secret of a client, carried by its tokens."""
    return secrets.token_hex(6)


class SecretHasher:
    """Keyed hashing of client secrets."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        # Hashed against when a client id is unknown, so both paths cost the same.
        self._decoy = self.hash(new_client_secret())

    def hash(self, secret: str) -> bytes:
        return hmac.new(self._key, secret.encode(), hashlib.sha256).digest()

    def matches(self, secret: str, digest: bytes | None) -> bool:
        candidate = self.hash(secret)
        return hmac.compare_digest(candidate, digest if digest is not None else self._decoy)
