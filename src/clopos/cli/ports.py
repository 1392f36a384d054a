"""Refusing to start a server on a port another process already listens on.

granian (and uvicorn with several workers) bind with SO_REUSEPORT, so a second server on
the same port starts without a word and the kernel then shares connections between the two:
requests alternate between servers that may hold different databases. A probe bound
without SO_REUSEPORT fails while anything listens there, which is what an operator means by
"the port is in use".
"""

from __future__ import annotations

import contextlib
import errno
import socket

import click


class PortInUse(click.ClickException):
    """The port is taken; exit 1 with the sentence on stderr."""


def ensure_free(host: str, port: int) -> None:
    """Raise PortInUse when something listens on `host`:`port` (any address it resolves to).

    SO_REUSEADDR is set as servers set it, so the closing connections a stopped server
    leaves behind (TIME_WAIT) do not count as in use. Two servers started in the same
    instant may both pass; the check is for the common case of one already running."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise click.ClickException(f"cannot listen on {host}: {error.strerror}") from error
    for family, kind, protocol, _, address in addresses:
        with contextlib.closing(socket.socket(family, kind, protocol)) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    message = f"cannot listen on {host}:{port}: {error.strerror}"
                    raise click.ClickException(message) from error
                raise PortInUse(
                    f"port {port} is in use on {host} (another server?); stop it, choose "
                    "another --port, or pass --share-port to share it with that server "
                    "(the kernel then spreads connections between the two)"
                ) from error
