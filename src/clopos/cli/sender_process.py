"""The webhook sender as a process of `clopos serve`'s own: `clopos webhooks run`, started
once the workers answer and stopped after them.

Why a process: inside a worker the sender shares that worker's interpreter with the
requests (making events, rendering, signing and posting them is Python work about the size
of the orders it reports), and at full write load it took a third to a half of the orders a
worker created (docs/performance.md, issue 19). Apart, it has its own interpreter; the lease
still lets one sender run among every instance.

It starts once the server answers (its place in the log was made before: nothing is missed
meanwhile), so that it does not compete with the workers' own start. It lives and dies with
the server: stopped by SIGTERM when the server stops; if the server
is killed outright, the sender sees that its parent changed and stops too (giving its
lease up). If it exits on its own with a failure (a crash, the out-of-memory killer) it is
started again, at most once a second.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger("clopos.webhooks")

# Its scheduling priority below the workers' (os.nice): where the cores are all busy serving
# requests, they come first and the sender takes what is left, catching up as the load
# eases (docs/webhooks.md); with a core to spare it runs at full speed all the same.
NICE = 10
# A sender stopped by SIGTERM gives its lease up and exits 0; one interrupted otherwise is
# started again.
_STOPPED_ON_PURPOSE = (0, -signal.SIGTERM)


class SenderProcess:
    def __init__(
        self,
        env: dict[str, str],
        ready: Callable[[], bool] = lambda: True,
        restart_delay: float = 1.0,
    ) -> None:
        self.env = env
        self.ready = ready
        self.restart_delay = restart_delay
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watch: threading.Thread | None = None

    def start(self) -> None:
        """Start it in the background, once `ready()` (checked every 0.1 s, at most a
        minute)."""
        self._watch = threading.Thread(target=self._keep_running, name="sender-watch", daemon=True)
        self._watch.start()

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            # Its output goes where the server's goes.
            self._process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "clopos", "webhooks", "run"),
                    *("--stop-with-parent", "--nice", str(NICE)),
                ],
                env=self.env,
                stdin=subprocess.DEVNULL,
            )

    def _keep_running(self) -> None:
        deadline = time.monotonic() + 60
        while not self.ready() and time.monotonic() < deadline:
            if self._stopping.wait(0.1):
                return
        self._spawn()
        while not self._stopping.is_set():
            process = self._process
            if process is None:
                return  # stopped before it could start
            code = process.wait()
            if self._stopping.is_set():
                return
            if code in _STOPPED_ON_PURPOSE:
                # Told to stop: by an operator, or with the server's whole process group.
                log.info("the webhook sender process stopped (exit %s)", code)
                return
            log.error("the webhook sender process exited (%s); starting it again", code)
            if self._stopping.wait(self.restart_delay):
                return
            self._spawn()

    def stop(self, timeout: float) -> None:
        """SIGTERM, then SIGKILL after `timeout` seconds (its deliveries in flight stay
        pending and go out again)."""
        with self._lock:
            self._stopping.set()
            process = self._process
        if self._watch is not None and process is None:
            self._watch.join(timeout)  # it was waiting for the server: it stops at once
            return
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._watch is not None:
            self._watch.join(timeout)


def child_environment() -> dict[str, str]:
    """The server's environment, with the sender on (the workers get it off)."""
    return {**os.environ, "CLOPOS_WEBHOOKS": "true"}


def answering(host: str, port: int) -> Callable[[], bool]:
    """Whether the server on `host:port` answers its health probe (a worker is up)."""
    import http.client

    probe = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)

    def check() -> bool:
        connection = http.client.HTTPConnection(probe, port, timeout=1)
        try:
            connection.request("GET", "/health")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    return check
