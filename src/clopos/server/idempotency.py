"""`Idempotency-Key` on writes: a retried POST is answered once, never carried out twice.

The first request with a key claims it (a row, unique per client and key) before it runs;
its answer is stored when it is sent. The same key again answers the stored response
(`Idempotent-Replayed: true`); with a different request it is refused (422); while the first
is still running, 409. Server errors (5xx) release the key so that a retry runs again. Keys
are kept 24 hours.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.errors import ApiError
from clopos.server.responses import send_json
from clopos.store.base import utcnow
from clopos.store.db import Database
from clopos.store.models import IdempotencyRecord

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def _in_use() -> ApiError:
    return ApiError(
        409, "idempotency_key_in_use", "A request with this Idempotency-Key is still in progress"
    )


class IdempotencyKeys:
    """Claims, stores and replays answers by (client, key)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(self, client_id: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
        """None when this request may run; the stored answer when it already ran."""
        for _ in range(2):
            try:
                await self._db.write(_insert, client_id, key, fingerprint)
                return None
            except IntegrityError:
                pass
            record = await self._db.write(_current, client_id, key)
            if record is None:
                continue  # released or expired in the meantime: claim again
            if record.fingerprint != fingerprint:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different request",
                )
            if record.status is None:
                raise _in_use()
            return record
        raise _in_use()

    async def store(self, client_id: str, key: str, status: int, body: bytes) -> None:
        await self._db.write(_store, client_id, key, status, body)

    async def release(self, client_id: str, key: str) -> None:
        await self._db.write(_release, client_id, key)

    async def purge_expired(self) -> None:
        await self._db.write(_purge)


def _insert(session: Session, client_id: str, key: str, fingerprint: str) -> None:
    session.add(IdempotencyRecord(client_id=client_id, key=key, fingerprint=fingerprint))


def _current(session: Session, client_id: str, key: str) -> IdempotencyRecord | None:
    """The live record of a key; an expired one is deleted and counts as none."""
    record = session.get(IdempotencyRecord, (client_id, key))
    if record is not None and record.created_at < utcnow() - KEY_LIFETIME:
        session.delete(record)
        return None
    return record


def _store(session: Session, client_id: str, key: str, status: int, body: bytes) -> None:
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key)
        .values(status=status, body=body)
    )


def _release(session: Session, client_id: str, key: str) -> None:
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key
        )
    )


def _purge(session: Session) -> None:
    session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEY_LIFETIME)
    )


async def run_idempotent(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    keys: IdempotencyKeys,
    client_id: str,
    key: str,
) -> None:
    """Run a write at most once per key; answer repeats from the stored response."""
    if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError(
            400,
            "invalid_parameter",
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters",
        )
    body = await _read_body(receive)
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope["query_string"], body):
        digest.update(len(part).to_bytes(8, "big") + part)
    stored = await keys.claim(client_id, key, digest.hexdigest())
    if stored is not None:
        replayed = {"Idempotent-Replayed": "true"}
        await send_json(send, stored.status or 200, stored.body or b"", replayed)
        return

    status = 0
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                # Stored before the client sees it: a retry after a lost answer finds it.
                if status >= 500:
                    await keys.release(client_id, key)
                else:
                    await keys.store(client_id, key, status, b"".join(chunks))
        await send(message)

    try:
        await app(scope, _replaying(body, receive), capture)
    except BaseException:
        if not chunks:
            await keys.release(client_id, key)
        raise


async def _read_body(receive: Receive) -> bytes:
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def _replaying(body: bytes, then: Receive) -> Receive:
    """The body already read, once; afterwards whatever the connection says (a disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await then()

    return receive
