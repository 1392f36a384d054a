"""Hostile request shapes against the app: each is refused in the envelope, with a request
id, on both databases, and none reaches a 500 (issue 11, items 3, 7, 9, 12, 13, 16)."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from tests.support import LiveServer

V2 = "/open-api/v2"


def _refused(response: Any, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["error"] == error, body
    assert response.headers["x-request-id"]


def _list_paths(live: LiveServer) -> list[str]:
    """Every documented list endpoint (GET, no path parameter) of both versions."""
    document = live.http.get("/openapi.json").json()
    return sorted(
        path
        for path, operations in document["paths"].items()
        if "get" in operations
        and path.startswith("/open-api")
        and "{" not in path
        and "Envelope_" in json.dumps(operations["get"]["responses"]["200"])
        and "ListEnvelope_Venue" not in json.dumps(operations["get"]["responses"]["200"])
    )


# --- item 7: filters in JSON form ------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        '[["name","\\ud800"]]',  # a lone surrogate, as a JSON escape
        "[" * 1200 + "]" * 1200,  # nested far beyond any filter
        '{"name": ' + "[" * 50 + "]" * 50 + "}",
    ],
    ids=["lone-surrogate", "deep-nesting", "nested-value"],
)
def test_hostile_json_filters_are_400_on_every_list(server: LiveServer, filters: str) -> None:
    v1, v2 = server.v1_headers(), server.v2_headers()
    paths = _list_paths(server)
    statuses = {}
    for path in paths:
        headers = v2 if path.startswith(V2) else v1
        response = server.http.get(f"{path}?filters={quote(filters)}", headers=headers)
        statuses[path] = response.status_code
        if response.status_code != 200:  # a list without filters ignores them
            _refused(response, 400, "invalid_parameter")
    assert sum(status == 400 for status in statuses.values()) >= 17, statuses


# --- item 9: a header that must come once ----------------------------------------------


@pytest.mark.parametrize("header", ["x-token", "x-venue", "idempotency-key"])
def test_a_repeated_credential_header_is_refused(server: LiveServer, header: str) -> None:
    headers = server.v1_headers()
    good = headers.get(header, "k-1")
    sent = [(name, value) for name, value in headers.items() if name != header]
    sent += [(header, good), (header, good if header != "x-token" else "forged")]
    response = server.http.post(
        "/open-api/customers", headers=sent, json={"name": "Twice", "phone": "+10000000001"}
    )
    _refused(response, 400, "invalid_request")
    assert header in response.json()["message"]


# --- item 13: hardening headers ---------------------------------------------------------


def test_every_answer_carries_the_hardening_headers(server: LiveServer) -> None:
    customers = server.http.get(f"{V2}/customers", headers=server.v2_headers())
    assert customers.status_code == 200
    for response in (customers, server.http.get("/health"), server.http.get(f"{V2}/venues")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert customers.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in customers.headers["content-security-policy"]


# --- item 16: 414 and 431 in the envelope -----------------------------------------------


def test_an_overlong_target_is_414_in_the_envelope(server: LiveServer) -> None:
    response = server.http.get(f"{V2}/venues?q={'a' * 9000}", headers=server.v2_headers())
    _refused(response, 414, "uri_too_long")


def test_oversized_headers_are_431_in_the_envelope(server: LiveServer) -> None:
    headers = {**server.v2_headers(), **{f"x-pad-{i}": "p" * 200 for i in range(90)}}
    _refused(server.http.get(f"{V2}/venues", headers=headers), 431, "headers_too_large")


# --- item 3: the body limit ---------------------------------------------------------------


def test_a_declared_oversized_body_is_413_before_it_is_read(
    make_server: Callable[..., Any],
) -> None:
    live = make_server(max_body_bytes=4096)
    headers = live.v2_headers()
    response = live.http.post(f"{V2}/customers", headers=headers, content=b"{" + b" " * 5000)
    _refused(response, 413, "payload_too_large")
    # Streamed without a length: counted while it arrives.
    chunks = [b'{"name": "', b"x" * 3000, b"y" * 3000, b'"}']
    sent = _asgi(
        live,
        f"{V2}/customers",
        [{"type": "http.request", "body": chunk, "more_body": True} for chunk in chunks],
        [(b"x-token", headers["x-token"].encode())],
    )
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"] == "payload_too_large"
    # Within the limit, a write still works.
    made = live.http.post(
        f"{V2}/customers", headers=headers, json={"name": "Small", "phone": "+10000000002"}
    )
    assert made.status_code == 200, made.text


def _raw(url: str, request: bytes, wait: float) -> tuple[bytes, float]:
    """Send `request` on a new socket; answer what came back within `wait` seconds and when."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(request)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except TimeoutError:
            pass
    return answer, time.monotonic() - started


def test_the_token_exchange_checks_size_and_rate_before_the_body(
    make_server: Callable[..., Any],
) -> None:
    live = make_server(auth_per_minute=2)
    url = live.url
    head = (
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: {length}\r\n\r\n"
    )
    # 10 MB declared, none sent: refused at once (waiting for the body would end in a 408).
    answer, _ = _raw(url, head.format(path=f"{V2}/auth", length=10_000_000).encode(), 5)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    assert live.auth_v2().status_code == 200
    assert live.auth_v2().status_code == 200
    # Over the address's rate: refused before a byte of the body is read.
    answer, _ = _raw(url, head.format(path=f"{V2}/auth", length=200).encode(), 5)
    assert answer.startswith(b"HTTP/1.1 429"), answer
    assert b'"rate_limited"' in answer


# --- item 12: short, slow and aborted bodies ------------------------------------------------


def test_a_body_that_stops_short_gets_408_within_the_body_timeout(
    make_server: Callable[..., Any],
) -> None:
    live = make_server(body_timeout=1)
    token = live.v2_headers()["x-token"]
    request = (
        f"POST {V2}/customers HTTP/1.1\r\nHost: x\r\nx-token: {token}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        '{"name": "short'
    ).encode()
    answer, took = _raw(live.url, request, 10)
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b'"request_timeout"' in answer
    assert took > 0.9  # it waited for the body as long as the timeout


def _asgi(live: LiveServer, path: str, messages: list[dict[str, Any]], headers: list[Any]) -> Any:
    """Call the app with these receive messages; answer what it sent."""
    sent: list[dict[str, Any]] = []
    queue = list(messages)

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50001),
        "server": ("testserver", 80),
        "app": live.app,
    }

    async def call() -> None:
        await live.app(scope, receive, send)

    live._portal.call(call)  # type: ignore[union-attr]
    return sent


def test_a_body_shorter_than_its_length_is_400(server: LiveServer) -> None:
    token = server.v2_headers()["x-token"].encode()
    headers = [(b"x-token", token), (b"content-type", b"application/json")]
    sent = _asgi(
        server,
        f"{V2}/customers",
        [{"type": "http.request", "body": b'{"name": "ab"}', "more_body": False}],
        [*headers, (b"content-length", b"500")],
    )
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"])["error"] == "invalid_request"


def test_an_aborted_upload_is_400_and_logs_no_traceback(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    token = server.v2_headers()["x-token"].encode()
    declared = [(b"x-token", token), (b"content-length", b"5000")]
    chunked = [(b"x-token", token), (b"transfer-encoding", b"chunked")]
    part = [{"type": "http.request", "body": b'{"name": "a', "more_body": True}]
    with caplog.at_level(logging.INFO):
        for headers in (declared, chunked):
            # Then the client disconnects, or only half-closes: it may still read an answer.
            sent = _asgi(server, f"{V2}/customers", part, headers)
            assert sent[0]["status"] == 400
            assert json.loads(sent[1]["body"])["error"] == "invalid_request"
    assert not [r for r in caplog.records if r.exc_info]


def test_an_unexpected_error_is_a_500_with_its_request_id_logged_once(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    """What escapes the handlers: one log record with its traceback and the request id, and a
    500 in the envelope carrying that id (it had none; item 7)."""
    app = server.app
    if app.middleware_stack is None:
        assert server.http.get("/health").status_code == 200
    parent = app.middleware_stack
    while getattr(parent, "app", None) is not app.router:
        parent = parent.app
    router = parent.app

    async def broken(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/health":
            raise RuntimeError("boom")
        await router(scope, receive, send)

    parent.app = broken
    try:
        with caplog.at_level(logging.INFO):
            response = server.http.get("/health")
    finally:
        parent.app = router
    _refused(response, 500, "server_error")
    traced = [r for r in caplog.records if r.exc_info]
    assert len(traced) == 1
    assert response.headers["x-request-id"] in traced[0].getMessage()
