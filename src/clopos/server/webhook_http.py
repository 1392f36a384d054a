"""The webhook sender's HTTP client: POSTs over kept-alive HTTP/1.1 connections, pooled per
receiver.

Why not httpx, which the sender used first: measured here (docs/performance.md, issue 19),
an httpx POST to a local receiver cost 0.8 to 3 ms of CPU at 1 to 32 in flight, as much
as the order whose event it carried. Its pool looks at every connection twice a request
and asks each idle one's socket whether it is readable, and httpcore tries to import
sniffio (which anyio no longer brings) at every lock it makes. A delivery needs far less:
one write of the request, the answer's status and the first bytes of its body, and the
connection kept for the next delivery when the answer said where it ends. That costs
about 60 µs.

What it reads of an answer: the status line (interim 1xx answers skipped), the headers
that say where the body ends (`Content-Length`, chunked `Transfer-Encoding`, `Connection:
close`), and the body up to `MAX_BODY`; a longer body, or one that ends when the
connection closes, is not read to its end and its connection is closed, never reused.
Redirects are not followed (a receiver answers itself) and no proxy is used.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

# An answer's body is read whole (so the connection can carry the next delivery) up to this
# size; past it the connection is closed instead.
MAX_BODY = 64 * 1024
# An answer's head (status line and headers) longer than this is refused.
MAX_HEAD = 64 * 1024
# Characters left as they are in a request target; the rest is percent-encoded.
_TARGET_SAFE = "/%:@!$&'()*+,;=-._~?"


class ProtocolError(Exception):
    """The receiver's answer is not HTTP/1.x as this client reads it."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A receiver's answer: its status and the first bytes of its body."""

    status: int
    start: bytes


@dataclass(frozen=True, slots=True)
class _Target:
    """Where a URL's requests go, worked out once per URL."""

    origin: tuple[str, str, int]  # scheme, host, port: one pool of connections each
    host: str
    port: int
    tls: bool
    head: bytes  # the request line and the Host header


@dataclass(eq=False, slots=True)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = field(default=0.0)

    def usable(self, now: float, idle_seconds: float) -> bool:
        """Still worth reusing: open, not closed by the receiver meanwhile, not idle long."""
        return (
            not self.reader.at_eof()
            and not self.writer.is_closing()
            and now - self.idle_since < idle_seconds
        )

    def close(self) -> None:
        self.writer.close()


def target(url: str) -> _Target:
    """The request line, Host header and origin of an http:// or https:// URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http:// or https:// URL: {url!r}")
    tls = parts.scheme == "https"
    host = parts.hostname
    port = parts.port or (443 if tls else 80)
    ascii_host = host.encode("idna").decode("ascii")
    shown = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    if parts.port is not None:
        shown += f":{port}"
    path = quote(parts.path or "/", safe=_TARGET_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_TARGET_SAFE)
    head = f"POST {path} HTTP/1.1\r\nHost: {shown}\r\n".encode("ascii")
    return _Target((parts.scheme, ascii_host, port), ascii_host, port, tls, head)


class Poster:
    """POSTs to receivers, keeping each answered connection for the next request to the
    same origin (at most `max_idle` kept in all, each at most `idle_seconds`).

    A kept connection the receiver closed meanwhile is found out before it is used (its
    end was read), or, when the close crosses the request, by no answer having begun:
    the request is then sent once more on a new connection (a receiver may see it twice,
    which at-least-once delivery allows for)."""

    def __init__(
        self, idle_seconds: float = 30.0, max_idle: int = 64, tls: ssl.SSLContext | None = None
    ) -> None:
        self.idle_seconds = idle_seconds
        self.max_idle = max_idle
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._idle_count = 0
        self._targets: dict[str, _Target] = {}
        self._tls = tls  # made on first use: loading the authorities takes milliseconds
        self._swept = time.monotonic()
        self.opened = 0  # connections made: tests see the reuse by it

    async def post(
        self, url: str, headers: list[tuple[str, str]], body: bytes, keep: int
    ) -> Answer:
        """POST `body` with `headers` to `url`; answers the status and the body's first `keep`
        bytes. Raises OSError (no connection, reset, TLS refused), EOFError (closed before a
        whole answer), ProtocolError; the caller bounds the time (asyncio.timeout), and a
        connection left by a timeout or an error is closed."""
        where = self._targets.get(url)
        if where is None:
            if len(self._targets) >= 1024:
                self._targets.clear()
            where = self._targets[url] = target(url)
        lines = [where.head, b"Content-Length: ", str(len(body)).encode(), b"\r\n"]
        for name, value in headers:
            lines += [name.encode("ascii"), b": ", value.encode("ascii"), b"\r\n"]
        lines += [b"\r\n", body]
        request = b"".join(lines)
        connection = self._reused(where.origin)
        if connection is not None:
            try:
                return await self._exchange(where, connection, request, keep, reused=True)
            except _Stale:
                pass  # closed by the receiver as the request went: once more, on a new one
        return await self._exchange(where, await self._open(where), request, keep)

    async def _exchange(
        self,
        where: _Target,
        connection: _Connection,
        request: bytes,
        keep: int,
        reused: bool = False,
    ) -> Answer:
        kept = False
        try:
            try:
                connection.writer.write(request)
                await connection.writer.drain()
                head = await connection.reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                nothing = not isinstance(error, asyncio.IncompleteReadError) or not error.partial
                if reused and nothing:
                    raise _Stale from error
                raise
            answer, reusable = await _rest_of_answer(connection.reader, head, keep)
            kept = reusable and self._keep(where.origin, connection)
            return answer
        except asyncio.LimitOverrunError as error:
            raise ProtocolError("a line of the answer is too long") from error
        finally:
            if not kept:
                connection.close()

    def _reused(self, origin: tuple[str, str, int]) -> _Connection | None:
        now = time.monotonic()
        if now - self._swept > self.idle_seconds:
            self._sweep(now)
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if connection.usable(now, self.idle_seconds):
                return connection
            connection.close()
        return None

    def _keep(self, origin: tuple[str, str, int], connection: _Connection) -> bool:
        if self._idle_count >= self.max_idle:
            return False
        connection.idle_since = time.monotonic()
        self._idle.setdefault(origin, []).append(connection)
        self._idle_count += 1
        return True

    def _sweep(self, now: float) -> None:
        """Close the connections idle too long (their receivers no longer sent to)."""
        self._swept = now
        for origin, idle in list(self._idle.items()):
            fresh = []
            for connection in idle:
                if connection.usable(now, self.idle_seconds):
                    fresh.append(connection)
                else:
                    connection.close()
            self._idle_count -= len(idle) - len(fresh)
            if fresh:
                self._idle[origin] = fresh
            else:
                del self._idle[origin]

    async def _open(self, where: _Target) -> _Connection:
        tls = None
        if where.tls:
            if self._tls is None:
                self._tls = _tls_context()
            tls = self._tls
        reader, writer = await asyncio.open_connection(
            where.host,
            where.port,
            ssl=tls,
            server_hostname=where.host if tls else None,
            limit=MAX_HEAD,
        )
        self.opened += 1
        return _Connection(reader, writer)

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()
        self._idle_count = 0


def _tls_context() -> ssl.SSLContext:
    """Certificates checked against certifi's authorities, as httpx (the sender's client
    before this one) did."""
    try:
        import certifi
    except ImportError:  # pragma: no cover - httpx, a dependency, brings it
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


class _Stale(Exception):
    """A kept connection ended before any answer began: the receiver had closed it."""


async def _rest_of_answer(
    reader: asyncio.StreamReader, head: bytes, keep: int
) -> tuple[Answer, bool]:
    while True:
        version, status, headers = _parse_head(head)
        if not 100 <= status < 200 or status == 101:
            break
        head = await reader.readuntil(b"\r\n\r\n")  # 100 Continue, 103 Early Hints...
    length: int | None = None
    chunked = False
    reusable = version == b"HTTP/1.1" and status != 101
    for name, value in headers:
        if name == b"content-length":
            try:
                found = int(value)
            except ValueError:
                raise ProtocolError(f"Content-Length {value!r}") from None
            if found < 0 or (length is not None and length != found):
                raise ProtocolError("conflicting or negative Content-Length")
            length = found
        elif name == b"transfer-encoding":
            chunked = value.lower().rsplit(b",", 1)[-1].strip() == b"chunked"
            if not chunked:  # the body ends with the connection
                reusable = False
        elif name == b"connection" and b"close" in (t.strip() for t in value.lower().split(b",")):
            reusable = False
    if status in (204, 304) or status == 101:
        return Answer(status, b""), reusable
    if chunked:
        start, whole = await _chunked(reader, keep)
        return Answer(status, start), reusable and whole
    if length is not None and length <= MAX_BODY:
        return Answer(status, (await reader.readexactly(length))[:keep]), reusable
    if length is not None:  # too long to read whole: its start, and the connection closed
        return Answer(status, await reader.readexactly(min(keep, length))), False
    # No length (the body ends when the connection closes), or one too long to read whole.
    return Answer(status, await _up_to(reader, keep)), False


async def _up_to(reader: asyncio.StreamReader, size: int) -> bytes:
    """The next `size` bytes, fewer if the connection ends first."""
    data = bytearray()
    while len(data) < size:
        chunk = await reader.read(size - len(data))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def _parse_head(head: bytes) -> tuple[bytes, int, list[tuple[bytes, bytes]]]:
    lines = head[:-4].split(b"\r\n")
    status_line = lines[0].split(None, 2)
    if (
        len(status_line) < 2
        or not status_line[0].startswith(b"HTTP/1.")
        or len(status_line[1]) != 3
        or not status_line[1].isdigit()
    ):
        raise ProtocolError(f"not an HTTP/1 status line: {lines[0][:80]!r}")
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip():
            raise ProtocolError(f"a malformed header line: {line[:80]!r}")
        headers.append((name.lower(), value.strip()))
    return status_line[0], int(status_line[1]), headers


async def _chunked(reader: asyncio.StreamReader, keep: int) -> tuple[bytes, bool]:
    """A chunked body's first `keep` bytes, and whether it was read to its end (at most
    MAX_BODY of it is read)."""
    kept = bytearray()
    total = 0
    while True:
        line = await reader.readuntil(b"\r\n")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ProtocolError(f"a chunk size {line[:40]!r}") from None
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, if any
                pass
            return bytes(kept), True
        total += size
        if size < 0 or total > MAX_BODY:
            return bytes(kept), False
        chunk = await reader.readexactly(size + 2)
        if chunk[-2:] != b"\r\n":
            raise ProtocolError("a chunk without its line end")
        if len(kept) < keep:
            kept += chunk[: min(size, keep - len(kept))]
