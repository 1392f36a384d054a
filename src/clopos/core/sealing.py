"""Sealing: a secret encrypted and authenticated under the server key, bound to a name.

One seal serves everything the server keeps secret from a reader of its storage or of a
browser: token-signing keys and webhook secrets at rest (`signing_keys`,
`webhook_subscriptions`), and the console's cookie that carries a new client secret across
one redirect. The name a value is sealed under (a key id, `webhook:<id>`,
`client-secret:<id>`) is authenticated with it, so a sealed value moved to another row or
use does not open there.

Format 2, the one written: `0x02 | nonce (12) | AES-256-GCM ciphertext and tag (16)`, with
the name and the version byte as the associated data. The AES key is derived from the server
key by HKDF-SHA256 under a label that names the format, so a later format derives its own
key and tells itself apart by its first byte.

Format 1 (releases before this one): `CKS1 | nonce (16) | secret XOR pad (32) | tag (16)` for
32-byte secrets, with the pad and tag HMAC-SHA256 under two HKDF subkeys. Only `reseal`
reads it: every start seals stored values of that format anew in format 2 before anything
reads them (server/bootstrap.py), and migration 0014 keeps a release that cannot open format
2 off a database that may hold it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CURRENT = 2
LEGACY = 1
_NONCE = 12
_TAG = 16
_LEGACY_MAGIC = b"CKS1"
_LEGACY_NONCE = 16
_LEGACY_SECRET = 32
_LEGACY_TAG = 16
_LEGACY_SIZE = len(_LEGACY_MAGIC) + _LEGACY_NONCE + _LEGACY_SECRET + _LEGACY_TAG


class SealError(Exception):
    """A value does not open with this server key under this name: sealed under another
    key or name, changed, or not sealed at all. The message names the value, never a key."""


def _derive(server_key: bytes, label: bytes) -> bytes:
    # No salt: HKDF then uses a block of zeros, as format 1's own HKDF did, so one function
    # derives both formats' keys.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(server_key)


def version(stored: bytes) -> int | None:
    """The format `stored` is sealed in (CURRENT or LEGACY), or None if it is neither."""
    if len(stored) >= 1 + _NONCE + _TAG and stored[0] == CURRENT:
        return CURRENT
    if len(stored) == _LEGACY_SIZE and stored.startswith(_LEGACY_MAGIC):
        return LEGACY
    return None


class Seal:
    """Seals and opens secrets under keys derived from the server key."""

    def __init__(self, server_key: bytes) -> None:
        self._aead = AESGCM(_derive(server_key, b"clopos seal v2 aes-256-gcm"))
        self._legacy = _LegacyReader(server_key)

    def seal(self, name: str, plain: bytes) -> bytes:
        """`plain` in format 2, bound to `name`; a fresh random nonce each time."""
        nonce = secrets.token_bytes(_NONCE)
        return bytes([CURRENT]) + nonce + self._aead.encrypt(nonce, plain, _bound(name))

    def open(self, name: str, stored: bytes) -> bytes:
        """What `seal(name, ...)` sealed; SealError for anything else."""
        if version(stored) != CURRENT:
            raise SealError(f"{name} is not sealed in the current format")
        nonce, body = stored[1 : 1 + _NONCE], stored[1 + _NONCE :]
        try:
            return self._aead.decrypt(nonce, body, _bound(name))
        except InvalidTag:
            raise _refused(name) from None

    def reseal(self, name: str, stored: bytes) -> bytes | None:
        """A format 1 value sealed anew in the current format, or None when `stored` is in
        the current format already. SealError when it does not open (or is not sealed)."""
        found = version(stored)
        if found == CURRENT:
            return None
        if found == LEGACY:
            return self.seal(name, self._legacy.open(name, stored))
        raise SealError(f"{name} is not sealed")


def _bound(name: str) -> bytes:
    return bytes([CURRENT]) + name.encode()


def _refused(name: str) -> SealError:
    return SealError(
        f"{name} was sealed with another server key, or changed since "
        "(CLOPOS_SECRET_KEY or data_dir/secret.key changed?)"
    )


class _LegacyReader:
    """Opens format 1: `pad = HMAC(wrap, nonce | name)`, `tag = HMAC(mac, name | 0 | nonce |
    masked)[:16]`, the secret being `masked XOR pad`. Never seals: nothing is written in it."""

    def __init__(self, server_key: bytes) -> None:
        self._wrap = _derive(server_key, b"clopos signing-key wrap v1")
        self._mac = _derive(server_key, b"clopos signing-key tag v1")

    def open(self, name: str, stored: bytes) -> bytes:
        body = stored[len(_LEGACY_MAGIC) :]
        nonce = body[:_LEGACY_NONCE]
        masked = body[_LEGACY_NONCE : _LEGACY_NONCE + _LEGACY_SECRET]
        tag = body[_LEGACY_NONCE + _LEGACY_SECRET :]
        signed = name.encode() + b"\x00" + nonce + masked
        expected = hmac.new(self._mac, signed, hashlib.sha256).digest()[:_LEGACY_TAG]
        if not hmac.compare_digest(tag, expected):
            raise _refused(name)
        pad = hmac.new(self._wrap, nonce + name.encode(), hashlib.sha256).digest()
        return bytes(a ^ b for a, b in zip(masked, pad, strict=True))
