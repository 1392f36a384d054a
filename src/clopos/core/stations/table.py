"""Tables: Kitchen stations."""

from __future__ import annotations

from sqlalchemy import (
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import (
    Base,
    Tenant,
    TimestampedDeletable,
)


class Station(Tenant, TimestampedDeletable, Base):
    __tablename__ = "stations"

    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[int] = mapped_column(default=1)
    type: Mapped[int] = mapped_column(default=1)
    printable: Mapped[int] = mapped_column(default=1)
    reminder_enabled: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str | None] = mapped_column(String(500), default=None)
