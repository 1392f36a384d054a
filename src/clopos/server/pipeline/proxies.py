"""Which address a request comes from: the socket's peer, or, only when that peer is a proxy
the operator named (`CLOPOS_FORWARDED_ALLOW_IPS`), the address it forwarded for."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(setting: str) -> tuple[Network, ...]:
    """The networks of a comma-separated list of addresses and CIDR networks."""
    networks = []
    for item in setting.split(","):
        if item.strip():
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
    return tuple(networks)


def is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    """Whether `address` is in one of `networks`."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str | None, networks: tuple[Network, ...]) -> str:
    """The client's address: `peer` unless it is a trusted proxy; then the right-most address
    of `X-Forwarded-For` that is not itself a trusted proxy (the left part is the client's
    say, which anyone can forge)."""
    if not networks or forwarded_for is None or not is_trusted(peer, networks):
        return peer
    for hop in reversed([item.strip() for item in forwarded_for.split(",")]):
        if not hop:
            continue
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # a malformed chain: believe only the socket
        if not is_trusted(hop, networks):
            return hop
    return peer
