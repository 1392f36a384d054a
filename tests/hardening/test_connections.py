"""The idle-connection sweep's decisions and its reading of /proc (issue 11, item 1); the
real thing against real servers is tests/smoke/test_floods.py."""

from __future__ import annotations

import socket
import sys

import pytest

from clopos.server.pipeline.connections import (
    Connection,
    ConnectionReaper,
    _address,
    served_connections,
)


def test_proc_addresses_are_read_in_host_order() -> None:
    assert _address("0100007F:1F90") == ("127.0.0.1", 8080)
    assert _address("00000000000000000000000001000000:0050") == ("::1", 80)
    assert _address("0000000000000000FFFF00000100007F:01BB") == ("127.0.0.1", 443)


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
