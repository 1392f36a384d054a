"""Tables: Staff members of a brand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import (
    Base,
    Tenant,
    TimestampedDeletable,
)


class User(Tenant, TimestampedDeletable, Base):
    """A staff member of the brand (back-office user)."""

    __tablename__ = "users"

    email: Mapped[str | None] = mapped_column(String(200), default=None)
    username: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100), default=None)
    last_name: Mapped[str | None] = mapped_column(String(100), default=None)
    pin: Mapped[str | None] = mapped_column(String(16), default=None)
    card: Mapped[str | None] = mapped_column(String(64), default=None)
    mobile_number: Mapped[str | None] = mapped_column(String(64), default=None)
    owner: Mapped[int] = mapped_column(default=0)
    hide: Mapped[int] = mapped_column(default=0)
    salary: Mapped[float] = mapped_column(default=0)
    barcode: Mapped[str | None] = mapped_column(String(64), default=None)
    tip_message: Mapped[str | None] = mapped_column(String(500), default=None)
    can_receive_tips: Mapped[bool] = mapped_column(default=False)
    login_at: Mapped[datetime | None] = mapped_column(default=None)
    status: Mapped[bool] = mapped_column(default=True)
    properties: Mapped[list[Any]] = mapped_column(default=list)
