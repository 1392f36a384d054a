"""Everything a running server holds, built once at startup."""

from __future__ import annotations

from dataclasses import dataclass

from clopos.server.auth.access import AccessCache
from clopos.server.auth.audit import AuditLog
from clopos.server.auth.credentials import SecretHasher
from clopos.server.auth.keys import KeyRing
from clopos.server.auth.ratelimit import RateLimits
from clopos.server.auth.tokens import TokenService
from clopos.server.cache import ChangeProbe, ResponseCache
from clopos.server.settings import Settings
from clopos.server.store.db import Database


@dataclass
class ServerState:
    settings: Settings
    db: Database
    hasher: SecretHasher
    tokens: TokenService
    access: AccessCache
    limits: RateLimits
    audit: AuditLog
    probe: ChangeProbe
    responses: ResponseCache

    @classmethod
    async def start(cls, settings: Settings, db: Database) -> ServerState:
        async with db.session() as session:
            ring = await KeyRing.load(session)
        tokens = TokenService(ring, settings.token_ttl)

        async def reload_keys() -> None:
            async with db.session() as session:
                tokens.keys = await KeyRing.load(session)

        probe = ChangeProbe(db)
        state = cls(
            settings=settings,
            db=db,
            hasher=SecretHasher(settings.hashing_key),
            tokens=tokens,
            access=AccessCache(db, probe, on_change=reload_keys),
            limits=RateLimits(settings),
            audit=AuditLog(db, settings.audit_flush_seconds),
            probe=probe,
            responses=ResponseCache(probe, settings.response_cache_entries),
        )
        state.audit.start()
        return state

    async def stop(self) -> None:
        await self.audit.stop()
        self.probe.close()
