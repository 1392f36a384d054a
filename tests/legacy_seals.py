"""The two seals that core/sealing.py replaced, for tests that need values in their formats
under a live server's key: the stored secrets' format 1 (server/auth/keys.py's `KeySeal`) and
the console cookie's seal (console/web.py's `seal`), both as of commit 8c293ca.

Each copy takes its nonce as an argument and is pinned by values the original code made
(with nonces it drew, or a fixed one patched in): `tests/unit/test_sealing.py` checks that
each copy remakes them, so a test using a copy uses the old format and not a guess of it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

# Made by KeySeal(OLD_SERVER_KEY).seal(name, plain) at 8c293ca.
OLD_SERVER_KEY = b"a server key of an older release"
FORMAT1_VECTORS = [
    (
        "0ld5eed1",
        bytes(range(32)),
        bytes.fromhex(
            "434b533139d5de7456cf3d60e0727cf5fac5f04a1f72d149ed3bfaa7b37d67acfd49b2a91b47d9c2"
            "11cb0654f9e844d45f223e93fd38c97089d9ba470b80758a06221bfa"
        ),
    ),
    (
        "webhook:wh_0123456789abcdef",
        bytes(range(100, 132)),
        bytes.fromhex(
            "434b5331dd60e9f0ae0022630e1fb1f3151399352a6d1ba98e3bdff3bac96230e6855fe306f74849"
            "7b627e6dca0d24760095acc8f04328d1e738ff0255bc7110bdf8f646"
        ),
    ),
]

# Made by console/web.py's seal(request, CONSOLE_PURPOSE, CONSOLE_PLAIN) at 8c293ca, with the
# server key OLD_SERVER_KEY and its nonce drawn as bytes(range(16)).
CONSOLE_PURPOSE = "client-secret:0123456789abcdef012345678"
CONSOLE_PLAIN = "seCyF_4vja6yddQxE2PlerET0Uhy8ASbJ36hO68PD3JM="
CONSOLE_VECTOR = (
    "AAECAwQFBgcICQoLDA0OD1tMwSDbc5sDUpmeyUJjldCPaL9uW1dx3SMg-6BuuY4PTrgoqn76YdoUWJnoBbF1NBcq"
    "MlE2jeXmyy3Rx0i5qHHN4hBDyGSnRYtE16IV"
)


def _hkdf_sha256(key: bytes, info: bytes) -> bytes:
    prk = hmac.new(bytes(32), key, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def format1_seal(server_key: bytes, name: str, secret: bytes, nonce: bytes) -> bytes:
    """`CKS1 | nonce (16) | secret XOR pad | tag (16)` for a 32-byte secret."""
    wrap = _hkdf_sha256(server_key, b"clopos signing-key wrap v1")
    mac = _hkdf_sha256(server_key, b"clopos signing-key tag v1")
    pad = hmac.new(wrap, nonce + name.encode(), hashlib.sha256).digest()
    masked = bytes(a ^ b for a, b in zip(secret, pad, strict=True))
    tag = hmac.new(mac, name.encode() + b"\x00" + nonce + masked, hashlib.sha256).digest()
    return b"CKS1" + nonce + masked + tag[:16]


def old_console_seal(server_key: bytes, purpose: str, plain: str, nonce: bytes) -> str:
    """A SHAKE-256 keystream and an HMAC-SHA256 tag, base64url: `nonce | cipher | tag`."""
    data = plain.encode()
    stream = hashlib.shake_256(b"console-seal:" + purpose.encode() + server_key + nonce)
    cipher = bytes(a ^ b for a, b in zip(data, stream.digest(len(data)), strict=True))
    tag = hmac.new(server_key, purpose.encode() + nonce + cipher, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(nonce + cipher + tag).decode()
