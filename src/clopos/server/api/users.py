"""`GET /users`, `GET /users/{id}`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.formats import parse_id
from clopos.core.users import service as users
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.schemas.users import User
from clopos.server.api.deps import database, granted
from clopos.server.api.paths import RecordId
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["users"])


@router.get("/users", response_model=ListEnvelope[User])
async def list_users(request: Request) -> JSON:
    principal = granted(request, scopes.USERS_READ)
    db = database(request)
    query = users.SPEC.parse(request.query_params.multi_items())
    page = await db.read(users.list_users, principal.brand_id, query)
    return envelope(request.scope, page.rows, total=page.total, sorts=users.SPEC.sort_names)


@router.get("/users/{user_id}", response_model=Envelope[User])
async def get_user(request: Request, user_id: RecordId) -> JSON:
    principal = granted(request, scopes.USERS_READ)
    db = database(request)
    user = await db.read(users.get_user, principal.brand_id, parse_id(user_id))
    return envelope(request.scope, user)
