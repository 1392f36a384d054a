"""Webhook subscriptions: a brand's receivers, what each wants, and their signing secrets.

A secret is `whsec_` and 32 random bytes (base64url); the whole string is the HMAC key
(clopos/webhooks.py). It is shown once, when made, and stored sealed by the server key
(`Sealer`: the edge passes core/sealing.py's Seal). Rotating keeps the previous
secret signing too for a while, so a receiver can move to the new one without refusing
events meanwhile.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clopos.core.errors import Invalid, not_found
from clopos.core.formats import iso
from clopos.core.sealing import Seal, SealError
from clopos.core.webhooks.table import WebhookDelivery, WebhookSubscription
from clopos.core.webhooks.types import EVENT_TYPES
from clopos.store.base import utcnow

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
DEFAULT_OVERLAP = timedelta(hours=24)


class Sealer(Protocol):
    """Seals and opens a 32-byte secret bound to a name (core/sealing.py's Seal)."""

    def seal(self, kid: str, key: bytes) -> bytes: ...

    def open(self, kid: str, stored: bytes) -> bytes: ...


def _kid(subscription_id: str) -> str:
    return f"webhook:{subscription_id}"


def _encode(raw: bytes) -> str:
    return SECRET_PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(secret: str) -> bytes:
    """The 32 bytes of a `whsec_...` secret given by an operator."""
    refusal = Invalid(
        f"a webhook secret is {SECRET_PREFIX} followed by 43 base64url characters "
        "(32 random bytes); leave it out to have one made"
    )
    if not secret.startswith(SECRET_PREFIX):
        raise refusal
    body = secret[len(SECRET_PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise refusal from None
    if len(raw) != SECRET_BYTES or _encode(raw) != secret:
        raise refusal
    return raw


def event_types(wanted: Iterable[str]) -> list[str]:
    """The event types asked for, checked and in the documented order (`*`: all)."""
    names = {name.strip() for name in wanted if name.strip()}
    if "*" in names:
        return list(EVENT_TYPES)
    unknown = sorted(names - set(EVENT_TYPES))
    if unknown:
        raise Invalid(
            f"unknown event type(s): {', '.join(unknown)}; known: {', '.join(EVENT_TYPES)}"
        )
    if not names:
        raise Invalid("name at least one event type")
    return [name for name in EVENT_TYPES if name in names]


def checked_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("a webhook URL is an absolute http:// or https:// URL")
    if parts.username or parts.password:
        raise Invalid("a webhook URL carries no credentials (events are signed instead)")
    if len(url) > 2000:
        raise Invalid("a webhook URL is at most 2000 characters")
    return url


@dataclass(frozen=True, slots=True)
class Created:
    """A subscription as listed, and its secret (shown this once)."""

    subscription: dict[str, Any]
    secret: str


def describe(row: WebhookSubscription) -> dict[str, Any]:
    """A subscription as the CLI, the operator API and the console show it (no secret)."""
    return {
        "id": row.id,
        "url": row.url,
        "events": list(row.events),
        "enabled": row.enabled,
        "created_at": iso(row.created_at),
        "previous_secret_until": iso(row.previous_until) if row.previous_secret else None,
    }


def add(
    session: Session,
    brand_id: int,
    url: str,
    events: Iterable[str],
    sealer: Sealer,
    secret: str | None = None,
) -> Created:
    """Subscribe `url` to `events` of the brand; answers the subscription and its secret."""
    raw = secrets.token_bytes(SECRET_BYTES) if secret is None else _decode(secret)
    subscription_id = "wh_" + secrets.token_hex(8)
    row = WebhookSubscription(
        id=subscription_id,
        brand_id=brand_id,
        url=checked_url(url),
        events=event_types(events),
        secret=sealer.seal(_kid(subscription_id), raw),
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return Created(describe(row), _encode(raw))


def listing(session: Session, brand_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(WebhookSubscription)
        .where(WebhookSubscription.brand_id == brand_id)
        .order_by(WebhookSubscription.created_at, WebhookSubscription.id)
    )
    return [describe(row) for row in rows]


def load(session: Session, brand_id: int, subscription_id: str) -> WebhookSubscription:
    row = session.get(WebhookSubscription, subscription_id)
    if row is None or row.brand_id != brand_id:
        raise not_found(f"Webhook subscription '{subscription_id}' not found")
    return row


def remove(session: Session, brand_id: int, subscription_id: str) -> dict[str, Any]:
    """Delete the subscription, with its deliveries (sent or not)."""
    row = load(session, brand_id, subscription_id)
    described = describe(row)
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.subscription_id == row.id))
    session.delete(row)
    session.flush()
    return described


def rotate_secret(
    session: Session,
    brand_id: int,
    subscription_id: str,
    sealer: Sealer,
    overlap: timedelta = DEFAULT_OVERLAP,
) -> Created:
    """A new secret; the current one keeps signing too for `overlap` (0: not at all)."""
    row = load(session, brand_id, subscription_id)
    raw = secrets.token_bytes(SECRET_BYTES)
    if overlap > timedelta(0):
        row.previous_secret = row.secret
        row.previous_until = utcnow() + overlap
    else:
        row.previous_secret = row.previous_until = None
    row.secret = sealer.seal(_kid(row.id), raw)
    session.flush()
    return Created(describe(row), _encode(raw))


def signing_secrets(
    row: WebhookSubscription, sealer: Sealer, now: datetime | None = None
) -> list[str]:
    """The secrets a delivery is signed with now: the current one, then the previous one
    while its overlap lasts."""
    found = [_encode(sealer.open(_kid(row.id), row.secret))]
    moment = now or utcnow()
    if (
        row.previous_secret is not None
        and row.previous_until is not None
        and row.previous_until > moment
    ):
        found.append(_encode(sealer.open(_kid(row.id), row.previous_secret)))
    return found


def reseal(session: Session, seal: Seal) -> list[str]:
    """Seal again in the current format the secrets stored in an older one (core/sealing.py);
    a start does this under the start-up lock. Answers the subscriptions changed. A secret
    that does not open is left as it is: delivering refuses it as before."""
    changed = []
    for row in session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)):
        secret = _resealed(seal, row.id, row.secret)
        if secret is not None:
            row.secret = secret
        previous = None
        if row.previous_secret is not None:
            previous = _resealed(seal, row.id, row.previous_secret)
            if previous is not None:
                row.previous_secret = previous
        if secret is not None or previous is not None:
            changed.append(row.id)
    session.flush()
    return changed


def _resealed(seal: Seal, subscription_id: str, stored: bytes) -> bytes | None:
    try:
        return seal.reseal(_kid(subscription_id), stored)
    except SealError:
        return None
