"""A process-local view of clients and integrators, dropped whenever access changes.

Every admin change (disable, rotate, grant, key rotation) is a change to one of the access
tables, and so lands in the change log in the same transaction. Each request first catches up
with the log (see changes.py), which drops this view when an access table changed: a change
made by the CLI in another process takes effect on the very next request, while the request
path otherwise never waits on the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.access.table import ApiClient, Brand, Integrator
from clopos.store.changes import ChangeFeed, Changes
from clopos.store.db import Database


@dataclass(frozen=True, slots=True)
class ClientAccess:
    """What a client may do, with the state of its brand."""

    client_id: str
    enabled: bool
    epoch: int
    secrets: dict[str, bytes]
    brand_id: int
    brand: str
    brand_mode: str
    brand_enabled: bool
    venue_ids: frozenset[int]
    default_venue_id: int | None
    scopes: frozenset[str]


@dataclass(frozen=True, slots=True)
class IntegratorAccess:
    id: str
    enabled: bool
    is_test: bool


# The tables whose rows decide who may do what.
ACCESS_TABLES = frozenset({"brands", "venues", "api_clients", "integrators", "signing_keys"})


class AccessCache:
    """Clients and integrators by id, valid until the next change to an access table."""

    def __init__(
        self,
        db: Database,
        feed: ChangeFeed,
        on_keys_changed: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._db = db
        self._on_keys_changed = on_keys_changed
        self._generation = 0
        self._clients: dict[str, ClientAccess] = {}
        self._clients_loaded = False
        self._integrators: dict[str, IntegratorAccess] = {}
        feed.subscribers.append(self.on_changes)

    async def on_changes(self, changes: Changes) -> None:
        if not changes.touches(ACCESS_TABLES):
            return
        self._generation += 1
        self._clients = {}
        self._clients_loaded = False
        self._integrators = {}
        if self._on_keys_changed is not None and changes.touches(("signing_keys",)):
            await self._on_keys_changed()

    async def client(self, client_id: str) -> ClientAccess | None:
        """The client with this id, or None.

        Every client is loaded at once, on the first lookup after a change, so that a known
        and an unknown id cost the same dict lookup: how long the answer takes must not tell
        which ids exist (nor can unknown ids grow the cache: it holds exactly the table).
        """
        if self._clients_loaded:
            return self._clients.get(client_id)
        generation = self._generation
        clients = await self._db.read(_load_clients)
        # A change may have landed while we read: then our copy may be stale, keep it out.
        if generation == self._generation:
            self._clients = clients
            self._clients_loaded = True
        return clients.get(client_id)

    async def integrator(self, integrator_id: str) -> IntegratorAccess | None:
        cached = self._integrators.get(integrator_id)
        if cached is not None:
            return cached
        generation = self._generation
        access = await self._db.read(_load_integrator, integrator_id)
        if access is not None and generation == self._generation:
            self._integrators[integrator_id] = access
        return access


def _load_clients(session: Session) -> dict[str, ClientAccess]:
    rows = session.execute(select(ApiClient, Brand).join(Brand, Brand.id == ApiClient.brand_id))
    return {client.client_id: _access(client, brand) for client, brand in rows}


def _access(client: ApiClient, brand: Brand) -> ClientAccess:
    secrets = {client.secret_id: client.secret_hash}
    if client.pending_secret_id and client.pending_secret_hash:
        secrets[client.pending_secret_id] = client.pending_secret_hash
    return ClientAccess(
        client_id=client.client_id,
        enabled=client.enabled,
        epoch=client.token_epoch,
        secrets=secrets,
        brand_id=brand.id,
        brand=brand.slug,
        brand_mode=brand.mode,
        brand_enabled=brand.enabled,
        venue_ids=frozenset(int(v) for v in client.venue_ids),
        default_venue_id=client.default_venue_id,
        scopes=frozenset(client.scopes),
    )


def _load_integrator(session: Session, integrator_id: str) -> IntegratorAccess | None:
    row = session.get(Integrator, integrator_id)
    if row is None:
        return None
    return IntegratorAccess(id=row.id, enabled=row.enabled, is_test=row.is_test)


def integrator_refusal(
    integrator: IntegratorAccess | None, client: ClientAccess
) -> tuple[str, str] | None:
    """Why this integrator may not act for this client's brand, as (error id, message)."""
    if integrator is None:
        return "invalid_integrator", "Invalid integrator_id"
    if not integrator.enabled:
        return "integrator_disabled", "Integrator is disabled"
    if integrator.is_test and client.brand_mode != "test":
        return (
            "integrator_mode_mismatch",
            "Integrator is in test mode. But brand is not in test mode",
        )
    return None
