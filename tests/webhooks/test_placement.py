"""Issue 19: `clopos serve` sends webhooks from a process of its own (so a worker's
interpreter never carries the sender), started with the server and stopped with it, even
when the server is killed outright; one that dies is started again. Real processes: the
sender's holder name in the lease row says which process sends (`host:pid:random`)."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.store import process
from tests.webhooks.receiver import Receiver, receiving
from tests.webhooks.test_sigkill import _create

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

OPERATOR = "placement-operator"
SETTINGS = {
    "admin_token": OPERATOR,
    "webhook_lease_seconds": "1",
    "webhook_poll_seconds": "0.05",
}


def _holder(data_dir: Path) -> str | None:
    with contextlib.closing(sqlite3.connect(data_dir / "clopos.db")) as connection:
        row = connection.execute("SELECT holder FROM webhook_sender").fetchone()
    return None if row is None else row[0]


def _pid(holder: str | None) -> int:
    assert holder is not None, "no sender holds the lease"
    return int(holder.split(":")[1])


def _command(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().rstrip("\0").split("\0")


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _nice(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _until(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.05)


def _subscribe(server: process.ServerProcess, receiver: Receiver) -> None:
    answer = httpx.post(
        f"{server.url}/admin/api/brands/openapitest/webhooks",
        json={"url": receiver.url, "events": ["order.created"]},
        headers={"authorization": f"Bearer {OPERATOR}"},
        timeout=10,
    )
    assert answer.status_code == 201, answer.text


def _delivered(server: process.ServerProcess, receiver: Receiver) -> int:
    """An order made now, its event received; answers the order's id."""
    (order,) = _create(server, 1)
    receiver.wait_for(lambda got: any(r.event["data"]["id"] == order for r in got))
    return order


def test_the_server_sends_from_a_process_of_its_own_and_stops_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = process.server_env(data, **SETTINGS)
    with receiving() as receiver:
        with process.serve(env, tmp_path / "server.log") as server:
            _subscribe(server, receiver)
            _delivered(server, receiver)
            sender = _pid(_holder(data))
            command = ["webhooks", "run", "--stop-with-parent", "--nice", "10"]
            assert _command(sender)[-5:] == command
            assert _parent(sender) == server.process.pid
            # Below the workers' priority: at full load the requests come first.
            assert _nice(sender) == min(19, _nice(server.process.pid) + 10)
        # The server stopped (SIGTERM): the sender with it, its lease given up.
        assert not _alive(sender)
        assert _holder(data) is None


def test_a_sender_process_that_dies_is_started_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = process.server_env(data, **SETTINGS)
    with receiving() as receiver, process.serve(env, tmp_path / "server.log") as server:
        _subscribe(server, receiver)
        _delivered(server, receiver)
        first = _pid(_holder(data))
        os.kill(first, signal.SIGKILL)  # no shutdown: its lease lapses (1 s here)
        _delivered(server, receiver)
        second = _pid(_holder(data))
        assert second != first
        assert _parent(second) == server.process.pid
        assert _command(second)[-3:] == ["--stop-with-parent", "--nice", "10"]


def test_the_sender_stops_when_the_server_is_killed_outright(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = process.server_env(data, **SETTINGS)
    with receiving() as receiver, process.serve(env, tmp_path / "server.log") as server:
        try:
            _subscribe(server, receiver)
            _delivered(server, receiver)
            sender = _pid(_holder(data))
            os.kill(server.process.pid, signal.SIGKILL)  # the server alone: it stops nothing
            server.process.wait(timeout=10)
            _until(lambda: not _alive(sender))
            assert _holder(data) is None  # given up, not left to lapse
        finally:  # the workers the killed server left
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)


def test_the_sender_can_run_inside_the_worker(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = process.server_env(data, **SETTINGS, webhook_sender_process="false")
    with receiving() as receiver, process.serve(env, tmp_path / "server.log") as server:
        _subscribe(server, receiver)
        _delivered(server, receiver)
        worker = _pid(_holder(data))
        assert worker != server.process.pid
        assert _parent(worker) == server.process.pid
        assert "webhooks" not in _command(worker)
