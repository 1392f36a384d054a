"""Tables: Venues of a brand."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import Base, Tenant, Timestamped


class Venue(Tenant, Timestamped, Base):
    __tablename__ = "venues"

    name: Mapped[str] = mapped_column(String(200))
    is_main: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    phone: Mapped[str | None] = mapped_column(String(64), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[int] = mapped_column(default=1)
    media: Mapped[list[Any]] = mapped_column(default=list)
