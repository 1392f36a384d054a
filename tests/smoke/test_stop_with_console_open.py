"""A server stops promptly while a console page is open: its live-orders stream ends on the
worker's stop signal (server/stopping.py) instead of holding the drain for minutes. Real
processes, since only they get signals and drain connections."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from tests.store.process import free_port, run, server_env
from tests.support import wait_healthy


@pytest.mark.parametrize("server_name", ["granian", "uvicorn"])
def test_sigterm_ends_an_open_console_stream_and_the_server(
    server_name: str, tmp_path: Path
) -> None:
    env = server_env(tmp_path / "data")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "clopos", "serve", "--port", str(port), "--server", server_name],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_healthy(url, process, log)
        made = run(env, "admin", "operator", "create", "cook", "--password", "a-long-password")
        assert made.returncode == 0, made.stderr

        browser = httpx.Client(base_url=url, timeout=10)
        form = browser.get("/console/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf is not None, form
        signed_in = browser.post(
            "/console/login",
            data={"name": "cook", "password": "a-long-password", "csrf": csrf.group(1)},
            headers={"origin": url, "sec-fetch-site": "same-origin"},
        )
        assert signed_in.status_code == 303, signed_in.text

        opened, ended = threading.Event(), threading.Event()

        def listen() -> None:
            events = "/console/b/openapitest/events"
            with browser.stream("GET", events, headers={"accept": "text/event-stream"}) as answer:
                for chunk in answer.iter_bytes():
                    if b"event: ready" in chunk:
                        opened.set()
            ended.set()

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        assert opened.wait(10), log.read_text()
        os.killpg(process.pid, signal.SIGTERM)
        # Without the stream ending on the signal, both servers wait for it to finish (minutes).
        # uvicorn raises the signal again once it has shut down, so its process ends by it.
        expected = 0 if server_name == "granian" else -signal.SIGTERM
        assert process.wait(timeout=20) == expected, log.read_text()
        assert ended.wait(5)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
