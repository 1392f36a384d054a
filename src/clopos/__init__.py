"""Clopos Open API: a self-hostable server and a Python client.

The client is importable without the server's dependencies::

    from clopos import Client, AsyncClient
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from clopos.client import AsyncClient, Client

__all__ = ["AsyncClient", "Client", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy so that `import clopos` stays cheap for the server and the CLI.
    if name in ("Client", "AsyncClient"):
        from clopos import client

        return getattr(client, name)
    raise AttributeError(f"module 'clopos' has no attribute {name!r}")
