"""The idle-connection sweep's decisions and how it finds the process's own connections
(/proc/self/fd, then each socket asked; issue 11, item 1); the real thing against real
servers is tests/smoke/test_floods.py."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Callable

import pytest

from clopos.server.pipeline.connections import (
    Connection,
    ConnectionReaper,
    _peer,
    served_connections,
)


def test_an_ipv4_peer_of_an_ipv6_socket_reads_as_ipv4() -> None:
    assert _peer(("::ffff:127.0.0.1", 443, 0, 0)) == ("127.0.0.1", 443)
    assert _peer(("::1", 80, 0, 0)) == ("::1", 80)
    assert _peer(("10.0.0.1", 8080)) == ("10.0.0.1", 8080)


def test_who_is_closed_and_when() -> None:
    reaper = ConnectionReaper(header_timeout=10, keep_alive_timeout=5)
    silent = Connection(1, 10, ("10.0.0.1", 1001))
    busy = Connection(2, 11, ("10.0.0.1", 1002))
    between = Connection(3, 12, ("10.0.0.1", 1003))
    everyone = [silent, busy, between]
    assert reaper.idle(everyone, now=100.0) == []  # first seen now
    reaper.started(busy.peer)
    reaper.started(between.peer)
    reaper.ended(between.peer)
    reaper.last_active[between.peer] = 104.0
    assert reaper.idle(everyone, now=109.0) == []
    # No request head in 10 s: closed. A request in flight: never. Idle between requests:
    # after the keep-alive timeout and a grace second.
    assert reaper.idle(everyone, now=110.5) == [silent, between]
    # Gone connections are forgotten.
    reaper.idle([busy], now=111.0)
    assert set(reaper.first_seen) == {busy.inode}
    assert between.peer not in reaper.last_active


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_this_process_sees_its_own_served_connections() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        try:
            found = served_connections()
            peers = {c.peer for c in found}
            assert client.getsockname() in peers
            # The client's own end is not on a listening port of this process's.
            assert all(c.peer != listener.getsockname() for c in found)
            ours = next(c for c in found if c.peer == client.getsockname())
            assert ours.fd == accepted.fileno()
            # Once the client has left, its connection is no longer established here (the
            # server's end waits in CLOSE_WAIT for the server to close it).
            gone = client.getsockname()
            client.close()
            assert gone not in _until_gone(lambda: {c.peer for c in served_connections()}, gone)
        finally:
            client.close()
            accepted.close()


def _until_gone(
    read: Callable[[], set[tuple[str, int]]], absent: tuple[str, int]
) -> set[tuple[str, int]]:
    """`read()` once `absent` has left it (the kernel moves the state on its own), or after
    a second."""
    deadline = time.monotonic() + 1
    found = read()
    while absent in found and time.monotonic() < deadline:
        time.sleep(0.01)
        found = read()
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_an_ipv4_client_of_a_dual_stack_listener_is_seen_by_its_ipv4_address() -> None:
    try:
        listener = socket.socket(socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 on this machine")
    with listener:
        try:
            listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            listener.bind(("::", 0))
        except OSError:
            pytest.skip("no dual-stack IPv6 on this machine")
        listener.listen()
        client = socket.create_connection(("127.0.0.1", listener.getsockname()[1]))
        accepted, _ = listener.accept()
        try:
            found = {c.peer: c for c in served_connections()}
            assert found[client.getsockname()].fd == accepted.fileno()
        finally:
            client.close()
            accepted.close()


def test_an_address_holds_at_most_its_cap_of_silent_connections() -> None:
    reaper = ConnectionReaper(
        header_timeout=10,
        keep_alive_timeout=5,
        max_silent_per_address=2,
        exempt=lambda address: address == "10.9.9.9",
    )
    flood = [Connection(n, 100 + n, ("10.0.0.7", 2000 + n)) for n in range(5)]
    proxy = [Connection(50 + n, 200 + n, ("10.9.9.9", 3000 + n)) for n in range(5)]
    other = [Connection(90, 300, ("10.0.0.8", 4000))]
    # Just seen: not counted yet (a client's pool may open many at once, then send at once).
    assert reaper.idle([*flood, *proxy, *other], now=100.0) == []
    # Seen on an earlier sweep and still silent: the newest beyond the cap are closed; the
    # proxy and the other address are untouched.
    assert reaper.idle([*flood, *proxy, *other], now=101.5) == flood[2:]
    # A connection that has sent a request does not count.
    reaper.started(flood[0].peer)
    assert reaper.idle([*flood, *proxy, *other], now=102.0) == flood[3:]
