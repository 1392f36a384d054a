"""The entry point ASGI servers import: `clopos.server.asgi:create` (a factory)."""

from __future__ import annotations

from fastapi import FastAPI

from clopos.server import logs
from clopos.server.app import create_app
from clopos.server.settings import Settings


def create() -> FastAPI:
    """Build the app from `CLOPOS_*` environment variables (set by `clopos serve`)."""
    settings = Settings()
    logs.configure(settings.log_format)
    return create_app(settings, serving=True)
