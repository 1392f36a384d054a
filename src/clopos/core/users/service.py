"""Users: the brand's staff, as `GET /users` and `GET /users/{id}` answer them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from clopos.core.errors import not_found
from clopos.core.formats import iso
from clopos.core.listing import ListSpec, Page, contains, fetch_page, flag, integers
from clopos.core.query import ListQuery, Paging
from clopos.core.readmodel import ReadModel, Rendered
from clopos.core.users.table import User
from clopos.schemas import users as wire

SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=User.id,
    sorts={
        "id": User.id,
        "username": User.username,
        "first_name": User.first_name,
        "last_name": User.last_name,
        "created_at": User.created_at,
        "updated_at": User.updated_at,
    },
    filters={
        "id": integers(User.id),
        "username": contains(User.username),
        "name": contains(User.first_name, User.last_name),
        "email": contains(User.email),
        "status": flag(User.status.is_(True)),
        "owner": flag(User.owner == 1),
    },
    date_column=User.created_at,
)

# The v1 user object, a superset of the slimmer v2 documentation: `pin` is "" for a user
# without one; no bonus balance or image is kept for staff.
USER = ReadModel(
    User,
    wire.User,
    computed={
        "pin": lambda row: row.pin or "",
        "bonus_balance_id": lambda _row: None,
        "image": lambda _row: None,
    },
    inputs=("pin",),
    dates=iso,
)
_BRAND_USERS = select(User.id).where(
    User.brand_id == bindparam("brand_id"), User.deleted_at.is_(None)
)


def list_users(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    page = fetch_page(session, SPEC, query, _BRAND_USERS, {"brand_id": brand_id})
    return Page(USER.rendered(session, brand_id, page.rows), page.total)


def get_user(session: Session, brand_id: int, user_id: int) -> Rendered:
    found = USER.rows(session, brand_id, [user_id])
    if not found or found[0].deleted_at is not None:
        raise not_found("User not found")
    return USER.render(found[0])
