"""Tables: operator accounts and their console sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import Base, Timestamped, utcnow


class Operator(Timestamped, Base):
    """A person who signs in to the venue console. The password is kept only as an argon2
    hash; `brand_ids` limits the account to those brands (None: every brand)."""

    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(default=True)
    brand_ids: Mapped[list[Any] | None] = mapped_column(default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)


class OperatorSession(Base):
    """A signed-in console session. Only a SHA-256 of the session's random token is kept:
    the token itself lives in the operator's cookie alone."""

    __tablename__ = "operator_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    operator_id: Mapped[int] = mapped_column(
        ForeignKey("operators.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
