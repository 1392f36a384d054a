"""A `clopos serve` process for the store tests, on its own: these tests are about the real
process (its start-up, its death), so they do not use the suite's in-process harness."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support import SANDBOX, wait_healthy

# Generous limits: a burst of writes from one client IP must not meet a rate limit.
LIMITS = {
    "CLOPOS_AUTH_PER_MINUTE": "100000",
    "CLOPOS_FAILED_PER_MINUTE": "100000",
    "CLOPOS_TENANT_PER_MINUTE": "1000000",
    "CLOPOS_V1_PER_MINUTE": "1000000",
    "CLOPOS_V1_PER_HOUR": "10000000",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without CLOPOS_* variables, plus the server's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    env.update(LIMITS)
    env["CLOPOS_DATA_DIR"] = str(data_dir)
    env.update({f"CLOPOS_{k.upper()}": v for k, v in settings.items()})
    return env


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown handler runs."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def token(self) -> str:
        body = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "integrator_id")}
        response = httpx.post(f"{self.url}/open-api/v2/auth", json=body, timeout=10)
        assert response.status_code == 200 and response.json()["success"], response.text
        return str(response.json()["token"])


def run(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`clopos ARGS` as a process (group): answers its exit code and output; a process still
    running after `timeout` seconds is killed with its children and fails the test."""
    process = subprocess.Popen(
        [sys.executable, "-m", "clopos", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@contextlib.contextmanager
def serve(env: dict[str, str], log: Path, timeout: float = 60) -> Iterator[ServerProcess]:
    """`clopos serve` on a free loopback port until healthy; stopped (SIGTERM) on exit."""
    port = free_port()
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "clopos", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_healthy(server.url, process, log, timeout)
        yield server
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
