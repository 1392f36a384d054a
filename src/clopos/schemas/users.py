"""Users: the brand's staff members."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from clopos.schemas.common import WireModel


class User(WireModel):
    """A user, in v1's order. v2 documents a subset (`id`, `email`, `username`, the names,
    `mobile_number`, `owner`, `status` and the timestamps); v1 fields are carried as well."""

    id: int
    email: str | None = None
    username: str
    first_name: str | None = None
    last_name: str | None = None
    # A string, as the v1 example (`"0000"`) and clients have it; "" for a user without one.
    pin: str = ""
    card: str | None = None
    mobile_number: str | None = None
    owner: int = 0
    hide: int = 0
    salary: float = 0
    barcode: str | None = None
    tip_message: str | None = None
    can_receive_tips: bool = False
    login_at: str | None = None
    status: bool = True
    bonus_balance_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None
    properties: list[Any] | dict[str, Any] = Field(default_factory=list)
    image: dict[str, Any] | None = None
