"""Users: the brand's staff, as `GET /users` and `GET /users/{id}` answer them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.errors import not_found
from clopos.core.formats import iso
from clopos.core.listing import ListSpec, Page, contains, fetch_page, flag, integers
from clopos.core.query import ListQuery, Paging
from clopos.core.users.table import User

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


def serialise(user: User) -> dict[str, Any]:
    """The v1 user object; it is a superset of the slimmer v2 documentation."""
    return {
        "id": user.id,
        "email": user.email,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "pin": user.pin or "",
        "card": user.card,
        "mobile_number": user.mobile_number,
        "owner": user.owner,
        "hide": user.hide,
        "salary": user.salary,
        "barcode": user.barcode,
        "tip_message": user.tip_message,
        "can_receive_tips": user.can_receive_tips,
        "login_at": iso(user.login_at),
        "status": user.status,
        "bonus_balance_id": None,
        "created_at": iso(user.created_at),
        "updated_at": iso(user.updated_at),
        "deleted_at": iso(user.deleted_at),
        "properties": user.properties,
        "image": None,
    }


def list_users(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    statement = select(User).where(User.brand_id == brand_id, User.deleted_at.is_(None))
    page = fetch_page(session, SPEC, query, statement)
    return Page([serialise(user) for user in page.rows], page.total)


def get_user(session: Session, brand_id: int, user_id: int) -> dict[str, Any]:
    user = session.get(User, (brand_id, user_id))
    if user is None or user.deleted_at is not None:
        raise not_found("User not found")
    return serialise(user)
