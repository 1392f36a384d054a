"""Idle connections closed, where the ASGI server does not close them itself.

granian closes a connection that starts a request head and does not finish it within its
header timeout, and an idle keep-alive one; uvicorn closes idle keep-alive ones. Neither
closes a connection that never sends a byte, nor (uvicorn) one that trickles a head: each
holds one of the worker's connection slots for ever, and about a thousand of them took the
server offline. This closes them.

It runs in each worker of a real server (`clopos serve`, Linux), once a second: it lists the
worker's own TCP connections on its listening ports (/proc/self/fd and /proc/net/tcp{,6}),
knows from the requests it saw (the pipeline notes each request's start and end by peer
address) which of them ever sent a request and when they were last busy, and shuts down
those that sent no request head within `header_timeout`, or sat idle between requests past
`keep_alive_timeout` plus a grace second. A shutdown (not a close) leaves the descriptor to
the server, which sees the end of the stream and frees the slot as for any client that left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("clopos.server")

Peer = tuple[str, int]
_PROC = Path("/proc/self/fd")
_LISTEN, _ESTABLISHED = "0A", "01"


def _address(hex_address: str) -> Peer:
    """`0100007F:1F90` (or its IPv6 form) from /proc/net/tcp as (ip, port)."""
    raw, port = hex_address.split(":")
    data = bytes.fromhex(raw)
    # Each 32-bit word is in host (little-endian) order.
    ordered = b"".join(data[i : i + 4][::-1] for i in range(0, len(data), 4))
    if len(ordered) == 4:
        ip = socket.inet_ntop(socket.AF_INET, ordered)
    else:
        ip = socket.inet_ntop(socket.AF_INET6, ordered)
        if ip.startswith("::ffff:") and "." in ip:
            ip = ip.removeprefix("::ffff:")
    return ip, int(port, 16)


def _socket_inodes() -> dict[int, int]:
    """inode -> descriptor of this process's sockets."""
    found: dict[int, int] = {}
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{name}")
            if target.startswith("socket:["):
                found[int(target[8:-1])] = int(name)
    return found


def _tcp_table(inodes: Container[int]) -> Iterator[tuple[Peer, Peer, str, int]]:
    """(local, remote, state, inode) of the TCP sockets in this network namespace that are
    among `inodes`. The table lists every process's sockets: the others' rows are skipped
    before their addresses are decoded, which was most of a sweep's time (and of a busy
    server's, a thread's CPU holding the interpreter's lock the requests wait for)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                lines = handle.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) < 10:
                continue
            with contextlib.suppress(ValueError):
                inode = int(parts[9])
                if inode in inodes:
                    yield _address(parts[1]), _address(parts[2]), parts[3], inode


@dataclass(frozen=True, slots=True)
class Connection:
    inode: int
    fd: int
    peer: Peer


def served_connections() -> list[Connection]:
    """This process's established connections on its own listening ports."""
    inodes = _socket_inodes()
    rows = list(_tcp_table(inodes))
    ports = {local[1] for local, _, state, _ in rows if state == _LISTEN}
    return [
        Connection(inode, inodes[inode], remote)
        for local, remote, state, inode in rows
        if state == _ESTABLISHED and local[1] in ports
    ]


def _shutdown(connection: Connection) -> bool:
    """Shut the connection down through a duplicate of its descriptor, once the duplicate is
    known to be the same socket (a descriptor number can be reused at any moment)."""
    try:
        duplicate = os.dup(connection.fd)
    except OSError:
        return False
    try:
        if os.fstat(duplicate).st_ino != connection.inode:
            return False
        with socket.socket(fileno=duplicate) as sock:
            duplicate = -1  # the socket object closes it
            sock.shutdown(socket.SHUT_RDWR)
        return True
    except OSError:
        return False
    finally:
        if duplicate >= 0:
            os.close(duplicate)


@dataclass
class ConnectionReaper:
    """Tracks requests by peer; `sweep` shuts down connections idle past their timeout, and
    an address's silent connections (no request yet, seen on an earlier sweep) beyond
    `max_silent_per_address` (0: no cap; `exempt` addresses, the proxies, have none)."""

    header_timeout: float
    keep_alive_timeout: float
    max_silent_per_address: int = 0
    exempt: Callable[[str], bool] = lambda address: False
    busy: dict[Peer, int] = field(default_factory=dict)
    last_active: dict[Peer, float] = field(default_factory=dict)
    first_seen: dict[int, float] = field(default_factory=dict)
    closed: int = 0

    def started(self, peer: Peer) -> None:
        self.busy[peer] = self.busy.get(peer, 0) + 1
        self.last_active[peer] = time.monotonic()

    def ended(self, peer: Peer) -> None:
        left = self.busy.get(peer, 1) - 1
        if left > 0:
            self.busy[peer] = left
        else:
            self.busy.pop(peer, None)
        self.last_active[peer] = time.monotonic()

    def idle(self, connections: list[Connection], now: float) -> list[Connection]:
        """The connections to close now; forgets what is gone."""
        due = []
        alive = {c.inode for c in connections}
        for inode in set(self.first_seen) - alive:
            del self.first_seen[inode]
        peers = {c.peer for c in connections}
        for peer in set(self.last_active) - peers:
            if peer not in self.busy:
                del self.last_active[peer]
        silent: dict[str, list[Connection]] = {}
        for connection in connections:
            first = self.first_seen.setdefault(connection.inode, now)
            if connection.peer in self.busy:
                continue
            active = self.last_active.get(connection.peer)
            if active is not None:
                # Between requests: the server's own keep-alive timeout, then a grace second.
                if now - active > self.keep_alive_timeout + 1:
                    due.append(connection)
            elif now - first > self.header_timeout:
                due.append(connection)  # no complete request head in time
            elif first < now:  # silent since an earlier sweep at least
                silent.setdefault(connection.peer[0], []).append(connection)
        if self.max_silent_per_address:
            for address, group in silent.items():
                if len(group) > self.max_silent_per_address and not self.exempt(address):
                    group.sort(key=lambda c: self.first_seen[c.inode])
                    due.extend(group[self.max_silent_per_address :])  # the newest
        return due

    def close(self, connections: list[Connection]) -> int:
        """Shut down the idle ones among `connections` (on the event loop's thread, which
        alone changes what this tracks)."""
        closed = sum(
            _shutdown(connection) for connection in self.idle(connections, time.monotonic())
        )
        self.closed += closed
        return closed

    async def run(self) -> None:
        """Sweep once a second until cancelled (off the event loop: it reads /proc)."""
        if not await asyncio.to_thread(_PROC.is_dir):  # not Linux: the server's own only
            return
        while True:
            await asyncio.sleep(1)
            try:
                closed = self.close(await asyncio.to_thread(served_connections))
            except Exception:
                log.exception("idle connection sweep failed")
                continue
            if closed:
                log.info("closed %d idle connections", closed)
