"""`Idempotency-Key` on writes: a retried POST is answered once, never carried out twice.

The first request with a key claims it (a row, unique per client and key) before it runs;
its answer is stored when it is sent. The same key again answers the stored response
(`Idempotent-Replayed: true`); with a different request it is refused (422); while the first
is still running, 409 with `Retry-After`. Server errors (5xx) release the key so that a retry
runs again. Keys are kept 24 hours.

A claim survives the process that made it only for a lease: the claim names the server
instance that runs it and how long it may (`CLOPOS_IDEMPOTENCY_LEASE_SECONDS`, renewed
while the request runs). When a process dies (SIGKILL, power loss) with a request in flight,
a retry once the lease has passed takes the claim over, instead of meeting 409 for a day.

A write that committed must never be run twice, even when its process died before it could
store the answer. So the route's own database writes mark the claim in the same unit of work
(`committed`, with the records the unit changed and the status the route declares): a retry
that finds a committed claim whose lease has passed does not run again. Its answer was never
stored, so it is rebuilt from what the write did: for a creation, the created record read now
(`GET <path>/<id>`) with the route's status; otherwise a note naming the records written.
(The answer itself cannot be stored with the write: routes render it after their unit of
work has committed.)

The row's states (no schema of its own: `status` and `body` carry them):
- `status` NULL: in flight; `body` is the lease, `{"owner": ..., "until": <unix seconds>}`;
- `status` 0: in flight and its write committed; `body` is the lease plus `"changes"` and
  the route's `"status"`;
- `status` >= 100: answered; `body` is the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import orjson
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clopos.server.errors import ApiError
from clopos.server.responses import send_json
from clopos.store.base import utcnow
from clopos.store.db import Database
from clopos.store.models import IdempotencyRecord

P = ParamSpec("P")
T = TypeVar("T")

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
COMMITTED = 0
# Where run_idempotent leaves the claim for the route's database dependency (deps.py).
SCOPE_KEY = "clopos.idempotency_claim"


def _in_use(retry_after: int) -> ApiError:
    return ApiError(
        409,
        "idempotency_key_in_use",
        "A request with this Idempotency-Key is still in progress",
        headers={"Retry-After": str(max(1, retry_after))},
    )


def _lease(owner: str, until: float, changes: list[list[Any]] | None = None) -> bytes:
    state: dict[str, Any] = {"owner": owner, "until": until}
    if changes is not None:
        state["changes"] = changes
    return orjson.dumps(state)


def _state(record: IdempotencyRecord) -> dict[str, Any]:
    try:
        state = orjson.loads(record.body or b"{}")
    except orjson.JSONDecodeError:
        return {}
    return state if isinstance(state, dict) else {}


def lost_answer(changes: list[list[Any]]) -> bytes:
    """What a retry of a committed request whose answer was never stored is told."""
    written = [
        {"resource": resource, "id": record_id, "change": kind}
        for resource, _brand, record_id, kind in changes
    ]
    return orjson.dumps(
        {
            "success": True,
            "data": None,
            "message": "This request was carried out, but the server stopped before it "
            "answered; its answer was not kept. Read the records it wrote.",
            "written": written,
        }
    )


class IdempotencyKeys:
    """Claims, stores and replays answers by (client, key), for one server instance."""

    def __init__(
        self, db: Database, lease_seconds: float = 30, clock: Callable[[], float] = time.time
    ) -> None:
        self._db = db
        self.lease_seconds = lease_seconds
        self.owner = secrets.token_hex(8)  # this process, as the claims it makes name it
        self._clock = clock

    async def claim(self, client_id: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
        """None when this request may run; the stored answer when it already ran."""
        for _ in range(3):
            try:
                verdict, record = await self._db.write(
                    _claim,
                    client_id,
                    key,
                    fingerprint,
                    self.owner,
                    self._clock(),
                    self.lease_seconds,
                )
            except IntegrityError:
                continue  # another request inserted the same key at the same moment
            if verdict == "run":
                return None
            if verdict == "reused":
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different request",
                )
            if verdict in ("replay", "lost"):
                return record
            assert record is not None
            until = float(_state(record).get("until", 0))
            raise _in_use(math.ceil(until - self._clock()))
        raise _in_use(1)

    async def renew(self, client_id: str, key: str) -> None:
        """Keep this instance's claim alive while its request runs."""
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            until = self._clock() + self.lease_seconds
            await self._db.write(_renew, client_id, key, self.owner, until)

    async def store(self, client_id: str, key: str, status: int, body: bytes) -> None:
        await self._db.write(_store, client_id, key, status, body)

    async def release(self, client_id: str, key: str) -> None:
        await self._db.write(_release, client_id, key)

    async def purge_expired(self) -> None:
        await self._db.write(_purge)


def _claim(
    session: Session,
    client_id: str,
    key: str,
    fingerprint: str,
    owner: str,
    now: float,
    lease_seconds: float,
) -> tuple[str, IdempotencyRecord | None]:
    """One unit: claim the key, or say why not ("reused", "replay", "busy")."""
    record = session.get(IdempotencyRecord, (client_id, key), with_for_update=True)
    if record is not None and record.created_at < utcnow() - KEY_LIFETIME:
        session.delete(record)
        session.flush()
        record = None
    if record is None:
        lease = _lease(owner, now + lease_seconds)
        session.add(
            IdempotencyRecord(client_id=client_id, key=key, fingerprint=fingerprint, body=lease)
        )
        session.flush()
        return "run", None
    if record.fingerprint != fingerprint:
        return "reused", None
    if record.status is not None and record.status != COMMITTED:
        return "replay", record
    state = _state(record)
    if float(state.get("until", 0)) > now:
        return "busy", record
    # The lease passed: the instance that claimed the key died (or hung) mid-request.
    if record.status == COMMITTED:
        return "lost", record  # the write committed: answered from what it wrote, not rerun
    record.body = _lease(owner, now + lease_seconds)
    return "run", None


def _renew(session: Session, client_id: str, key: str, owner: str, until: float) -> None:
    record = session.get(IdempotencyRecord, (client_id, key), with_for_update=True)
    if record is None or (record.status is not None and record.status != COMMITTED):
        return
    state = _state(record)
    if state.get("owner") == owner:
        record.body = orjson.dumps({**state, "until": until})


def _store(session: Session, client_id: str, key: str, status: int, body: bytes) -> None:
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key)
        .values(status=status, body=body)
    )


def _release(session: Session, client_id: str, key: str) -> None:
    """Free the key for a retry, unless the request's write committed: then a retry must not
    run it again, and is told so at once (the lease is ended)."""
    record = session.get(IdempotencyRecord, (client_id, key), with_for_update=True)
    if record is None:
        return
    if record.status == COMMITTED:
        record.body = orjson.dumps({**_state(record), "until": 0})
    elif record.status is None:
        session.delete(record)


def _purge(session: Session) -> None:
    session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEY_LIFETIME)
    )


def _mark_committed(session: Session, client_id: str, key: str, status: int) -> None:
    """In the route's own unit of work: its writes commit together with this mark."""
    session.flush()
    uow = session.info.get("uow")
    changes = [[*change, kind] for change, kind in getattr(uow, "changes", {}).items()]
    if not changes:
        return
    record = session.get(IdempotencyRecord, (client_id, key), with_for_update=True)
    if record is None or (record.status is not None and record.status != COMMITTED):
        return
    state = _state(record)
    known = list(state.get("changes", []))
    record.status = COMMITTED
    owner, until = str(state.get("owner", "")), float(state.get("until", 0))
    record.body = orjson.dumps(
        {"owner": owner, "until": until, "changes": known + changes, "status": status}
    )


class ClaimedDatabase:
    """The database as a route running under a claimed key sees it: each unit of work that
    writes also marks the claim committed, in the same transaction (with the status the
    route declares, for the answer a retry may have to be given without it)."""

    def __init__(self, db: Database, client_id: str, key: str, scope: Scope) -> None:
        self._db = db
        self._client_id = client_id
        self._key = key
        self._scope = scope

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)

    async def write(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        client_id, key = self._client_id, self._key
        status = getattr(self._scope.get("route"), "status_code", None) or 200

        def unit(session: Session) -> T:
            result = fn(session, *args, **kwargs)
            _mark_committed(session, client_id, key, status)
            return result

        return await self._db.write(unit)


def database_for(scope: Scope, db: Database) -> Database:
    """The database a route should write through: marked when a key is claimed."""
    claim = scope.get(SCOPE_KEY)
    if claim is None:
        return db
    client_id, key = claim
    return cast(Database, ClaimedDatabase(db, client_id, key, scope))


async def _answer_lost(app: ASGIApp, scope: Scope, record: IdempotencyRecord) -> tuple[int, bytes]:
    """The answer to a retry of a request whose write committed but whose answer was lost
    with its process: the record it created, read now (`GET <path>/<id>`), with the status
    its route declares; else a note naming what it wrote."""
    state = _state(record)
    changes: list[list[Any]] = list(state.get("changes", []))
    path = scope["path"].rstrip("/")
    resource = path.rsplit("/", 1)[-1]
    created = [c for c in changes if c[0] == resource and c[3] == "insert"]
    if scope["method"] == "POST" and len(created) == 1:
        target = f"{path}/{created[0][2]}"
        child: dict[str, Any] = {
            **scope,
            "method": "GET",
            "path": target,
            "raw_path": target.encode(),
            "query_string": b"",
            "headers": [
                (name, value)
                for name, value in scope["headers"]
                if name not in (b"content-length", b"content-type", b"transfer-encoding")
            ],
        }
        child.pop(SCOPE_KEY, None)
        got: dict[str, Any] = {"status": 0, "body": b""}

        async def nothing() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                got["status"] = int(message["status"])
            elif message["type"] == "http.response.body":
                got["body"] += message.get("body", b"")

        await app(child, nothing, keep)
        if got["status"] == 200:
            answer = orjson.loads(got["body"])
            if isinstance(answer, dict):
                answer["message"] = (
                    "This request was carried out before the server restarted; its answer "
                    "was not kept: this is the record as it is now."
                )
                return int(state.get("status", 200)), orjson.dumps(answer)
    return 200, lost_answer(changes)


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
        if stored.status == COMMITTED:
            status, answer = await _answer_lost(app, scope, stored)
            await keys.store(client_id, key, status, answer)
        else:
            status, answer = stored.status or 200, stored.body or b""
        await send_json(send, status, answer, {"Idempotent-Replayed": "true"})
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

    scope[SCOPE_KEY] = (client_id, key)
    renewal = asyncio.create_task(keys.renew(client_id, key))
    try:
        await app(scope, _replaying(body, receive), capture)
    except BaseException:
        if not chunks:
            await keys.release(client_id, key)
        raise
    finally:
        renewal.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewal


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
