"""Issue 11, items 5 and 6: the token exchange does not tell known client ids from unknown
ones, by status or by time, and guessing from other addresses does not lock the real
integration out.

Lockout counts wrong secrets per (client id, source address), known id or not.
"""

from __future__ import annotations

import json
import socket
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.support import SANDBOX, Backend, LiveServer, serve_process


class _From(httpx.BaseTransport):
    """Requests to the in-process app as if from `address` (what a socket's peer would be)."""

    def __init__(self, live: LiveServer, address: str) -> None:
        self._portal = live._portal
        self._asgi = httpx.ASGITransport(
            app=live.app, raise_app_exceptions=False, client=(address, 40000)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        assert self._portal is not None
        return self._portal.call(send)


def _client(live: LiveServer, address: str) -> httpx.Client:
    return httpx.Client(base_url="http://testserver", transport=_From(live, address))


def _auth_body(**overrides: Any) -> dict[str, Any]:
    body = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "integrator_id")}
    return {**body, **overrides}


def test_known_and_unknown_ids_lock_alike(make_server: Any) -> None:
    live = make_server(lockout_attempts=4, lockout_seconds=60)
    unknown = uuid.uuid4().hex[:25]
    seen: dict[str, list[tuple[int, str]]] = {}
    for client_id in (SANDBOX["client_id"], unknown):
        answers = []
        for _ in range(6):
            response = live.http.post(
                "/open-api/v2/auth", json=_auth_body(client_id=client_id, client_secret="wrong")
            )
            answers.append((response.status_code, response.json()["error"]))
        seen[client_id] = answers
    assert seen[SANDBOX["client_id"]] == seen[unknown]
    assert seen[unknown][-1] == (429, "too_many_attempts")


def test_guessing_from_other_addresses_never_locks_out_the_integration(make_server: Any) -> None:
    """Brute force from several addresses while the legitimate client keeps getting tokens."""
    live = make_server(lockout_attempts=5, lockout_seconds=300)
    attackers = [_client(live, f"203.0.113.{n}") for n in range(1, 9)]
    integration = _client(live, "198.51.100.7")
    refused = issued = 0
    try:
        for round_ in range(12):
            for attacker in attackers:
                guess = _auth_body(client_secret=f"guess-{round_}-{uuid.uuid4().hex}")
                response = attacker.post("/open-api/v2/auth", json=guess)
                assert response.status_code in (400, 429), response.text
                refused += response.status_code == 429
            response = integration.post("/open-api/v2/auth", json=_auth_body())
            assert response.status_code == 200, response.text
            assert response.json()["success"] is True
            issued += 1
        # Each attacking address did lock itself out (after 5 guesses, for 7 more rounds).
        assert refused == len(attackers) * 7
        # And a locked attacker's address stays locked even with the right secret.
        assert attackers[0].post("/open-api/v2/auth", json=_auth_body()).status_code == 429
    finally:
        for client in (*attackers, integration):
            client.close()
    assert issued == 12


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class _RawClient:
    """One keep-alive loopback connection, each request sent in a single write (httpx writes
    headers and body apart, and Nagle with delayed ACKs then adds ~40 ms to every request,
    drowning the differences measured here)."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self._sock = socket.create_connection((host, int(port)))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = b""

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        data = json.dumps(body).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        ).encode()
        self._sock.sendall(head + data)
        while b"\r\n\r\n" not in self._buffer:
            self._buffer += self._sock.recv(65536)
        header, _, rest = self._buffer.partition(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        length = next(
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length")
        )
        while len(rest) < length:
            rest += self._sock.recv(65536)
        self._buffer = rest[length:]
        return int(lines[0].split()[1]), json.loads(rest[:length])

    def close(self) -> None:
        self._sock.close()


def test_known_and_unknown_ids_take_the_same_time(tmp_path: Path, backend: Backend) -> None:
    """Medians over interleaved loopback requests to a real `clopos serve`, within a
    tolerance.

    No bound on absolute speed: only the two medians are compared. Before the fix an unknown
    id cost a database read the known (cached) one did not (issue 11: 2.06 ms against 0.94).
    """
    data_dir = tmp_path / "timed"
    figures: list[tuple[float, float]] = []
    with serve_process(data_dir, **backend.database(data_dir, {})) as live:
        # The machine is shared (other tests, other processes): a round disturbed by them is
        # measured again, at most three times. An unknown id costing a database read (about
        # twice the time) differs in every round.
        for _ in range(3):
            known, unknown = _timed(live, rounds=200)
            k, u = _median_ms(known), _median_ms(unknown)
            figures.append((k, u))
            print(f"\nmedian ms over {len(known)} each: known {k:.3f}, unknown {u:.3f}")
            # Within 25% of each other (or 0.05 ms, whichever is larger: loopback jitter).
            if abs(k - u) <= max(0.25 * min(k, u), 0.05):
                break
        else:
            raise AssertionError(f"known and unknown ids answer in different times: {figures}")


def _timed(live: LiveServer, rounds: int) -> tuple[list[float], list[float]]:
    known: list[float] = []
    unknown: list[float] = []
    http = _RawClient(live.url)
    try:
        # Warm both paths (connection, caches) before measuring.
        for _ in range(20):
            http.post("/open-api/v2/auth", _auth_body(client_secret="wrong"))
            http.post("/open-api/v2/auth", _auth_body(client_id=uuid.uuid4().hex[:25]))
        for n in range(rounds):
            order = [
                ("known", _auth_body(client_secret=f"wrong-{n}")),
                ("unknown", _auth_body(client_id=uuid.uuid4().hex[:25])),
            ]
            if n % 2:
                order.reverse()
            for kind, body in order:
                start = time.perf_counter()
                status, answer = http.post("/open-api/v2/auth", body)
                elapsed = time.perf_counter() - start
                assert status == 400
                assert answer["error"] == "authentication_failed"
                (known if kind == "known" else unknown).append(elapsed)
    finally:
        http.close()
    return known, unknown
