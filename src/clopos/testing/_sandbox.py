"""The sandbox: the real server in this process, on a throwaway copy of a seeded database."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import secrets
import shutil
import socket
import sqlite3
import tempfile
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar

import anyio.from_thread
import httpx
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from clopos.client import AsyncClient, Client
from clopos.server import bootstrap
from clopos.server.settings import Settings

P = ParamSpec("P")
T = TypeVar("T")

Transport = Literal["asgi", "http"]

# The documented sandbox credentials (the Clopos authentication guide), seeded in every sandbox.
CREDENTIALS: dict[str, str] = {
    "client_id": bootstrap.SANDBOX_CLIENT_ID,
    "client_secret": bootstrap.SANDBOX_CLIENT_SECRET,
    "brand": bootstrap.SANDBOX_BRAND,
    "venue_id": str(bootstrap.SANDBOX_VENUE),
    "integrator_id": bootstrap.SANDBOX_INTEGRATOR,
}
IN_PROCESS_URL = "http://clopos.sandbox"
_CLIENT_ADDRESS = ("127.0.0.1", 50000)


class _OwnSettings(Settings):
    """Settings from the given values only: never from the process's CLOPOS_* variables,
    which may be configuring a client under test."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def _settings(data_dir: Path, overrides: dict[str, Any]) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "sandbox_controls": True,
        "admin_token": secrets.token_urlsafe(24),
        "sqlite_synchronous": "normal",  # a sandbox needs no power-loss durability
        **overrides,
    }
    return _OwnSettings(**values)


# --- one seeded database per process, copied for each sandbox ---------------------------

_template_lock = threading.Lock()
_templates: dict[tuple[tuple[str, str], ...], Path] = {}


def _prepare(directory: Path, overrides: dict[str, Any]) -> None:

    settings = _settings(directory, overrides)

    async def run() -> None:
        db = settings.open_database()
        try:
            await bootstrap.initialise(settings, db)
        finally:
            await db.dispose()

    # Off any event loop the caller runs (an async test's).
    failure: list[BaseException] = []

    def guarded() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=guarded, name="clopos-sandbox-template")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    with sqlite3.connect(directory / "clopos.db", isolation_level=None) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


_SEEDING = ("seed_sandbox", "seed_demo_catalogue", "seed_demo_history", "secret_key")


def _template(overrides: dict[str, Any]) -> Path:
    """The seeded database for these settings, made once per process."""
    key = tuple(sorted((k, str(v)) for k, v in overrides.items() if k in _SEEDING))
    with _template_lock:
        if key not in _templates:
            directory = Path(tempfile.mkdtemp(prefix="clopos-sandbox-template-"))
            atexit.register(shutil.rmtree, directory, ignore_errors=True)
            _prepare(directory, dict(key))
            _templates[key] = directory
        return _templates[key]


def _copy_template(template: Path, target: Path) -> None:
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name in ("clopos.db", "secret.key"):
        if (template / name).exists():
            shutil.copy2(template / name, target / name)


# --- in-process transports ----------------------------------------------------------------


class _AppTransport(httpx.BaseTransport):
    """Hands each request to the app on the sandbox's event loop (its own thread)."""

    def __init__(self, portal: anyio.from_thread.BlockingPortal, app: Any) -> None:
        self._portal = portal
        self._asgi = httpx.ASGITransport(
            app=app, raise_app_exceptions=False, client=_CLIENT_ADDRESS
        )

    async def send(self, request: httpx.Request) -> httpx.Response:
        response = await self._asgi.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._portal.call(self.send, request)


class _AsyncAppTransport(httpx.AsyncBaseTransport):
    """The same for an httpx.AsyncClient on another event loop (a test's)."""

    def __init__(self, portal: anyio.from_thread.BlockingPortal, app: Any) -> None:
        self._sync = _AppTransport(portal, app)
        self._portal = portal

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await asyncio.wrap_future(self._portal.start_task_soon(self._sync.send, request))


def _free_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


# --- the sandbox ----------------------------------------------------------------------------


class Sandbox:
    """A running sandbox server. Build it with `sandbox()` (or the `clopos_sandbox` fixture).

    - `base_url`, `credentials` (and `client_id`, `client_secret`, `brand`, `venue_id`,
      `integrator_id`), `admin_token` (for `/admin/api` over HTTP);
    - `client()` / `async_client()`: our client, configured for this sandbox;
    - `http()` / `async_http()`: a plain httpx client with `base_url` set;
    - `reset()`, `snapshot(name)`, `restore(name)`, `load(catalogue_file)`;
    - `venue`, `receipts`: the venue's side; `faults`, `clock`: fault injection, test clock;
      `events`: the webhook events made (`events.wait("receipt.closed")`).
    """

    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        portal: anyio.from_thread.BlockingPortal,
        app: Any,
        base_url: str,
    ) -> None:
        from clopos.testing._controls import Clock, Events, Faults, Receipts, Stock, Till, Venue

        self.data_dir = data_dir
        self.settings = settings
        self.app = app
        self.base_url = base_url
        self.transport: Transport = "asgi" if base_url == IN_PROCESS_URL else "http"
        self.credentials = dict(CREDENTIALS)
        self.client_id = CREDENTIALS["client_id"]
        self.client_secret = CREDENTIALS["client_secret"]
        self.brand = CREDENTIALS["brand"]
        self.venue_id = int(CREDENTIALS["venue_id"])
        self.integrator_id = CREDENTIALS["integrator_id"]
        assert settings.admin_token is not None
        self.admin_token = settings.admin_token.get_secret_value()
        self._portal = portal
        self._closers: list[Callable[[], Any]] = []
        self._async_closers: list[httpx.AsyncClient] = []
        self.venue = Venue(self)
        self.receipts = Receipts(self)
        self.till = Till(self)
        self.stock = Stock(self)
        self.faults = Faults(self)
        self.clock = Clock(self)
        self.events = Events(self)

    # --- running code on the server's event loop ----------------------------------------

    def call(self, fn: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `await fn(*args, **kwargs)` on the server's event loop and answer its result."""

        async def run() -> T:
            return await fn(*args, **kwargs)

        return self._portal.call(run)

    @property
    def state(self) -> Any:
        """The server's `ServerState` (tokens, caches, sandbox controls)."""
        return self.app.state.server

    @property
    def controls(self) -> Any:
        return self.state.sandbox

    # --- clients -------------------------------------------------------------------------

    def http(self, **options: Any) -> httpx.Client:
        """An httpx.Client for this sandbox (closed with the sandbox)."""
        if self.transport == "asgi":
            options.setdefault("transport", _AppTransport(self._portal, self.app))
        client = httpx.Client(base_url=self.base_url, **options)
        self._closers.append(client.close)
        return client

    def async_http(self, **options: Any) -> httpx.AsyncClient:
        """An httpx.AsyncClient for this sandbox; close it (`async with`) on your loop."""
        if self.transport == "asgi":
            options.setdefault("transport", _AsyncAppTransport(self._portal, self.app))
        return httpx.AsyncClient(base_url=self.base_url, **options)

    def _client_options(self, options: dict[str, Any]) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "base_url": self.base_url,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "brand": self.brand,
            "venue_id": self.venue_id,
            "integrator_id": self.integrator_id,
        }
        return {**settings, **options}

    def client(self, **options: Any) -> Client:
        """Our client configured for this sandbox (v2 unless `version=1`); any `Client`
        argument may be given. Closed with the sandbox."""
        if self.transport == "asgi" and "http_client" not in options:
            options["http_client"] = self.http()
        client = Client(**self._client_options(options))
        self._closers.append(client.close)
        return client

    def async_client(self, **options: Any) -> AsyncClient:
        """Our async client configured for this sandbox; use it as `async with` (on your
        event loop) so it is closed there."""
        if self.transport == "asgi" and "http_client" not in options:
            options["http_client"] = self.async_http()
        return AsyncClient(**self._client_options(options))

    # --- state ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the seeded state: data, caches, rate-limit counters, faults, clock."""
        self.call(self.controls.reset)

    def snapshot(self, name: str) -> None:
        """Keep the data as it is now under `name` (see `restore`)."""
        self.call(self.controls.snapshot, name)

    def restore(self, name: str) -> None:
        """The data as `snapshot(name)` kept it; caches, counters, faults and clock fresh."""
        self.call(self.controls.restore, name)

    def load(
        self, catalogue_file: str | os.PathLike[str], brand: str | None = None
    ) -> dict[str, int]:
        """Import a catalogue file (YAML or JSON, docs/import.md) into the sandbox brand (or
        `brand`), in one transaction, as `clopos admin import` does."""
        from clopos.core.access.brands import brand_id_of
        from clopos.core.catalogue_import.importer import (
            import_catalogue,
            load_document,
            parse_document,
        )

        document = parse_document(load_document(Path(catalogue_file)))
        slug = brand or document.brand or self.brand

        def work(session: Any) -> dict[str, int]:
            return import_catalogue(session, brand_id_of(session, slug), document)

        created: dict[str, int] = self.call(self.state.db.write, work)
        return created

    def close(self) -> None:
        for close in reversed(self._closers):
            with contextlib.suppress(Exception):
                close()
        self._closers.clear()


def serve_http(
    portal: anyio.from_thread.BlockingPortal, app: Any
) -> tuple[str, Callable[[], None]]:
    """Serve `app`, whose lifespan already runs on `portal`'s loop, on a free loopback port
    (uvicorn on that same loop): its base URL, and how to stop serving."""
    import uvicorn

    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        lifespan="off",  # the lifespan already runs on this loop
        log_config=None,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        ws="none",
    )
    server = uvicorn.Server(config)

    async def start() -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.002)
        return task

    task = portal.call(start)

    def stop() -> None:
        server.should_exit = True

        async def stopped() -> None:
            await task

        portal.call(stopped)
        sock.close()

    return f"http://127.0.0.1:{port}", stop


@contextlib.contextmanager
def sandbox(
    *,
    transport: Transport = "asgi",
    settings: dict[str, Any] | None = None,
    directory: str | os.PathLike[str] | None = None,
) -> Iterator[Sandbox]:
    """A sandbox server for the block: the real app, in this process, on a fresh copy of a
    seeded database (the documented `openapitest` brand, its credentials, the demo café).

    `transport="asgi"` (default) serves no port: `client()` and `http()` hand requests to
    the app directly. `transport="http"` also serves it on a free 127.0.0.1 port
    (`base_url`), for code that needs a URL. `settings` overrides server settings
    (e.g. `{"token_ttl": 60}`); `directory` keeps the sandbox's files there instead of in a
    temporary directory removed afterwards.
    """
    from clopos.server.app import create_app

    if transport not in ("asgi", "http"):
        raise ValueError("transport is 'asgi' or 'http'")
    overrides = dict(settings or {})
    template = _template(overrides)
    with contextlib.ExitStack() as stack:
        if directory is None:
            data_dir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="clopos-sandbox-"))
            )
        else:
            data_dir = Path(directory)
        _copy_template(template, data_dir)
        server_settings = _settings(data_dir, overrides)
        app = create_app(server_settings)
        portal = stack.enter_context(anyio.from_thread.start_blocking_portal("asyncio"))
        stack.enter_context(portal.wrap_async_context_manager(app.router.lifespan_context(app)))
        base_url = IN_PROCESS_URL
        if transport == "http":
            base_url, stop = serve_http(portal, app)
            stack.callback(stop)
        box = Sandbox(data_dir, server_settings, portal, app, base_url)
        stack.callback(box.close)
        yield box


@contextlib.asynccontextmanager
async def async_sandbox(
    *,
    transport: Transport = "asgi",
    settings: dict[str, Any] | None = None,
    directory: str | os.PathLike[str] | None = None,
) -> AsyncIterator[Sandbox]:
    """`sandbox()` for async code: started and stopped off the caller's event loop. The
    server runs on a loop of its own; `async_client()` and `async_http()` reach it from
    yours, and the controls (`reset()`, `venue.accept(...)`, ...) are plain calls that take
    milliseconds."""
    manager = sandbox(transport=transport, settings=settings, directory=directory)
    box = await asyncio.to_thread(manager.__enter__)
    try:
        yield box
    except BaseException as exc:
        if not await asyncio.to_thread(manager.__exit__, type(exc), exc, exc.__traceback__):
            raise
    else:
        await asyncio.to_thread(manager.__exit__, None, None, None)
