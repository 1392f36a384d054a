"""Sandbox controls: reset, snapshots, fault injection and a test clock, for test suites.

Present on a server only when `CLOPOS_SANDBOX_CONTROLS` is set (`ServerState.sandbox`), and
each control acts only for a brand in test mode; a production brand is refused and its
requests never see an injected fault or a moved clock:

- **faults** (pipeline/faults.py) are armed per brand;
- **the clock** is an offset per brand: tokens issued for that brand carry expiries on its
  clock and are checked against it, its rate-limit windows pass when it moves past them, and
  its `accept-after` orders fall due as their delay passes on it;
- **events**: every webhook event of a test brand is kept, subscribed or not, for a test
  to read or wait for (`events`);
- **reset / snapshot / restore** copy the whole SQLite database (SQLite's backup API, a few
  milliseconds), so they are refused while any brand is in production mode.

The server takes a `baseline` snapshot when it starts: `reset` goes back to it.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.access.table import ApiClient, Brand, Integrator
from clopos.core.errors import Invalid, not_found
from clopos.core.orders import life as orders
from clopos.core.orders.table import Order
from clopos.core.webhooks import deliveries
from clopos.server.auth.ratelimit import RateLimits
from clopos.server.auth.tokens import IssuedToken, TokenGrant, TokenService
from clopos.server.errors import ApiError
from clopos.server.pipeline.faults import FaultPlan
from clopos.store.base import utcnow
from clopos.store.changes import Changes

if TYPE_CHECKING:
    from clopos.server.state import ServerState

BASELINE = "baseline"
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def refused(message: str) -> ApiError:
    return ApiError(403, "sandbox_forbidden", message)


def _brand_facts(session: Session, slug: str) -> dict[str, Any]:
    brand = session.scalar(select(Brand).where(Brand.slug == slug))
    if brand is None:
        raise not_found(f"Brand '{slug}' not found")
    clients = list(
        session.scalars(select(ApiClient.client_id).where(ApiClient.brand_id == brand.id))
    )
    integrators = list(session.scalars(select(Integrator.id)))
    return {"id": brand.id, "mode": brand.mode, "clients": clients, "integrators": integrators}


def _production_brands(session: Session) -> list[str]:
    return list(
        session.scalars(select(Brand.slug).where(Brand.mode != "test").order_by(Brand.slug))
    )


def _fast_forward(session: Session, brand_id: int, seconds: float) -> int:
    """Bring the brand's `accept-after` orders `seconds` closer, and accept those now due."""
    pending = session.scalars(
        select(Order).where(
            Order.brand_id == brand_id, Order.status == "PENDING", Order.accept_at.is_not(None)
        )
    )
    for order in pending:
        assert order.accept_at is not None
        order.accept_at = order.accept_at - timedelta(seconds=seconds)
    session.flush()
    due = [(b, o) for b, o in orders.due_orders(session, utcnow()) if b == brand_id]
    return orders.accept_due(session, due) if due else 0


def _install_clock(tokens: TokenService, offset_of: Callable[[str], float]) -> None:
    """Make the token service issue and check each brand's tokens by that brand's clock.

    PyJWT refuses an `iat` later than the wall clock, so a token of a brand whose clock is
    ahead is issued at wall time with its lifetime stretched by the offset: its `exp`, and
    the `expires_at` answered, are the brand's clock plus the token lifetime.
    """
    issue, verify = tokens.issue, tokens.verify

    def issue_by_clock(grant: TokenGrant, now: float | None = None) -> IssuedToken:
        offset = int(offset_of(grant.brand))
        if now is not None or offset <= 0:
            return issue(grant, now)
        ttl = tokens.ttl
        tokens.ttl = ttl + offset
        try:
            issued = issue(grant, None)
        finally:
            tokens.ttl = ttl
        return IssuedToken(token=issued.token, expires_in=ttl, expires_at=issued.expires_at)

    def verify_by_clock(token: str, version: int, now: float | None = None) -> dict[str, Any]:
        if now is not None:
            return verify(token, version, now)
        claims = verify(token, version, 0.0)  # signature and shape, not yet the expiry
        return verify(token, version, time.time() + offset_of(claims["brand"]))

    tokens.issue = issue_by_clock  # type: ignore[method-assign]
    tokens.verify = verify_by_clock  # type: ignore[method-assign]


class SandboxControls:
    """The sandbox controls of one server (see the module's docstring)."""

    def __init__(self, state: ServerState) -> None:
        self.state = state
        self.faults = FaultPlan()
        self.offsets: dict[str, float] = {}
        path = state.db.sqlite_path
        self.directory = state.settings.data_dir / "sandbox-snapshots"
        self.database = Path(path) if path is not None else None
        _install_clock(state.tokens, self.offset)

    @classmethod
    async def start(cls, state: ServerState) -> SandboxControls:
        controls = cls(state)
        if controls.database is not None:
            controls.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not (controls.directory / f"{BASELINE}.db").exists():
                controls._copy(controls.database, controls.directory / f"{BASELINE}.db")
        return controls

    # --- per brand ----------------------------------------------------------------------

    def offset(self, brand: str) -> float:
        return self.offsets.get(brand, 0.0)

    async def test_brand(self, slug: str) -> dict[str, Any]:
        """The brand's facts, or 403 when it is not in test mode."""
        facts: dict[str, Any] = await self.state.db.read(_brand_facts, slug)
        if facts["mode"] != "test":
            raise refused(f"Brand '{slug}' is in {facts['mode']} mode: sandbox controls refused")
        return facts

    def clock(self, brand: str) -> dict[str, Any]:
        offset = self.offset(brand)
        return {"brand": brand, "offset_seconds": offset, "now": time.time() + offset}

    async def advance(self, brand: str, seconds: float) -> dict[str, Any]:
        """Move the brand's clock forward: its tokens expire, its rate windows pass, its
        `accept-after` orders fall due (accepted before this returns)."""
        if seconds < 0:
            raise Invalid("The test clock only moves forward")
        facts = await self.test_brand(brand)
        self.offsets[brand] = self.offset(brand) + seconds
        limits = self.state.limits
        for tier in (limits.v1_minute, limits.v1_hour):
            if tier is not None and tier.seconds <= seconds:
                for client_id in facts["clients"]:
                    await limits.clear(tier, client_id)
        if limits.tenant is not None and limits.tenant.seconds <= seconds:
            for integrator in facts["integrators"]:
                await limits.clear(limits.tenant, f"{integrator}:{brand}")
        accepted = await self.state.db.write(_fast_forward, facts["id"], seconds)
        return {**self.clock(brand), "orders_accepted": accepted}

    async def events(
        self, brand: str, type: str | None, after: str | None, wait: float = 0.0
    ) -> list[dict[str, Any]]:
        """The webhook events made for the brand (after the event `after`, of one `type`),
        oldest first; waits up to `wait` seconds for at least one. The sender runs a round
        first, so what was written before the call is there."""
        facts = await self.test_brand(brand)
        deadline = time.monotonic() + wait
        while True:
            sender = self.state.webhooks
            if sender is not None:
                await sender.round()
            found: list[dict[str, Any]] = await self.state.db.read(
                deliveries.events, facts["id"], type, after
            )
            if found or time.monotonic() >= deadline:
                return found
            await asyncio.sleep(0.02)

    # --- the whole database -------------------------------------------------------------

    async def _whole_database(self) -> Path:
        if self.database is None:
            raise Invalid("Reset, snapshots and restores need the embedded (SQLite) database")
        production = await self.state.db.read(_production_brands)
        if production:
            raise refused(
                "Reset, snapshots and restores copy the whole database, and these brands are "
                f"in production mode: {', '.join(production)}"
            )
        return self.database

    def _snapshot_path(self, name: str) -> Path:
        if not _NAME.fullmatch(name):
            raise Invalid("A snapshot name is 1-64 letters, digits, '.', '_' or '-'")
        return self.directory / f"{name}.db"

    def snapshots(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.db"))

    @staticmethod
    def _copy(source: Path, target: Path) -> None:
        with (
            sqlite3.connect(source, isolation_level=None) as src,
            sqlite3.connect(target, isolation_level=None, timeout=30) as dst,
        ):
            src.backup(dst)
        src.close()
        dst.close()

    async def snapshot(self, name: str) -> dict[str, Any]:
        database = await self._whole_database()
        if name == BASELINE:
            raise Invalid(f"'{BASELINE}' is the state reset goes back to; choose another name")
        target = self._snapshot_path(name)
        target.unlink(missing_ok=True)
        self._copy(database, target)
        return {"snapshot": name}

    async def restore(self, name: str) -> dict[str, Any]:
        """The database as snapshot `name` holds it; caches, counters, faults and clocks
        as a fresh server's."""
        database = await self._whole_database()
        source = self._snapshot_path(name)
        if not source.exists():
            raise not_found(f"No snapshot '{name}'")
        state = self.state
        seq = state.feed.seq
        self._copy(source, database)
        with sqlite3.connect(database, isolation_level=None, timeout=30) as connection:
            # Change numbers never go back: the change feed has seen `seq` already.
            moved = connection.execute(
                "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'change_log'", (seq,)
            )
            if moved.rowcount == 0:
                connection.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES ('change_log', ?)", (seq,)
                )
        connection.close()
        if state.webhooks is not None:
            await state.webhooks.restored()
        everything = Changes((), everything=True)
        for subscriber in list(state.feed.subscribers):
            await subscriber(everything)
        state.responses.clear()
        if state.db.renders is not None:
            state.db.renders.clear()
        state.limits = RateLimits(state.settings)
        self.faults.clear()
        self.offsets.clear()
        return {"restored": name}

    async def reset(self) -> dict[str, Any]:
        await self.restore(BASELINE)
        return {"reset": True}
