"""`clopos serve` refuses a port another server listens on, unless told to share it.

granian binds with SO_REUSEPORT: without the check, a second server on the same port starts
silently and the kernel spreads connections between the two (issue: an operator API
answered 404 404 200 200 404 as requests alternated between servers on two databases).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from clopos.cli import ports
from tests.support import ServerProcess, free_port, serve_process


@contextlib.contextmanager
def listening(port: int, reuse_port: bool) -> Iterator[socket.socket]:
    with socket.socket() as held:
        if reuse_port:  # as granian binds
            held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        held.bind(("127.0.0.1", port))
        held.listen()
        yield held


@pytest.mark.parametrize("reuse_port", [False, True])
def test_a_listening_port_is_refused_and_a_closed_one_is_free(reuse_port: bool) -> None:
    port = free_port()
    with listening(port, reuse_port), pytest.raises(ports.PortInUse) as refused:
        ports.ensure_free("127.0.0.1", port)
    assert refused.value.message.startswith(f"port {port} is in use on 127.0.0.1")
    assert "--share-port" in refused.value.message
    ports.ensure_free("127.0.0.1", port)  # closed: free again


def test_the_wildcard_address_overlaps_loopback() -> None:
    port = free_port()
    with listening(port, reuse_port=True), pytest.raises(ports.PortInUse):
        ports.ensure_free("0.0.0.0", port)


def test_an_unknown_host_is_a_clear_error() -> None:
    with pytest.raises(click.ClickException, match=r"cannot listen on no-such-host\.invalid"):
        ports.ensure_free("no-such-host.invalid", free_port())


def test_a_second_server_on_the_port_is_refused_unless_shared(tmp_path: Path) -> None:
    with serve_process(tmp_path / "first") as first:
        port = int(first.url.rsplit(":", 1)[1])
        second_dir = tmp_path / "second"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
        env["CLOPOS_DATA_DIR"] = str(second_dir)
        refused = subprocess.run(
            [sys.executable, "-m", "clopos", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert f"port {port} is in use on 127.0.0.1" in refused.stderr
        assert not second_dir.exists()  # refused before any database was opened

        shared = ServerProcess(second_dir, "--share-port")
        shared.port, shared.live._url = port, first.url
        try:
            shared.launch()
            process, log = shared.live.process, second_dir / "server.log"
            assert process is not None
            # Asked to share: it starts a worker on the port, and runs. (Its requests could
            # reach either server, so its own log tells that it serves.)
            deadline = time.monotonic() + 60
            while "Started worker" not in log.read_text(errors="replace"):
                assert process.poll() is None, log.read_text(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "the sharing server never started a worker"
                time.sleep(0.05)
            assert process.poll() is None
        finally:
            shared.stop()
