"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 (a thread of this
process, or a process of its own for the SIGKILL test) that records every delivery and
answers as the test decides."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG = -1  # an answer that never comes (until the receiver closes)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def event(self) -> dict[str, Any]:
        event: dict[str, Any] = json.loads(self.body)
        return event

    @property
    def type(self) -> str:
        return str(self.event["type"])


class Receiver:
    """Records deliveries; `decide(received, attempt_of_that_event)` answers a status, or
    HANG."""

    def __init__(self, decide: Callable[[Received, int], int] | None = None) -> None:
        self.decide = decide or (lambda _received, _attempt: 200)
        self.received: list[Received] = []
        self._changed = threading.Condition()
        self._closing = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                got = Received(
                    {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length)
                )
                with receiver._changed:
                    attempt = sum(1 for r in receiver.received if r.event["id"] == got.event["id"])
                    receiver.received.append(got)
                    receiver._changed.notify_all()
                status = receiver.decide(got, attempt + 1)
                if status == HANG:
                    receiver._closing.wait(60)
                    return
                answer = b'{"ok": true}'
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def wait_for(
        self, predicate: Callable[[list[Received]], bool], timeout: float = 15
    ) -> list[Received]:
        """The deliveries so far once `predicate` holds for them; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self.received):
                left = deadline - time.monotonic()
                if left <= 0:
                    types = [r.type for r in self.received]
                    raise AssertionError(f"not received in {timeout} s; got {types}")
                self._changed.wait(left)
            return list(self.received)

    def wait_type(self, type: str, count: int = 1, timeout: float = 15) -> list[Received]:
        found = self.wait_for(lambda got: sum(r.type == type for r in got) >= count, timeout)
        return [r for r in found if r.type == type]

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()


@contextlib.contextmanager
def receiving(decide: Callable[[Received, int], int] | None = None) -> Iterator[Receiver]:
    receiver = Receiver(decide)
    try:
        yield receiver
    finally:
        receiver.close()
