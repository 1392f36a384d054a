"""A process-local view of clients and integrators, dropped whenever access changes.

Every admin change (disable, rotate, grant, key rotation) bumps one revision row in the same
transaction. Each request first asks whether the database changed at all (SQLite's
data_version, a microsecond) and only then reads that row, so a change made by the CLI in
another process takes effect on the very next request, while the request path otherwise never
waits on the database. Off SQLite the row is read on every request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import select

from clopos.server.cache import ChangeProbe
from clopos.server.store.db import Database
from clopos.server.store.models import AccessState, ApiClient, Brand, Integrator


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


class AccessCache:
    """Clients and integrators by id, valid for one access revision."""

    def __init__(
        self,
        db: Database,
        probe: ChangeProbe,
        on_change: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._db = db
        self._probe = probe
        self._on_change = on_change
        self._data_version: int | None = None
        self._revision: int | None = None
        self._generation = 0
        self._clients: dict[str, ClientAccess] = {}
        self._integrators: dict[str, IntegratorAccess] = {}

    async def _read_revision(self) -> int:
        connection = self._probe.connection
        if connection is not None:
            row = connection.execute("SELECT revision FROM access_state WHERE id = 1").fetchone()
            return int(row[0]) if row else 0
        async with self._db.session() as session:
            value = await session.scalar(select(AccessState.revision).where(AccessState.id == 1))
            return int(value or 0)

    async def sync(self, data_version: int | None) -> None:
        """Drop everything cached if access changed since the last look.

        `data_version` is the probe's reading for this request (None off SQLite).
        """
        if data_version is not None and data_version == self._data_version:
            return
        revision = await self._read_revision()
        if revision == self._revision:
            self._data_version = data_version
            return
        self._generation += 1
        self._clients = {}
        self._integrators = {}
        if self._on_change is not None:
            await self._on_change()
        self._revision = revision
        self._data_version = data_version

    async def client(self, client_id: str) -> ClientAccess | None:
        cached = self._clients.get(client_id)
        if cached is not None:
            return cached
        generation = self._generation
        async with self._db.session() as session:
            row = (
                await session.execute(
                    select(ApiClient, Brand)
                    .join(Brand, Brand.id == ApiClient.brand_id)
                    .where(ApiClient.client_id == client_id)
                )
            ).first()
        if row is None:
            return None  # unknown ids are not cached: they would let anyone grow the cache
        client, brand = row
        secrets = {client.secret_id: client.secret_hash}
        if client.pending_secret_id and client.pending_secret_hash:
            secrets[client.pending_secret_id] = client.pending_secret_hash
        access = ClientAccess(
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
        # A change may have landed while we read: then our copy may be stale, keep it out.
        if generation == self._generation:
            self._clients[client_id] = access
        return access

    async def integrator(self, integrator_id: str) -> IntegratorAccess | None:
        cached = self._integrators.get(integrator_id)
        if cached is not None:
            return cached
        generation = self._generation
        async with self._db.session() as session:
            row = await session.get(Integrator, integrator_id)
        if row is None:
            return None
        access = IntegratorAccess(id=row.id, enabled=row.enabled, is_test=row.is_test)
        if generation == self._generation:
            self._integrators[integrator_id] = access
        return access


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
