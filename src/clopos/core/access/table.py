"""Tables: Brands, integrators, API clients and signing keys: who may call the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import (
    Base,
    Timestamped,
    utcnow,
)


class Brand(Timestamped, Base):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # "test" brands accept test integrators; "production" brands refuse them.
    mode: Mapped[str] = mapped_column(String(16), default="production")
    enabled: Mapped[bool] = mapped_column(default=True)


class Integrator(Timestamped, Base):
    __tablename__ = "integrators"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    is_test: Mapped[bool] = mapped_column(default=True)
    enabled: Mapped[bool] = mapped_column(default=True)


class ApiClient(Timestamped, Base):
    """An Open API credential of one brand. Secrets are kept only as keyed hashes."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    enabled: Mapped[bool] = mapped_column(default=True)
    # Bumped to revoke every token issued so far without disabling the client.
    token_epoch: Mapped[int] = mapped_column(default=0)
    secret_id: Mapped[str] = mapped_column(String(32))
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary(64))
    # During a rotation both secrets authenticate; tokens remember which one they came from.
    pending_secret_id: Mapped[str | None] = mapped_column(String(32), default=None)
    pending_secret_hash: Mapped[bytes | None] = mapped_column(LargeBinary(64), default=None)
    rotation_started_at: Mapped[datetime | None] = mapped_column(default=None)
    venue_ids: Mapped[list[Any]] = mapped_column(default=list)
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    default_venue_id: Mapped[int | None] = mapped_column(default=None)


class SigningKey(Base):
    """An HS256 key. The newest unretired key signs; retired keys verify until tokens expire."""

    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(32), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(16), default="HS256")
    secret: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(default=None)
