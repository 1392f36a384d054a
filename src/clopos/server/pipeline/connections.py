"""Idle connections closed, where the ASGI server does not close them itself.

granian closes a connection that starts a request head and does not finish it within its
header timeout, and an idle keep-alive one; uvicorn closes idle keep-alive ones. Neither
closes a connection that never sends a byte, nor (uvicorn) one that trickles a head: each
holds one of the worker's connection slots for ever, and about a thousand of them took the
server offline. This closes them.

It runs in each worker of a real server (`clopos serve`, Linux), once a second: it lists the
worker's own TCP connections on its listening ports (/proc/self/fd, then each socket asked),
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("clopos.server")

Peer = tuple[str, int]
_PROC = Path("/proc/self/fd")
_ESTABLISHED = 1  # TCP_ESTABLISHED, linux/tcp_states.h


def _peer(address: tuple[Any, ...]) -> Peer:
    """(ip, port) of a socket address; an IPv4 peer of an IPv6 socket as its IPv4 form."""
    ip, port = address[0], address[1]
    if ip.startswith("::ffff:") and "." in ip:
        ip = ip.removeprefix("::ffff:")
    return ip, port


def _socket_inodes() -> dict[int, int]:
    """inode -> descriptor of this process's sockets."""
    found: dict[int, int] = {}
    for name in os.listdir(_PROC):
        with contextlib.suppress(OSError):
            target = os.readlink(_PROC / name)
            if target.startswith("socket:["):
                found[int(target[8:-1])] = int(name)
    return found


@dataclass(frozen=True, slots=True)
class _Socket:
    """What the sweep needs of one of the process's TCP sockets."""

    local_port: int
    listening: bool
    peer: Peer | None  # an established connection's


def _opened(fd: int, inode: int) -> socket.socket | None:
    """The socket behind `fd` through a duplicate of the descriptor, once the duplicate is
    known to be that socket (the server may close and reuse the number at any moment); None
    if it is gone. Closing it closes the duplicate only: the server's descriptor keeps the
    socket."""
    try:
        duplicate = os.dup(fd)
    except OSError:
        return None
    try:
        if os.fstat(duplicate).st_ino == inode:
            return socket.socket(fileno=duplicate)
    except OSError:
        pass
    os.close(duplicate)
    return None


def _described(fd: int, inode: int) -> _Socket | None:
    """The TCP socket behind `fd`. Asking each of the process's own sockets replaced reading
    /proc/net/tcp and tcp6, which list every socket of the network namespace: the kernel
    walks its whole connection table for each (262,144 buckets on a machine with 24 GiB,
    4 ms a file), every second in every worker, idle or not."""
    sock = _opened(fd, inode)
    if sock is None:
        return None
    with sock:
        if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.type != socket.SOCK_STREAM:
            return None
        try:
            local_port = int(sock.getsockname()[1])
            if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                return _Socket(local_port, listening=True, peer=None)
            # tcp_info's first byte is the connection's state.
            state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
            peer = _peer(sock.getpeername()) if state == _ESTABLISHED else None
        except OSError:
            return None
        return _Socket(local_port, listening=False, peer=peer)


@dataclass(frozen=True, slots=True)
class Connection:
    inode: int
    fd: int
    peer: Peer


def served_connections() -> list[Connection]:
    """This process's established connections on its own listening ports."""
    inodes = _socket_inodes()
    described = {inode: _described(fd, inode) for inode, fd in inodes.items()}
    ports = {found.local_port for found in described.values() if found and found.listening}
    return [
        Connection(inode, inodes[inode], found.peer)
        for inode, found in described.items()
        if found and found.peer is not None and found.local_port in ports
    ]


def _shutdown(connection: Connection) -> bool:
    """Shut the connection down (through a duplicate of its descriptor: `_opened`)."""
    sock = _opened(connection.fd, connection.inode)
    if sock is None:
        return False
    with sock:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            return False
        return True


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
