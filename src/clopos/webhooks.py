"""Webhook signatures: how the server signs an event, and how a receiver checks one.

Each delivery carries a `Clopos-Signature` header, as Stripe's do:

    Clopos-Signature: t=1733300000,v1=5257a869e7ec...(64 hex digits)

`v1` is the hex HMAC-SHA256 of `"<t>.<raw body>"` keyed with the subscription's secret (the
whole `whsec_...` string). While a secret is being rotated, the header carries one `v1` per
valid secret, so a receiver holding either one accepts the event.

A receiver, in a few lines (docs/webhooks.md):

    from clopos.webhooks import verify, SignatureError

    try:
        event = verify(request.body, request.headers["Clopos-Signature"], SECRET)
    except SignatureError:
        return 400

Only the standard library: a receiver needs nothing else from this package.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterable
from typing import Any

__all__ = [
    "HEADER",
    "MalformedSignature",
    "NoMatchingSignature",
    "SignatureError",
    "TimestampOutsideTolerance",
    "sign",
    "signature",
    "verify",
]

HEADER = "Clopos-Signature"
SCHEME = "v1"


class SignatureError(ValueError):
    """A webhook's signature did not verify: do not trust its body."""


class MalformedSignature(SignatureError):
    """The header is missing or not `t=<unix seconds>,v1=<hex>[,v1=<hex>...]`."""


class NoMatchingSignature(SignatureError):
    """No `v1` in the header is the body's signature with the given secret(s)."""


class TimestampOutsideTolerance(SignatureError):
    """The header's `t` is further from now than the tolerance: possibly a replayed event."""


def signature(payload: bytes, timestamp: int, secret: str) -> str:
    """The hex HMAC-SHA256 of `"<timestamp>.<payload>"` keyed with `secret`."""
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(payload: bytes, secrets: Iterable[str], timestamp: int | None = None) -> str:
    """The `Clopos-Signature` header value for `payload`: one `v1` per secret, in order."""
    moment = int(time.time()) if timestamp is None else timestamp
    parts = [f"t={moment}"]
    parts += [f"{SCHEME}={signature(payload, moment, secret)}" for secret in secrets]
    return ",".join(parts)


def _parse(header: str) -> tuple[int, list[str]]:
    moment: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                moment = int(value)
            except ValueError:
                raise MalformedSignature("the signature's t is not a whole number") from None
        elif key == SCHEME:
            signatures.append(value)
    if moment is None:
        raise MalformedSignature("the signature header has no t=")
    if not signatures:
        raise MalformedSignature(f"the signature header has no {SCHEME}=")
    return moment, signatures


def verify(
    payload: bytes | str,
    header: str | None,
    secret: str | Iterable[str],
    tolerance: float = 300,
    *,
    now: float | None = None,
) -> dict[str, Any]:
    """Check a delivery and answer its event (the parsed body).

    `payload` is the raw request body (bytes as received: parsing and re-serialising JSON
    changes it); `header` the `Clopos-Signature` header; `secret` the subscription's secret,
    or several (a receiver rolling its own secret over). Raises a `SignatureError`:
    `MalformedSignature`, `NoMatchingSignature` or `TimestampOutsideTolerance` (`t` more
    than `tolerance` seconds from now; 0 or less: not checked).
    """
    if not header:
        raise MalformedSignature(f"no {HEADER} header")
    body = payload.encode() if isinstance(payload, str) else bytes(payload)
    moment, signatures = _parse(header)
    candidates = [secret] if isinstance(secret, str) else list(secret)
    expected = [signature(body, moment, candidate) for candidate in candidates]
    # Every pair compared, in constant time each: no early exit tells which one matched.
    matched = False
    for given in signatures:
        for wanted in expected:
            matched |= hmac.compare_digest(given.encode(), wanted.encode())
    if not matched:
        raise NoMatchingSignature("no signature matches the body with this secret")
    if tolerance > 0:
        current = time.time() if now is None else now
        if abs(current - moment) > tolerance:
            raise TimestampOutsideTolerance(
                f"the signature's timestamp is {int(current - moment)} s from now "
                f"(tolerance {int(tolerance)} s)"
            )
    event: dict[str, Any] = json.loads(body)
    return event
