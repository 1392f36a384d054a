"""The sender's HTTP client (server/webhook_http.py) against real servers on loopback: each
scripted at the byte level, so every way an answer may end is the one under test."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from clopos.server.webhook_http import MAX_BODY, Poster, ProtocolError, target

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
HEADERS = [("Content-Type", "application/json"), ("Clopos-Event-Id", "evt_1_0")]


@dataclass
class Request:
    head: bytes
    body: bytes


@dataclass
class Script:
    """A server that answers the n-th request of each connection with `answer(n)`: bytes
    to write (then keep the connection), or None (close it without answering)."""

    answer: Callable[[int], bytes | None]
    close_after_answer: bool = False
    connections: int = 0
    requests: list[Request] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                self.requests.append(Request(head, await reader.readexactly(length)))
                served += 1
                answer = self.answer(served)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if self.close_after_answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def serve(script: Script, test: Callable[[str, Poster], Awaitable[None]], **poster: object) -> None:
    async def main() -> None:
        server = await asyncio.start_server(script.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        sender = Poster(**poster)  # type: ignore[arg-type]
        try:
            await test(f"http://127.0.0.1:{port}/hooks?x=1", sender)
        finally:
            await sender.aclose()
            server.close()
            await server.wait_closed()

    asyncio.run(main())


def test_one_connection_carries_every_delivery_and_the_request_is_whole() -> None:
    script = Script(lambda _n: OK)

    async def test(url: str, poster: Poster) -> None:
        for number in range(5):
            answer = await poster.post(url, HEADERS, b'{"n": %d}' % number, 300)
            assert (answer.status, answer.start) == (200, b"ok")
        assert poster.opened == 1

    serve(script, test)
    assert script.connections == 1
    first = script.requests[0]
    lines = first.head.split(b"\r\n")
    assert lines[0] == b"POST /hooks?x=1 HTTP/1.1"
    assert lines[1].startswith(b"Host: 127.0.0.1:")
    assert b"Content-Length: 8" in lines
    assert b"Clopos-Event-Id: evt_1_0" in lines
    assert [r.body for r in script.requests] == [b'{"n": %d}' % n for n in range(5)]


def test_a_chunked_answer_is_read_to_its_end_and_its_start_kept() -> None:
    chunked = (
        b"HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"
    )
    script = Script(lambda _n: chunked)

    async def test(url: str, poster: Poster) -> None:
        first = await poster.post(url, HEADERS, b"{}", 8)
        assert (first.status, first.start) == (500, b"hello wo")
        second = await poster.post(url, HEADERS, b"{}", 300)
        assert second.start == b"hello world"
        assert poster.opened == 1  # the end was read: the connection carried the next

    serve(script, test)


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\n\r\nok",  # no length: the body ends with the connection
    ],
    ids=["connection-close", "http-1.0", "until-closed"],
)
def test_an_answer_that_ends_its_connection_is_not_reused(answer: bytes) -> None:
    script = Script(lambda _n: answer, close_after_answer=True)

    async def test(url: str, poster: Poster) -> None:
        for _ in range(2):
            got = await poster.post(url, HEADERS, b"{}", 300)
            assert (got.status, got.start) == (200, b"ok")
        assert poster.opened == 2

    serve(script, test)


def test_interim_answers_are_skipped() -> None:
    answer = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + OK
    script = Script(lambda _n: answer)

    async def test(url: str, poster: Poster) -> None:
        got = await poster.post(url, HEADERS, b"{}", 300)
        assert (got.status, got.start) == (200, b"ok")

    serve(script, test)


def test_a_kept_connection_closed_by_the_receiver_is_replaced() -> None:
    # The receiver closes each connection after its first answer, without saying so.
    script = Script(lambda n: OK if n == 1 else None, close_after_answer=True)

    async def test(url: str, poster: Poster) -> None:
        await poster.post(url, HEADERS, b"{}", 300)
        await asyncio.sleep(0.05)  # the close arrives while the connection is idle
        got = await poster.post(url, HEADERS, b"{}", 300)
        assert got.status == 200
        assert poster.opened == 2

    serve(script, test)
    assert len(script.requests) == 2


def test_a_close_crossing_the_request_sends_it_again_on_a_new_connection() -> None:
    # Each connection answers its first request and closes at its second unanswered: the
    # client cannot know beforehand, and sends that request once more.
    script = Script(lambda n: OK if n == 1 else None)

    async def test(url: str, poster: Poster) -> None:
        for _ in range(2):
            got = await poster.post(url, HEADERS, b"{}", 300)
            assert got.status == 200
        assert poster.opened == 2

    serve(script, test)
    assert len(script.requests) == 3  # the second twice: at least once, as documented


def test_a_new_connection_closed_without_an_answer_is_an_error() -> None:
    script = Script(lambda _n: None)

    async def test(url: str, poster: Poster) -> None:
        with pytest.raises(EOFError):
            await poster.post(url, HEADERS, b"{}", 300)
        assert poster.opened == 1  # not sent again: the connection was not a kept one

    serve(script, test)


@pytest.mark.parametrize(
    "answer",
    [
        b"SMTP ready\r\n\r\n",
        b"HTTP/1.1 20 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
    ids=["not-http", "short-status", "header-line", "two-lengths", "chunk-size"],
)
def test_a_malformed_answer_is_a_protocol_error(answer: bytes) -> None:
    script = Script(lambda _n: answer, close_after_answer=True)

    async def test(url: str, poster: Poster) -> None:
        with pytest.raises(ProtocolError):
            await poster.post(url, HEADERS, b"{}", 300)

    serve(script, test)


def test_a_long_answer_is_not_read_whole_and_its_connection_is_closed() -> None:
    size = MAX_BODY + 1
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size + b"x" * size
    script = Script(lambda _n: answer)

    async def test(url: str, poster: Poster) -> None:
        for _ in range(2):
            got = await poster.post(url, HEADERS, b"{}", 10)
            assert (got.status, got.start) == (200, b"x" * 10)
        assert poster.opened == 2

    serve(script, test)


def test_a_url_becomes_its_request_line_and_host() -> None:
    assert target("https://pos.example.com/a b/ü?q=1 2").head == (
        b"POST /a%20b/%C3%BC?q=1%202 HTTP/1.1\r\nHost: pos.example.com\r\n"
    )
    plain = target("http://[::1]:8080")
    assert plain.head == b"POST / HTTP/1.1\r\nHost: [::1]:8080\r\n"
    assert (plain.host, plain.port, plain.tls) == ("::1", 8080, False)
    assert target("https://bücher.example/").host == "xn--bcher-kva.example"
    assert target("https://h.example/").port == 443


def _certificate(directory: Path) -> tuple[Path, Path]:
    key, cert = directory / "key.pem", directory / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"]
    subprocess.run(
        [*command, "-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )
    return key, cert


def test_https_checks_the_receivers_certificate(tmp_path: Path) -> None:
    key, cert = _certificate(tmp_path)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))

    async def main() -> None:
        script = Script(lambda _n: OK)
        server = await asyncio.start_server(script.handle, "127.0.0.1", 0, ssl=served)
        url = f"https://localhost:{server.sockets[0].getsockname()[1]}/hooks"
        trusted, stranger = Poster(tls=trusting), Poster()
        try:
            for _ in range(2):
                assert (await trusted.post(url, HEADERS, b"{}", 300)).status == 200
            assert trusted.opened == 1
            with pytest.raises(ssl.SSLCertVerificationError):  # an OSError to the sender
                await stranger.post(url, HEADERS, b"{}", 300)
        finally:
            await trusted.aclose()
            await stranger.aclose()
            server.close()
            await server.wait_closed()

    asyncio.run(main())
