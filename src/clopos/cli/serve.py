"""`clopos serve`: start the API server."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
from typing import TYPE_CHECKING, Any

import click

from clopos.cli import ports
from clopos.cli.context import database_options

if TYPE_CHECKING:
    from clopos.server.settings import Settings


@click.command()
@click.option("--host", envvar="CLOPOS_HOST", default="127.0.0.1", show_default=True)
@click.option("--port", envvar="CLOPOS_PORT", default=8080, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (rate-limit counters are per worker unless a shared "
    "storage such as Redis is configured).",
)
@click.option(
    "--server",
    "server_name",
    type=click.Choice(["granian", "uvicorn"]),
    default="granian",
    show_default=True,
    help="The ASGI server to run on.",
)
@database_options
@click.option("--token-ttl", type=click.IntRange(1), help="Token lifetime, seconds [3600].")
@click.option("--no-sandbox", is_flag=True, help="Do not seed the openapitest sandbox.")
@click.option(
    "--share-port",
    is_flag=True,
    help="Start even if another server listens on the port (the kernel spreads "
    "connections between them).",
)
def serve(
    host: str,
    port: int,
    workers: int,
    server_name: str,
    token_ttl: int | None,
    no_sandbox: bool,
    share_port: bool,
) -> None:
    """Start the server: creates the schema and the sandbox on first start."""
    if not share_port:
        ports.ensure_free(host, port)
    # Flags become environment variables so that every worker process builds the same Settings.
    overrides = {
        "CLOPOS_TOKEN_TTL": str(token_ttl) if token_ttl else None,
        "CLOPOS_SEED_SANDBOX": "false" if no_sandbox else None,
    }
    os.environ.update({k: v for k, v in overrides.items() if v is not None})

    from clopos.server import logs
    from clopos.server.bootstrap import initialise
    from clopos.server.settings import Settings

    settings = Settings()
    logs.configure(settings.log_format)
    log_config = logs.json_config() if settings.log_format == "json" else None

    # The webhook sender as a process of its own, unless it goes inside the workers (or a
    # sandbox's controls need it there: they make events on demand and put the database back).
    sender_apart = (
        settings.webhooks and settings.webhook_sender_process and not settings.sandbox_controls
    )

    async def prepare() -> None:
        db = settings.open_database()
        try:
            await initialise(settings, db)
            if sender_apart:
                # Its place in the log made now: changes from the first request on are sent,
                # however long the sender's process takes to start.
                from clopos.core.webhooks import lease

                await db.write(lease.place)
        finally:
            await db.dispose()

    asyncio.run(prepare())
    _raise_descriptor_limit(settings.max_connections)
    shared_metrics = None
    if workers > 1 and settings.metrics_dir is None:
        # Each worker's counts where the others read them: a scrape reaches one worker.
        shared_metrics = tempfile.mkdtemp(prefix="clopos-metrics-")
        os.environ["CLOPOS_METRICS_DIR"] = shared_metrics
    sender = None
    if sender_apart:
        from clopos.cli.sender_process import SenderProcess, answering, child_environment

        sender = SenderProcess(child_environment(), ready=answering(host, port))
        os.environ["CLOPOS_WEBHOOKS"] = "false"  # the workers leave the sending to it
        sender.start()
    try:
        _run(settings, host, port, workers, server_name, log_config)
    finally:
        if sender is not None:
            sender.stop(settings.shutdown_timeout)
        if shared_metrics is not None:
            shutil.rmtree(shared_metrics, ignore_errors=True)


def _run(
    settings: Settings,
    host: str,
    port: int,
    workers: int,
    server_name: str,
    log_config: dict[str, Any] | None,
) -> None:
    banner = f"Clopos Open API on http://{host}:{port} (docs: http://{host}:{port}/docs)"
    if log_config is None:
        click.echo(banner)
    else:  # every line a JSON object
        logging.getLogger("clopos.server").info(banner)
    if server_name == "granian":
        from granian import Granian
        from granian.constants import Interfaces
        from granian.http import HTTP1Settings

        Granian(
            "clopos.server.asgi:create",
            address=host,
            port=port,
            workers=workers,
            interface=Interfaces.ASGI,
            factory=True,
            log_access=False,
            log_dictconfig=log_config,
            # On SIGTERM a worker stops accepting, lets in-flight requests finish, then
            # stops; one still running after this long is killed.
            workers_kill_timeout=max(1, round(settings.shutdown_timeout)),
            # Connections per worker at once; more wait in the listen backlog.
            backpressure=settings.max_connections,
            backlog=max(1024, settings.max_connections),
            http1_settings=HTTP1Settings(
                # A request head (also the next one on a kept-alive connection) must arrive
                # in this time; granian does not time out a connection that sends nothing:
                # pipeline/connections.py closes those.
                header_read_timeout=int(settings.header_timeout * 1000),
            ),
        ).serve()
    else:
        import uvicorn

        uvicorn.run(
            "clopos.server.asgi:create",
            host=host,
            port=port,
            workers=workers,
            factory=True,
            log_level="warning",
            # Client addresses come from the socket; X-Forwarded-For is read by the app, from
            # CLOPOS_FORWARDED_ALLOW_IPS only (uvicorn would trust it from loopback).
            proxy_headers=False,
            forwarded_allow_ips="",
            server_header=False,
            timeout_graceful_shutdown=max(1, round(settings.shutdown_timeout)),
            log_config=log_config or uvicorn.config.LOGGING_CONFIG,
            # Beyond this many connections and tasks, uvicorn answers 503.
            limit_concurrency=settings.max_connections,
            backlog=max(2048, settings.max_connections),
            timeout_keep_alive=max(1, round(settings.keep_alive_timeout)),
            # A head larger than this is refused by h11 (the app refuses above 16 KiB first).
            h11_max_incomplete_event_size=64 * 1024,
        )


def _raise_descriptor_limit(connections: int) -> None:
    """Room for `connections` sockets per worker: the soft descriptor limit up to the hard one
    (a soft limit of 1024 is common, and every connection is a descriptor)."""
    try:
        import resource
    except ImportError:  # not POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
