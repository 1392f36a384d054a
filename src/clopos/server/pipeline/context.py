"""What the pipeline learns about a request, in one typed object every piece shares."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.types import Scope

from clopos.server.auth.audit import AuditRecord
from clopos.server.auth.principal import Principal

if TYPE_CHECKING:
    from clopos.server.state import ServerState

_KEY = "clopos.request"

V1_PREFIX = "/open-api/"
V2_PREFIX = "/open-api/v2/"
EXCHANGES = frozenset({"/open-api/auth", "/open-api/v2/auth"})

# Unique per process and request without a system call each time: a random prefix per
# process, then a counter.
_ID_PREFIX = secrets.token_hex(6)
_id_counter = itertools.count(1)


def api_version(path: str) -> int | None:
    """1 or 2 for an API path, None for everything else (docs, health)."""
    if path.startswith(V2_PREFIX) or path == V2_PREFIX[:-1]:
        return 2
    if path.startswith(V1_PREFIX) or path == V1_PREFIX[:-1]:
        return 1
    return None


def new_request_id(supplied: str | None) -> str:
    # Echo a caller's id when it is a sane token, so both sides can correlate logs.
    if supplied and len(supplied) <= 64 and supplied.replace("-", "").isalnum():
        return supplied
    return f"{_ID_PREFIX}{next(_id_counter):012x}"


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


@dataclass(slots=True)
class RequestContext:
    """One request's facts, filled in as it passes the pipeline's pieces."""

    request_id: str
    ip: str
    version: int | None  # the API version of the path; None off the API
    # Whether the request needs a token: every API call but the two exchanges.
    guarded: bool
    started: float = field(default_factory=time.perf_counter)
    # Headers the pipeline adds to the answer (request id, rate-limit state).
    response_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    principal: Principal | None = None
    # The machine id of the error answered, for the audit trail.
    error_id: str | None = None
    # Who the request claims to be, as far as it got: what a rejection's audit event names.
    audit: AuditRecord | None = None
    # Set by `responses.cacheable`: the time fields' tail of a body the cache may keep.
    stamp_suffix: bytes | None = None
    # Whether the answer's start has been sent, and its status (set by the first piece,
    # which sends it on; the metrics read the status).
    answered: bool = False
    status: int = 0
    # The app's server state, read once for every piece (None outside its lifespan).
    server: ServerState | None = None

    def attach(self, scope: Scope) -> None:
        scope[_KEY] = self


def request_context(scope: Scope) -> RequestContext | None:
    """The request's context, once the pipeline's first piece has made it."""
    context = scope.get(_KEY)
    return context if isinstance(context, RequestContext) else None


def serving(context: RequestContext) -> ServerState:
    """The server state a request runs in; the pipeline runs inside the app's lifespan."""
    server = context.server
    if server is None:
        raise RuntimeError("a request reached the pipeline outside the app's lifespan")
    return server
