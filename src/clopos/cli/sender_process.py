"""The webhook sender as a process of `clopos serve`'s own: `clopos webhooks run`, started
before the workers and stopped after them.

Why a process: inside a worker the sender shares that worker's interpreter with the
requests (making events, rendering, signing and posting them is Python work about the size
of the orders it reports), and at full write load it took a third to a half of the orders a
worker created (docs/performance.md, issue 19). Apart, it has its own interpreter; the lease
still lets one sender run among every instance.

It lives and dies with the server: stopped by SIGTERM when the server stops; if the server
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

log = logging.getLogger("clopos.webhooks")

# Its scheduling priority below the workers' (os.nice): where the cores are all busy serving
# requests, they come first and the sender takes what is left, catching up as the load
# eases (docs/webhooks.md); with a core to spare it runs at full speed all the same.
NICE = 10
# A sender stopped by SIGTERM gives its lease up and exits 0; one interrupted otherwise is
# started again.
_STOPPED_ON_PURPOSE = (0, -signal.SIGTERM)


class SenderProcess:
    def __init__(self, env: dict[str, str], restart_delay: float = 1.0) -> None:
        self.env = env
        self.restart_delay = restart_delay
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watch: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        self._spawn()
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
        while not self._stopping.is_set():
            process = self._process
            assert process is not None
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
