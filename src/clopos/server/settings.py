"""Server settings: environment variables `CLOPOS_*`, overridable by CLI flags."""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from clopos.server.webhook_sender import SenderSettings
    from clopos.store.db import Database


class Settings(BaseSettings):
    """Every knob of the server. Defaults give an embedded, self-contained sandbox."""

    model_config = SettingsConfigDict(env_prefix="CLOPOS_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Field(Path("var"), description="Where the embedded database and key live")
    database_url: str | None = Field(
        None, description="SQLAlchemy async URL; default: SQLite file in data_dir"
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Key for hashing client secrets; default: generated into data_dir/secret.key",
    )
    admin_token: SecretStr | None = Field(
        None, description="Bearer token of the operator HTTP API (/admin/api); unset disables it"
    )
    database_pool_size: int = Field(
        10,
        ge=1,
        le=500,
        description="PostgreSQL connections a worker keeps open; more requests at once wait "
        "for one of them",
    )
    sqlite_synchronous: Literal["full", "normal"] = Field(
        "full",
        description="SQLite durability: `full` survives power loss; `normal` only a process "
        "crash, for more commits per second",
    )
    host: str = "127.0.0.1"
    port: int = 8080
    seed_sandbox: bool | None = Field(
        None,
        description="Seed the public openapitest sandbox; default: yes, except in production",
    )
    seed_demo_catalogue: bool = True
    seed_demo_history: bool = Field(
        True,
        description="With the demo catalogue, a fresh sandbox also gets history: storages, "
        "suppliers, stock documents and a few days of cash shifts with closed receipts",
    )

    sandbox_controls: bool = Field(
        False,
        description="Sandbox controls for test-mode brands: reset, snapshots, injected faults "
        "and a test clock (clopos.testing, /admin/api/sandbox); for test servers only",
    )

    token_ttl: int = Field(3600, ge=1, description="Token lifetime in seconds")
    unknown_query_parameters: Literal["report", "reject-test", "reject"] = Field(
        "report",
        description="Query parameters an API route does not read: `report` answers as the "
        "service does and names them in X-Clopos-Ignored-Parameters; `reject` answers 400 "
        "naming them; `reject-test` rejects for test-mode brands only",
    )

    # Rate limits: each is a count per sliding window; 0 disables that tier.
    rate_limit_storage: str = Field(
        "memory://",
        description="`limits` storage URI; CLOPOS_REDIS_URL, when set, takes its place",
    )
    redis_url: SecretStr | None = Field(
        None,
        description="Redis shared by every instance and worker (redis://host:6379/0): rate "
        "limits, lockouts and the console's sign-in throttle are counted there; unset: in "
        "each process",
    )
    redis_timeout: float = Field(
        0.25,
        gt=0,
        le=10,
        description="Seconds a Redis call may take; slower or unreachable, this process "
        "counts in its own memory until Redis answers again (docs/deployment.md)",
    )
    auth_per_minute: int = Field(60, ge=0, description="POST /auth attempts per client IP")
    failed_per_minute: int = Field(600, ge=0, description="Failed (>=400) requests per client IP")
    tenant_per_minute: int = Field(300, ge=0, description="v2 requests per integrator and brand")
    v1_per_minute: int = Field(100, ge=0, description="v1 requests per client per minute")
    v1_per_hour: int = Field(1000, ge=0, description="v1 requests per client per hour")
    lockout_attempts: int = Field(
        10, ge=0, description="Wrong secrets from one address before a client id locks there"
    )
    lockout_seconds: int = Field(
        300, ge=1, description="How long a client id stays locked for that address"
    )

    idempotency_lease_seconds: float = Field(
        30,
        gt=0,
        description="How long an Idempotency-Key claim outlives a server that died mid-request "
        "(renewed while the request runs)",
    )
    audit_flush_seconds: float = Field(0.2, gt=0)
    audit_retention_days: int = Field(
        90, ge=0, description="Audit events older than this are deleted hourly; 0 keeps all"
    )
    response_cache_entries: int = Field(
        4096, ge=0, description="GET answers kept until what they were made from changes; 0: off"
    )
    render_cache_rows: int = Field(
        50_000, ge=0, description="Rendered rows kept until their resource changes; 0: off"
    )
    change_log_retention_days: int = Field(
        7, ge=1, description="Change-log rows older than this are deleted hourly"
    )

    # Operating: logs, metrics, stopping (docs/deployment.md).
    log_format: Literal["text", "json"] = Field(
        "text", description="`json`: one JSON object a line, with the request's id"
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="Bearer token /metrics asks for; unset: /metrics answers loopback "
        "callers only (never through a proxy)",
    )
    metrics_dir: Path | None = Field(
        None,
        description="Where the workers of one `clopos serve --workers N` leave their counts "
        "for each other's /metrics (set by `clopos serve`; unset: this process's only)",
    )
    shutdown_timeout: float = Field(
        20.0,
        gt=0,
        le=600,
        description="Seconds a stopping worker gives in-flight requests to finish",
    )
    # Webhooks (docs/webhooks.md): one sender among every instance.
    webhooks: bool = Field(
        True,
        description="Run the webhook sender with this server (one instance at a time sends); "
        "off when `clopos webhooks run` sends instead",
    )
    webhook_sender_process: bool = Field(
        True,
        description="`clopos serve` runs its sender as a process of its own, started and "
        "stopped with the server (its workers never carry it); false: inside each worker. A "
        "server with sandbox controls always sends from its workers",
    )
    webhook_poll_seconds: float = Field(
        1.0, gt=0, le=60, description="How often the sender looks for changes made elsewhere"
    )
    webhook_round_seconds: float = Field(
        0.25,
        gt=0,
        le=10,
        description="At most how often the sender makes events and notes answers: under load "
        "each round takes a batch; a resource's next event goes once the answer to the one "
        "before is noted",
    )
    webhook_lease_seconds: float = Field(
        15.0,
        gt=0,
        le=3600,
        description="How long another instance waits to take over from a sender that died",
    )
    webhook_timeout: float = Field(
        10.0, gt=0, le=120, description="Seconds a receiver has to answer a delivery"
    )
    webhook_concurrency: int = Field(32, ge=1, le=256, description="Deliveries in flight at once")
    webhook_retry_base_seconds: float = Field(
        30.0, gt=0, description="The first retry's delay; each next one doubles (with jitter)"
    )
    webhook_retry_cap_seconds: float = Field(
        3600.0, gt=0, description="The longest delay between two attempts"
    )
    webhook_retention_days: int = Field(
        30,
        ge=0,
        description="Finished webhook deliveries and their events older than this are deleted "
        "hourly; 0 keeps all",
    )
    webhook_attempts: int = Field(
        12, ge=1, le=100, description="Attempts before a delivery is dead (replayable by hand)"
    )

    # Hardening: connections, requests and proxies (docs/security.md).
    max_body_bytes: int = Field(
        1_048_576, ge=1024, description="Largest request body accepted; larger: 413"
    )
    body_timeout: float = Field(
        30.0, gt=0, description="Seconds a request body may take to arrive; slower: 408"
    )
    header_timeout: float = Field(
        10.0,
        gt=0,
        description="Seconds a new connection may take to send a complete request head",
    )
    keep_alive_timeout: float = Field(
        5.0, gt=0, description="Seconds an idle keep-alive connection is kept open"
    )
    max_connections: int = Field(
        2048, ge=16, description="Connections one worker serves at once (more wait or get 503)"
    )
    max_silent_per_address: int = Field(
        128,
        ge=0,
        description="Connections one address may hold without a complete request head; "
        "more are closed (0: no cap)",
    )
    forwarded_allow_ips: str = Field(
        "",
        description="Comma-separated addresses or networks of proxies whose "
        "X-Forwarded-For is trusted; empty: none",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.secret_key is None:
            raise ValueError("CLOPOS_SECRET_KEY must be set when CLOPOS_ENVIRONMENT=production")
        return self

    def webhook_sender(self) -> SenderSettings:
        """The webhook sender's settings (server/webhook_sender.py)."""
        from clopos.core.webhooks.deliveries import RetryPolicy
        from clopos.server.webhook_sender import SenderSettings

        return SenderSettings(
            capture_tests=self.sandbox_controls,
            poll=self.webhook_poll_seconds,
            round_tick=self.webhook_round_seconds,
            lease_seconds=self.webhook_lease_seconds,
            timeout=self.webhook_timeout,
            concurrency=self.webhook_concurrency,
            policy=RetryPolicy(
                self.webhook_retry_base_seconds,
                self.webhook_retry_cap_seconds,
                self.webhook_attempts,
            ),
        )

    @property
    def seeds_sandbox(self) -> bool:
        """The sandbox's credentials are published: never seeded in production unless asked."""
        if self.seed_sandbox is None:
            return self.environment != "production"
        return self.seed_sandbox

    @property
    def counter_storage(self) -> str:
        """Where rate-limit counters live: Redis when configured, else the `limits` URI."""
        if self.redis_url is not None:
            return self.redis_url.get_secret_value()
        return self.rate_limit_storage

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'clopos.db').resolve()}"

    def open_database(self) -> Database:
        """The store's Database as these settings configure it (the store knows no Settings)."""
        from clopos.store.db import Database

        return Database(
            self.resolved_database_url,
            synchronous=self.sqlite_synchronous,
            pool_size=self.database_pool_size,
        )

    @cached_property
    def hashing_key(self) -> bytes:
        """The secret-hashing key: from the environment, else a key file made on first use."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()
