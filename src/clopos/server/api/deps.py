"""Dependencies every router uses: the caller, its scope check, a database session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from clopos.server.auth.principal import Principal
from clopos.server.errors import ApiError
from clopos.server.store.db import Database


def current_principal(request: Request) -> Principal:
    """The caller the guard authenticated; the guard runs before any route."""
    principal = request.scope.get("state", {}).get("principal")
    if not isinstance(principal, Principal):  # only reachable if a route escaped the guard
        raise ApiError(401, "unauthorized", "Missing authentication headers")
    return principal


def requires(scope: str) -> Callable[[Request], Principal]:
    """A dependency answering the caller if its client holds `scope`, else 403."""

    def check(request: Request) -> Principal:
        principal = current_principal(request)
        if scope not in principal.scopes:
            raise ApiError(
                403,
                "insufficient_scope",
                f"This client is not granted the '{scope}' scope",
                extra={"required_scope": scope},
            )
        return principal

    check.__name__ = f"requires_{scope.replace(':', '_').replace('-', '_')}"
    return check


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def session(request: Request) -> AsyncIterator[AsyncSession]:
    async with database(request).session() as db_session:
        yield db_session


SessionDep = Annotated[AsyncSession, Depends(session)]
