"""Starting the real server for tests: a `clopos serve` process on a loopback port."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner, Result

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A running `clopos serve`, its data directory and the environment it was started with."""

    url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    # --- operator CLI, in-process against the same database -----------------------------

    def admin(self, *args: str, check: bool = True) -> Result:
        """Run `clopos admin ARGS` against this server's database."""
        from clopos.cli import main

        def invoke() -> Result:
            return CliRunner().invoke(main, ["admin", *args], env=self.env, catch_exceptions=False)

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
        return httpx.post(f"{self.url}/open-api/auth", json={**body, **overrides})

    def auth_v2(self, **overrides: Any) -> httpx.Response:
        body = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "integrator_id")}
        return httpx.post(f"{self.url}/open-api/v2/auth", json={**body, **overrides})

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
        """The audit trail once `predicate` holds for it (the server writes it in batches)."""
        deadline = time.monotonic() + timeout
        while True:
            events: list[dict[str, Any]] = self.admin_json("audit", "--limit", "100000", *filters)
            if predicate(events) or time.monotonic() > deadline:
                return events
            time.sleep(0.05)


def _wait_healthy(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"server exited with {process.returncode}:\n{tail}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.05)
    raise RuntimeError("server did not become healthy in time")


class Postgres:
    """A throwaway PostgreSQL cluster on a loopback port, one database per server."""

    def __init__(self, url: str) -> None:
        self.url = url  # postgresql+asyncpg://postgres@127.0.0.1:PORT
        self._count = 0

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

    def new_database(self) -> str:
        """A new empty database; answers its SQLAlchemy URL."""
        import asyncpg

        self._count += 1
        name = f"clopos_{os.getpid()}_{self._count}"

        async def create() -> None:
            connection = await asyncpg.connect(self.url.replace("+asyncpg", "") + "/postgres")
            try:
                await connection.execute(f'CREATE DATABASE "{name}"')
            finally:
                await connection.close()

        # An async test may be asking: keep asyncio.run off its event loop.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, create()).result()
        return f"{self.url}/{name}"


@contextlib.contextmanager
def run_server(data_dir: Path, **settings: Any) -> Iterator[LiveServer]:
    """Start `clopos serve` with `CLOPOS_<NAME>` settings; stop it on exit."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    # Generous limits unless a test asks for a tier: a whole suite shares one client IP.
    settings = {**TEST_LIMITS, **settings}
    env.update(
        CLOPOS_DATA_DIR=str(data_dir),
        CLOPOS_AUDIT_FLUSH_SECONDS="0.05",
        **{f"CLOPOS_{k.upper()}": str(v) for k, v in settings.items()},
    )
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "clopos", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, data_dir / "server.log")
        yield LiveServer(url=url, data_dir=data_dir, env=env, process=process)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
