"""Everything a running server holds, built once at startup."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from clopos.core.access.credentials import SecretHasher
from clopos.core.access.service import prune_audit
from clopos.core.sealing import Seal
from clopos.core.webhooks import deliveries
from clopos.server.auth.access import AccessCache
from clopos.server.auth.audit import AuditLog
from clopos.server.auth.keys import KeyRing
from clopos.server.auth.ratelimit import LocalCounters, RateLimits
from clopos.server.auth.tokens import TokenService
from clopos.server.cache import ResponseCache
from clopos.server.idempotency import IdempotencyKeys
from clopos.server.metrics import Metrics
from clopos.server.sandbox import SandboxControls
from clopos.server.settings import Settings
from clopos.server.venue_side import OrderAcceptor
from clopos.server.webhook_sender import WebhookSender
from clopos.store import changes
from clopos.store.base import utcnow
from clopos.store.changes import ChangeFeed
from clopos.store.db import Database
from clopos.store.renders import RenderCache

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("clopos.server")


@dataclass
class ServerState:
    settings: Settings
    db: Database
    hasher: SecretHasher
    tokens: TokenService
    access: AccessCache
    limits: RateLimits
    audit: AuditLog
    feed: ChangeFeed
    responses: ResponseCache
    idempotency: IdempotencyKeys
    acceptor: OrderAcceptor
    metrics: Metrics
    # Seals what the server keeps secret (signing keys and webhook secrets at rest, the
    # console's secret cookie): core/sealing.py.
    seal: Seal
    # None when this server sends no webhooks (`CLOPOS_WEBHOOKS=false`).
    webhooks: WebhookSender | None
    # Only with CLOPOS_REDIS_URL: the counters' client, which /ready pings too.
    redis: Redis | None = None
    # Only with CLOPOS_SANDBOX_CONTROLS (server/sandbox.py).
    sandbox: SandboxControls | None = field(default=None, init=False)
    _housekeeping: asyncio.Task[None] = field(init=False, repr=False)
    _sharing: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    @classmethod
    async def start(cls, settings: Settings, db: Database) -> ServerState:
        seal = Seal(settings.hashing_key)
        tokens = TokenService(await db.read(KeyRing.load, seal), settings.token_ttl)

        async def reload_keys() -> None:
            tokens.keys = await db.read(KeyRing.load, seal)

        feed = ChangeFeed(db)
        await feed.start()
        if settings.render_cache_rows:
            db.renders = RenderCache(feed, settings.render_cache_rows)
        metrics = Metrics()
        limits = RateLimits(settings)
        audit = AuditLog(db, settings.audit_flush_seconds)
        metrics.limits, metrics.audit = limits, audit
        redis = None
        if not isinstance(limits.counters, LocalCounters):
            # Shared counters only: their modules import the redis client (counters_for).
            from clopos.server.auth.fallback import FallbackCounters
            from clopos.server.auth.redis_counters import RedisCounters

            if isinstance(limits.counters, FallbackCounters):
                fallback = limits.counters
                metrics.shared_counters_up = lambda: fallback.shared_up
                if isinstance(fallback.shared, RedisCounters):
                    redis = fallback.shared.client
        db.on_unit = metrics.unit
        state = cls(
            settings=settings,
            db=db,
            hasher=SecretHasher(settings.hashing_key),
            tokens=tokens,
            access=AccessCache(db, feed, on_keys_changed=reload_keys),
            limits=limits,
            audit=audit,
            feed=feed,
            responses=ResponseCache(feed, settings.response_cache_entries),
            idempotency=IdempotencyKeys(db, settings.idempotency_lease_seconds),
            acceptor=OrderAcceptor(db),
            metrics=metrics,
            seal=seal,
            webhooks=WebhookSender(db, seal, settings.webhook_sender())
            if settings.webhooks
            else None,
            redis=redis,
        )
        if settings.sandbox_controls:
            state.sandbox = await SandboxControls.start(state)
        state.audit.start()
        state.acceptor.start()
        if state.webhooks is not None:
            feed.subscribers.append(state.webhooks.changed)
            await state.webhooks.start()
        state._housekeeping = asyncio.create_task(state._housekeep(), name="housekeeping")
        if settings.metrics_dir is not None:
            metrics.share(settings.metrics_dir)
            state._sharing = asyncio.create_task(metrics.keep_leaving_counts(), name="metrics")
        return state

    async def _housekeep(self) -> None:
        while True:
            try:
                await self.idempotency.purge_expired()
                kept = timedelta(days=self.settings.change_log_retention_days)
                await self.db.write(changes.prune, utcnow() - kept)
                days = self.settings.audit_retention_days
                if days:
                    await self.db.write(prune_audit, utcnow() - timedelta(days=days))
                days = self.settings.webhook_retention_days
                if days:
                    await self.db.write(deliveries.prune, utcnow() - timedelta(days=days))
            except Exception:
                log.exception("housekeeping failed; trying again in an hour")
            await asyncio.sleep(3600)

    async def stop(self) -> None:
        await self.acceptor.stop()
        if self._sharing is not None:
            self._sharing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sharing
            # Its last counts stay: the others' totals must not go back when it stops.
            with contextlib.suppress(OSError):
                self.metrics.leave_counts()
        if self.webhooks is not None:
            await self.webhooks.stop()
        self._housekeeping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._housekeeping
        await self.audit.stop()
        await self.feed.close()
        if self.redis is not None:
            await self.redis.aclose()
