"""What the console keeps per app: its settings, its clock, the sign-in throttle and the
live-orders feed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from clopos.console.live import LiveFeed
from clopos.server.auth.ratelimit import Counters, Decision, LocalCounters, Tier

if TYPE_CHECKING:
    from clopos.server.state import ServerState


class ConsoleSettings(BaseSettings):
    """`CLOPOS_CONSOLE_*`: the console's own knobs."""

    model_config = SettingsConfigDict(env_prefix="CLOPOS_CONSOLE_", extra="ignore")

    session_minutes: int = Field(
        480, ge=1, le=60 * 24 * 30, description="How long a console session lasts"
    )
    login_attempts: int = Field(
        5, ge=1, description="Failed sign-ins for one name from one address before a pause"
    )
    login_window_seconds: int = Field(
        900, ge=1, description="The window those failed sign-ins are counted over"
    )


class ConsoleState:
    """The console's per-app state (`app.state.console`)."""

    def __init__(self, settings: ConsoleSettings | None = None) -> None:
        self.settings = settings or ConsoleSettings()
        # Tests move the console's clock instead of sleeping through a session's lifetime.
        self.offset = 0.0
        self._counters: Counters | None = None
        self._live: LiveFeed | None = None

    # --- time ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.fromtimestamp(time.time() + self.offset, UTC)

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(minutes=self.settings.session_minutes)

    # --- sign-in throttle ---------------------------------------------------------------

    def _keyed_tiers(self, name: str, ip: str) -> tuple[tuple[Tier, str], tuple[Tier, str]]:
        settings = self.settings
        per_name = Tier(settings.login_attempts, settings.login_window_seconds, "console_name")
        # One address trying many names: a few names' worth of attempts.
        per_address = Tier(
            settings.login_attempts * 4, settings.login_window_seconds, "console_address"
        )
        return (per_name, f"console-login:{name.lower()}:{ip}"), (
            per_address,
            f"console-login:{ip}",
        )

    def counters(self, server: ServerState) -> Counters:
        if self._counters is None:
            shared = server.limits.counters
            # Shared counters are the API's (one client, one Redis); local ones are the
            # console's own, on the console's clock (tests move it).
            self._counters = (
                LocalCounters(lambda: time.time() + self.offset)
                if isinstance(shared, LocalCounters)
                else shared
            )
        return self._counters

    async def login_refused(self, server: ServerState, name: str, ip: str) -> Decision | None:
        """The refusal binding a sign-in from `ip` for `name`, if either tier is spent."""
        counters = self.counters(server)
        for tier, key in self._keyed_tiers(name, ip):
            decision = await counters.peek(tier, key)
            if not decision.allowed:
                return decision
        return None

    async def login_failed(self, server: ServerState, name: str, ip: str) -> None:
        counters = self.counters(server)
        for tier, key in self._keyed_tiers(name, ip):
            await counters.hit(tier, key)

    async def login_succeeded(self, server: ServerState, name: str, ip: str) -> None:
        tier, key = self._keyed_tiers(name, ip)[0]
        await self.counters(server).clear(tier, key)

    # --- live orders --------------------------------------------------------------------

    def live(self, server: ServerState) -> LiveFeed:
        if self._live is None or self._live.feed is not server.feed:
            self._live = LiveFeed(server.feed)
        return self._live
