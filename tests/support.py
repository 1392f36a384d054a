"""Running the real server for tests.

- In this process (almost every test): the app `create_app(settings)` under its lifespan, on
  an event loop of its own in a background thread, called through `live.http` (an
  `httpx.Client` whose transport hands each request to the app on that loop). On demand the
  same app also answers on a loopback socket (`live.url`, uvicorn on that loop), for tests
  that need a real URL: the client library with its own transport, the fault proxy.
- As a `clopos serve` process on a loopback port (`serve_process`), for the smoke tests whose
  point is a real process (tests/smoke).

The database is prepared the way `clopos serve` prepares it, by the same code: every
`clopos admin` command first initialises the database it is pointed at (schema, signing
key, sandbox). A `Backend` does that once per kind of server and copies the result.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import anyio.from_thread
import httpx
from click.testing import CliRunner, Result
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from clopos.server.bootstrap import initialise
from clopos.server.settings import Settings
from clopos.testing._sandbox import serve_http

SANDBOX = {
    "client_id": "6553676e0d265ac837e8f79fc",
    "client_secret": "seCyF_4vja6yddQxE2PlerET0Uhy8ASbJ36hO68PD3JM=",
    "brand": "openapitest",
    "venue_id": "1",
    "integrator_id": "1",
}


TEST_LIMITS = {
    "auth_per_minute": 100_000,
    "failed_per_minute": 100_000,
    "tenant_per_minute": 100_000,
    "v1_per_minute": 100_000,
    "v1_per_hour": 1_000_000,
    "lockout_attempts": 1_000,
}

# What a request made through `live.http` comes from, as a socket's peer would.
CLIENT_ADDRESS = ("127.0.0.1", 50000)


def metric_sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus' text format (labels in any order)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="([^"]*)"', head))
        if head.split("{")[0] == name and found == labels:
            return float(value)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerClock:
    """The clock an in-process server issues and checks token lifetimes by.

    Wall time plus an offset a test can move (`advance`), or frozen (`freeze`): tests of
    expiry step past a lifetime instead of sleeping through it.
    """

    def __init__(self) -> None:
        self.offset = 0.0
        self.frozen: float | None = None

    def __call__(self) -> float:
        return self.frozen if self.frozen is not None else time.time() + self.offset

    def advance(self, seconds: float) -> None:
        if self.frozen is not None:
            self.frozen += seconds
        else:
            self.offset += seconds

    def freeze(self, behind: float = 60) -> None:
        """Stop on a whole second (token claims are whole seconds), `behind` seconds before
        the wall clock: PyJWT refuses an `iat` later than the wall clock whatever time the
        server verifies at, so a test may advance a frozen clock by up to `behind`."""
        self.frozen = float(int(time.time() - behind))

    @contextlib.contextmanager
    def shifted(self, seconds: float) -> Iterator[None]:
        """Later by `seconds` inside the block only (for a server other tests share)."""
        self.advance(seconds)
        try:
            yield
        finally:
            self.advance(-seconds)


def _install_clock(tokens: Any, clock: ServerClock) -> None:
    """Make the server's token service read `clock` (it takes `now` on every call)."""
    issue, verify = tokens.issue, tokens.verify

    def issue_at(grant: Any, now: float | None = None) -> Any:
        return issue(grant, clock() if now is None else now)

    def verify_at(token: str, version: int, now: float | None = None) -> Any:
        return verify(token, version, clock() if now is None else now)

    tokens.issue = issue_at
    tokens.verify = verify_at


class _ExactSettings(Settings):
    """Settings from the given values only, not from this process's environment: the app
    then runs on exactly what `LiveServer.env` (and so the admin CLI) says."""

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


def settings_from_env(env: dict[str, str]) -> Settings:
    """The Settings a `clopos serve` started with `env` builds."""
    values = {k[len("CLOPOS_") :].lower(): v for k, v in env.items() if k.startswith("CLOPOS_")}
    return _ExactSettings(**values)


def _environment(data_dir: Path, settings: dict[str, Any]) -> dict[str, str]:
    """This process's environment without its CLOPOS_* variables, plus the server's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    # Generous limits unless a test asks for a tier: a whole suite shares one client IP.
    settings = {**TEST_LIMITS, "audit_flush_seconds": 0.05, **settings}
    env["CLOPOS_DATA_DIR"] = str(data_dir)
    env.update({f"CLOPOS_{k.upper()}": str(v) for k, v in settings.items()})
    return env


class _AppTransport(httpx.BaseTransport):
    """Hands each request to the ASGI app on the portal's event loop."""

    def __init__(self, portal: anyio.from_thread.BlockingPortal, app: Any) -> None:
        self._portal = portal
        self._asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=CLIENT_ADDRESS)

    async def send(self, request: httpx.Request) -> httpx.Response:
        """On the app's loop: the whole answer (bodies are small; nothing streams)."""
        response = await self._asgi.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._portal.call(self.send, request)


class _AsyncAppTransport(httpx.AsyncBaseTransport):
    """`_AppTransport` for an httpx.AsyncClient on another event loop (a test's)."""

    def __init__(self, portal: anyio.from_thread.BlockingPortal, app: Any) -> None:
        self._sync = _AppTransport(portal, app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await asyncio.wrap_future(
            self._sync._portal.start_task_soon(self._sync.send, request)
        )


class LiveServer:
    """A running server, its data directory and the environment it runs with.

    `http` is an httpx.Client with the server as its base URL. In-process servers also
    offer `url` (a socket opened on first use), `clock`, `app`, `state` and `handler_runs`.
    """

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.data_dir = data_dir
        self.env = env
        self.http: httpx.Client = cast(httpx.Client, None)  # set once the server runs
        self.app: Any = None
        self.clock = ServerClock()
        self.process: subprocess.Popen[bytes] | None = None
        self._url: str | None = None
        self._portal: anyio.from_thread.BlockingPortal | None = None
        self._stop_socket: Callable[[], None] | None = None

    @property
    def state(self) -> Any:
        """The app's ServerState (in-process servers only)."""
        return self.app.state.server

    @property
    def on_sqlite(self) -> bool:
        return "CLOPOS_DATABASE_URL" not in self.env

    # --- a socket for tests that need a URL ---------------------------------------------

    @property
    def url(self) -> str:
        """The server's base URL on 127.0.0.1; an in-process app starts listening on first use."""
        if self._url is None:
            self._url = self._listen()
        return self._url

    def _listen(self) -> str:
        assert self._portal is not None
        url, self._stop_socket = serve_http(self._portal, self.app)
        return url

    def _stop_listening(self) -> None:
        if self._stop_socket is not None:
            self._stop_socket()
            self._stop_socket = None

    # --- in-process hooks ---------------------------------------------------------------

    def async_http(self) -> httpx.AsyncClient:
        """An httpx.AsyncClient like `http`, for a test's own event loop (in-process only)."""
        assert self._portal is not None, "in-process servers only"
        return httpx.AsyncClient(
            base_url="http://testserver",
            transport=_AsyncAppTransport(self._portal, self.app),
            follow_redirects=False,
        )

    def flush_audit(self) -> None:
        """Write the audit events the server still holds in memory (in-process only)."""
        assert self._portal is not None, "in-process servers only"
        self._portal.call(self.state.audit.flush)

    @contextlib.contextmanager
    def handler_runs(self, path: str) -> Iterator[list[str]]:
        """Inside the block, the requests for `path` that reached the app's routes: past
        every middleware (the request pipeline, its response cache included), i.e. the
        requests that ran a handler."""
        assert self.app is not None, "in-process servers only"
        if self.app.middleware_stack is None:  # Starlette builds it on the first request
            assert self.http.get("/health").status_code == 200
        parent = self.app.middleware_stack
        while getattr(parent, "app", None) is not self.app.router:
            parent = parent.app
        router = parent.app
        runs: list[str] = []

        async def counted(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["path"] == path:
                runs.append(f"{scope['method']} {scope['path']}")
            await router(scope, receive, send)

        parent.app = counted
        try:
            yield runs
        finally:
            parent.app = router

    # --- operator CLI, in-process against the same database -----------------------------

    def admin(self, *args: str, check: bool = True) -> Result:
        """Run `clopos admin ARGS` against this server's database."""
        from clopos.cli import main

        # Exactly this server's CLOPOS_* settings: unset any others this process has.
        env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CLOPOS_")}
        env.update(self.env)

        def invoke() -> Result:
            return CliRunner().invoke(main, ["admin", *args], env=env, catch_exceptions=False)

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            result = invoke()
        else:  # the CLI runs its own event loop: keep it off the test's
            with ThreadPoolExecutor(1) as pool:
                result = pool.submit(invoke).result()
        if check and result.exit_code != 0:
            raise AssertionError(
                f"clopos admin {' '.join(args)} -> {result.exit_code}: {result.output}"
            )
        return result

    def admin_json(self, *args: str) -> Any:
        return json.loads(self.admin(*args, "--json").output)

    # --- tokens -----------------------------------------------------------------------

    def auth_v1(self, **overrides: Any) -> httpx.Response:
        body = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "venue_id")}
        return self.http.post("/open-api/auth", json={**body, **overrides})

    def auth_v2(self, **overrides: Any) -> httpx.Response:
        body = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "integrator_id")}
        return self.http.post("/open-api/v2/auth", json={**body, **overrides})

    def v1_headers(self, **overrides: Any) -> dict[str, str]:
        response = self.auth_v1(**overrides)
        assert response.status_code == 200, response.text
        return {
            "x-token": response.json()["token"],
            "x-brand": str(overrides.get("brand", SANDBOX["brand"])),
            "x-venue": str(overrides.get("venue_id", SANDBOX["venue_id"])),
        }

    def v2_headers(self, **overrides: Any) -> dict[str, str]:
        response = self.auth_v2(**overrides)
        assert response.status_code == 200 and response.json()["success"], response.text
        return {"x-token": response.json()["token"]}

    def wait_for_audit(
        self, predicate: Callable[[list[dict[str, Any]]], bool], *filters: str, timeout: float = 10
    ) -> list[dict[str, Any]]:
        """The audit trail once `predicate` holds for it (the server writes it in batches;
        an in-process server is asked to write what it holds first)."""
        deadline = time.monotonic() + timeout
        while True:
            if self._portal is not None:
                self.flush_audit()
            events: list[dict[str, Any]] = self.admin_json("audit", "--limit", "100000", *filters)
            if predicate(events) or time.monotonic() > deadline:
                return events
            time.sleep(0.05)


def initialise_database(env: dict[str, str]) -> None:
    """What `clopos serve` does to a database before it serves, by the same code: schema,
    signing key, and (unless the settings say no) the sandbox and demo café."""
    settings = settings_from_env(env)

    async def prepare() -> None:
        db = settings.open_database()
        try:
            await initialise(settings, db)
        finally:
            await db.dispose()

    with ThreadPoolExecutor(1) as pool:  # a test's own event loop may be running
        pool.submit(asyncio.run, prepare()).result()


@contextlib.contextmanager
def serve_in_process(
    data_dir: Path, backend: Backend | None = None, **settings: Any
) -> Iterator[LiveServer]:
    """The app in this process with `CLOPOS_<NAME>` settings, under its lifespan.

    With a `backend`, the server starts on a copy of a database that backend initialised
    for these settings; without one, on the SQLite database or `database_url` the settings
    name, initialised first.
    """
    from clopos.server.app import create_app

    data_dir.mkdir(parents=True, exist_ok=True)
    prepared = backend is not None and "database_url" not in settings
    if backend is not None and prepared:
        settings = {**backend.database(data_dir, settings), **settings}
    live = LiveServer(data_dir, _environment(data_dir, settings))
    if not prepared:
        initialise_database(live.env)
    live.app = app = create_app(settings_from_env(live.env))
    with contextlib.ExitStack() as stack:
        portal = stack.enter_context(anyio.from_thread.start_blocking_portal("asyncio"))
        stack.enter_context(portal.wrap_async_context_manager(app.router.lifespan_context(app)))
        live._portal = portal
        stack.callback(live._stop_listening)
        _install_clock(live.state.tokens, live.clock)
        live.http = stack.enter_context(
            httpx.Client(
                base_url="http://testserver",
                transport=_AppTransport(portal, app),
                follow_redirects=False,
            )
        )
        yield live


# The databases every server test runs on, by the names `Backend` and the fixtures use.
BACKENDS = ("sqlite", "postgres")


class Backend:
    """New databases on one backend (SQLite or PostgreSQL) for in-process servers.

    A server's database is initialised as `clopos serve` initialises it, by the same code
    (schema, signing key, sandbox, demo catalogue), but once per distinct set of settings
    that could change the outcome, into a template; each server then starts on a copy of it
    (a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL) with the
    template's secret-hashing key. Copies share the template's signing keys.
    """

    def __init__(self, name: str, workdir: Path, cluster: Postgres | None = None) -> None:
        self.name = name
        self._workdir = workdir
        self._cluster = cluster
        self._templates: dict[tuple[tuple[str, str], ...], tuple[Path, str | None]] = {}
        # PostgreSQL: copies of each template made ahead, in the background, while tests run.
        self._copier = ThreadPoolExecutor(1, thread_name_prefix="template-copies")
        self._copies: dict[str, collections.deque[Future[str]]] = {}

    def close(self) -> None:
        self._copier.shutdown(wait=True, cancel_futures=True)

    def __call__(self) -> dict[str, str]:
        """Settings naming a new empty database (on SQLite the data directory holds it)."""
        return {} if self._cluster is None else {"database_url": self._cluster.new_database()}

    def prefetch(self, copies: int) -> None:
        """PostgreSQL: start making `copies` copies of the template for default settings
        now, in the background, for servers the run will start later. PostgreSQL makes them
        in its own processes, while this one runs other tests."""
        _, template_url = self._template_for({})
        if template_url is not None:
            for _ in range(copies):
                self._copy_ahead(template_url)

    def _copy_ahead(self, template_url: str) -> None:
        assert self._cluster is not None
        copy = self._copier.submit(self._cluster.new_database, template_url)
        self._copies.setdefault(template_url, collections.deque()).append(copy)

    def _template_for(self, settings: dict[str, Any]) -> tuple[Path, str | None]:
        key = tuple(sorted(_initialised_by(self._workdir, settings).items()))
        if key not in self._templates:
            self._templates[key] = self._template(dict(key))
        return self._templates[key]

    def database(self, data_dir: Path, settings: dict[str, Any]) -> dict[str, str]:
        """Put a copy of an initialised database in place for a server with `settings` in
        `data_dir`; answers the settings naming it."""
        template_dir, template_url = self._template_for(settings)
        data_dir.mkdir(parents=True, exist_ok=True)
        if (template_dir / "secret.key").exists():
            shutil.copy2(template_dir / "secret.key", data_dir / "secret.key")
        if template_url is None:
            for path in template_dir.glob("clopos.db*"):
                if not path.name.endswith("-shm"):
                    shutil.copy2(path, data_dir / path.name)
            return {}
        copies = self._copies.setdefault(template_url, collections.deque())
        ahead = copies.popleft() if copies else None
        # A copy still queued behind the copier's others (those made ahead for the run's
        # default template) is made here at once instead of waiting for them all.
        if ahead is not None and not ahead.cancel():
            url = ahead.result()
        else:
            assert self._cluster is not None
            url = self._cluster.new_database(template_url)
        if not copies:  # one ahead for the next server
            self._copy_ahead(template_url)
        return {"database_url": url}

    def _template(self, settings: dict[str, str]) -> tuple[Path, str | None]:
        template_dir = Path(tempfile.mkdtemp(prefix="template-", dir=self._workdir))
        settings = {**self(), **settings}
        initialise_database(_environment(template_dir, settings))
        return template_dir, settings.get("database_url")


def _initialised_by(data_dir: Path, settings: dict[str, Any]) -> dict[str, Any]:
    """What initialising a database reads of a server's settings (server/bootstrap.py's
    `initialise`: whether and what it seeds, and the key it hashes the sandbox's secret
    with), as settings: servers whose settings agree on it start from one template."""
    configured = settings_from_env(_environment(data_dir, settings))
    secret = configured.secret_key
    return {
        "seed_sandbox": configured.seeds_sandbox,
        "seed_demo_catalogue": configured.seed_demo_catalogue,
        "seed_demo_history": configured.seed_demo_history,
        **({"secret_key": secret.get_secret_value()} if secret is not None else {}),
    }


# --- real processes -------------------------------------------------------------------


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 30.0
) -> None:
    """Until the server at `url` answers /health with 200; raises with its log's tail if
    its process ends first, or after `timeout` seconds. One client for all the probes:
    making an httpx client loads the CA bundle (20 to 35 ms of CPU, taken from the server
    starting beside it), which every probe did when each was an `httpx.get`."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"server exited with {process.returncode}:\n{tail}")
            with contextlib.suppress(httpx.TransportError):
                if http.get(f"{url}/health").status_code == 200:
                    return
            time.sleep(0.05)
    raise RuntimeError("server did not become healthy in time")


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10) -> int:
    """SIGTERM the server's process group; SIGKILL it if it does not stop in time."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()


class ServerProcess:
    """`clopos serve FLAGS` with `CLOPOS_<NAME>` settings: `launch` it, then `ready()` waits
    until it is healthy and answers its LiveServer. Several can be launched at once."""

    def __init__(self, data_dir: Path, *flags: str, **settings: Any) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.live = LiveServer(data_dir, _environment(data_dir, settings))
        self.flags = flags
        self.port = free_port()
        self.live._url = f"http://127.0.0.1:{self.port}"
        self._log_path = data_dir / "server.log"
        self._log: Any = None

    def launch(self) -> ServerProcess:
        self._log = open(self._log_path, "wb")  # noqa: SIM115 - closed by stop()
        command = [sys.executable, "-m", "clopos", "serve", "--host", "127.0.0.1"]
        self.live.process = subprocess.Popen(
            [*command, "--port", str(self.port), *self.flags],
            env=self.live.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def ready(self) -> LiveServer:
        assert self.live.process is not None, "not launched"
        if self.live.http is None:
            wait_healthy(self.live.url, self.live.process, self._log_path)
            self.live.http = httpx.Client(base_url=self.live.url)
        return self.live

    def stop(self) -> int | None:
        if self.live.http is not None:
            self.live.http.close()
        code = None if self.live.process is None else stop_process(self.live.process)
        if self._log is not None:
            self._log.close()
        return code


@contextlib.contextmanager
def serve_process(data_dir: Path, *flags: str, **settings: Any) -> Iterator[LiveServer]:
    """Start `clopos serve FLAGS` with `CLOPOS_<NAME>` settings; stop it on exit."""
    server = ServerProcess(data_dir, *flags, **settings).launch()
    try:
        yield server.ready()
    finally:
        server.stop()


class Postgres:
    """A throwaway PostgreSQL cluster on a loopback port, one database per server."""

    def __init__(self, url: str) -> None:
        self.url = url  # postgresql+asyncpg://postgres@127.0.0.1:PORT
        self._numbers = itertools.count(1)

    @staticmethod
    def binaries() -> Path | None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if found:
            return found[-1].parent
        initdb = shutil.which("initdb")
        return Path(initdb).parent if initdb else None

    @classmethod
    @contextlib.contextmanager
    def start(cls) -> Iterator[Postgres]:
        binaries = cls.binaries()
        if binaries is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb) on this machine")
        # Its own directory: pytest's are private to root, and the cluster runs as postgres.
        base = Path(tempfile.mkdtemp(prefix="clopos-pg-"))
        data = base / "pgdata"
        data.mkdir(parents=True)
        # initdb refuses to run as root: run the cluster as the `postgres` account then.
        as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(base, "postgres")
            shutil.chown(data, "postgres")
            as_user = ["runuser", "-u", "postgres", "--"]
        port = free_port()
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT, "check": True}
        subprocess.run(
            [
                *as_user,
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            **quiet,
        )  # type: ignore[call-overload]
        options = (
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [
                *as_user,
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "postgres.log"),
                "-w",
                "start",
            ],
            **quiet,
        )  # type: ignore[call-overload]
        try:
            yield cls(f"postgresql+asyncpg://postgres@127.0.0.1:{port}")
        finally:
            subprocess.run(
                [*as_user, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            # Hundreds of databases' files: removed in the background, not on the run's time.
            subprocess.Popen(["rm", "-rf", str(base)], start_new_session=True)

    def _execute(self, work: Callable[[Any], Any]) -> None:
        """`await work(connection)` on a connection to the maintenance database."""
        import asyncpg

        async def run() -> None:
            connection = await asyncpg.connect(self.url.replace("+asyncpg", "") + "/postgres")
            try:
                await work(connection)
            finally:
                await connection.close()

        # An async test may be asking: keep asyncio.run off its event loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, run()).result()

    def new_database(self, template: str | None = None) -> str:
        """A new database, empty or a copy of the database at URL `template`; answers its
        SQLAlchemy URL."""
        import asyncpg

        name = f"clopos_{os.getpid()}_{next(self._numbers)}"
        statement = f'CREATE DATABASE "{name}"'
        if template is not None:
            statement += f' TEMPLATE "{template.rsplit("/", 1)[1]}" STRATEGY FILE_COPY'

        async def create(connection: Any) -> None:
            for attempt in range(100):
                try:
                    await connection.execute(statement)
                    return
                except asyncpg.ObjectInUseError:
                    # The template's last user (the CLI that made it) may still be leaving.
                    if attempt == 99:
                        raise
                    await asyncio.sleep(0.05)

        self._execute(create)
        return f"{self.url}/{name}"


class RedisServer:
    """A throwaway Redis (Debian's redis-server) on a loopback port, nothing written to disk;
    `stop` and `start` again on the same port, for tests of a Redis that goes away."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def binary() -> str | None:
        return shutil.which("redis-server") or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
        )

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> RedisServer:
        binary = self.binary()
        if binary is None:
            raise RuntimeError("no redis-server on this machine")
        self.directory.mkdir(parents=True, exist_ok=True)
        log = open(self.directory / "redis.log", "ab")  # noqa: SIM115 - the process holds it
        self._process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 10
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start: see {self.directory}/redis.log")
            time.sleep(0.02)
        return self

    def pause(self) -> None:
        """Stalled, not gone: connections stay open and nothing answers (SIGSTOP)."""
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)  # a paused one must hear the next
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


@contextlib.contextmanager
def running_redis(directory: Path) -> Iterator[RedisServer]:
    redis = RedisServer(directory).start()
    try:
        yield redis
    finally:
        redis.stop()


def note_driver_statements(monkeypatch: Any, note: Callable[[str, Any, bool], None]) -> None:
    """From now on (until `monkeypatch` undoes it), `note(sql, connection, autocommit)` for
    each statement run on PostgreSQL's driver, before it runs: the driver's connection it
    runs on (SQLAlchemy's adapter of it, or the commit batches' own), and whether it runs
    outside any transaction block (each of a batch's does: store/commit_batches.py).
    Every statement of the process: a test picks its own by the tables they name (other
    servers of the run, in-process, read and write meanwhile)."""
    from sqlalchemy.dialects.postgresql import asyncpg as postgres_driver

    from clopos.store import commit_batches

    run = postgres_driver.AsyncAdapt_asyncpg_cursor._prepare_and_execute

    async def noted(self: Any, operation: str, parameters: Any) -> Any:
        connection = self._adapt_connection
        note(operation, connection, bool(connection.autocommit))
        return await run(self, operation, parameters)

    send = commit_batches._send

    async def batched(driver: Any, same: Any) -> None:
        for queued in same:
            note(queued.sql, driver, True)
        await send(driver, same)

    monkeypatch.setattr(postgres_driver.AsyncAdapt_asyncpg_cursor, "_prepare_and_execute", noted)
    monkeypatch.setattr(commit_batches, "_send", batched)
