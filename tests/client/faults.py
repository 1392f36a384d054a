"""A real fault-injecting HTTP proxy on 127.0.0.1 for retry and error tests.

It forwards every request to the real server unless a scripted fault is queued for it:
answer a status (with headers), drop the connection without answering, stall past the
client's timeout, or forward the request and then drop the connection instead of passing the
answer back (the server did the work; the client never heard). It also counts what passes
through, e.g. `/auth` calls.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass(frozen=True)
class Fault:
    """What to do instead of forwarding one request."""

    status: int = 0  # 0: no answer at all
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0  # seconds to wait before acting (to trip a client timeout)
    forward: bool = False  # with status 0: forward first, then drop (the answer is lost)


def status(code: int, error: str = "injected", **headers: str) -> Fault:
    body = {"success": False, "error": error, "message": f"injected {code}"}
    return Fault(code, body, headers)


DROP = Fault()
LOST = Fault(forward=True)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


class FaultProxy:
    """`url` points here; faults apply, in order, to requests whose path `matches`."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.faults: deque[Fault] = deque()
        self.matches: Callable[[str], bool] = lambda path: not path.endswith("/auth")
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._forward = httpx.Client(base_url=upstream, timeout=30)
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = proxy._next_fault(self.command, self.path, dict(self.headers))
                if fault is None:
                    self._forward(body)
                    return
                if fault.stall:
                    time.sleep(fault.stall)
                if fault.forward:
                    proxy._send_upstream(self.command, self.path, body, self.headers.items())
                if fault.status == 0:
                    # Close without a byte of response: the client sees a dropped connection.
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                payload = json.dumps(fault.body).encode() if fault.body is not None else b""
                self.send_response(fault.status)
                for name, value in {"content-type": "application/json", **fault.headers}.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _forward(self, body: bytes) -> None:
                answer = proxy._send_upstream(self.command, self.path, body, self.headers.items())
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in HOP_BY_HOP | {"content-encoding", "date", "server"}:
                        self.send_header(name, value)
                self.send_header("content-length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # Polled for shutdown every 10 ms (the default half second would end each test late).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def _send_upstream(
        self, method: str, path: str, body: bytes, headers: Iterable[tuple[str, str]]
    ) -> httpx.Response:
        kept = {k: v for k, v in headers if k.lower() not in HOP_BY_HOP}
        return self._forward.request(method, path, content=body, headers=kept)

    def _next_fault(self, method: str, path: str, headers: dict[str, str]) -> Fault | None:
        with self._lock:
            self.seen.append(Seen(method, path, {k.lower(): v for k, v in headers.items()}))
            if self.faults and self.matches(path):
                return self.faults.popleft()
            return None

    def inject(self, *faults: Fault) -> FaultProxy:
        with self._lock:
            self.faults.extend(faults)
        return self

    def requests_to(self, suffix: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path.split("?")[0].endswith(suffix)]

    @contextlib.contextmanager
    def running(self) -> Iterator[FaultProxy]:
        self._thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            self._forward.close()
