"""A throwaway PostgreSQL cluster for the benchmark: one fresh database per server.

Unlike the test suite's cluster, this one keeps PostgreSQL's durability defaults (fsync on,
synchronous_commit on, full page writes): a write's figure must include its flush.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def binaries() -> Path | None:
    """The directory of the newest installed PostgreSQL server binaries, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A running cluster on a loopback port (trust authentication, user `postgres`)."""

    def __init__(self, bin_dir: Path, port: int, as_user: list[str]) -> None:
        self.bin_dir = bin_dir
        self.port = port
        self._as_user = as_user
        self._databases = 0

    @classmethod
    @contextlib.contextmanager
    def start(cls) -> Iterator[Cluster]:
        bin_dir = binaries()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb) on this machine")
        base = Path(tempfile.mkdtemp(prefix="clopos-bench-pg-"))
        data = base / "pgdata"
        data.mkdir()
        # initdb refuses to run as root: the cluster then runs as the `postgres` account.
        as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(base, "postgres")
            shutil.chown(data, "postgres")
            as_user = ["runuser", "-u", "postgres", "--"]
        port = _free_port()
        cluster = cls(bin_dir, port, as_user)
        cluster._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        # Only where it listens and how many connections it takes (two servers' pools).
        options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=200"
        log = base / "postgres.log"
        cluster._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        try:
            yield cluster
        finally:
            with contextlib.suppress(RuntimeError):
                cluster._run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
            shutil.rmtree(base, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [*self._as_user, str(self.bin_dir / program), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{done.stdout[-2000:]}")

    def new_database(self) -> str:
        """A new empty database; answers its SQLAlchemy URL (asyncpg driver)."""
        self._databases += 1
        name = f"clopos_bench_{self._databases}"
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{name}"
