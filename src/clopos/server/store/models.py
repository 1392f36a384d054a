"""Tenancy and access: brands, venues, integrators, API clients, signing keys, audit trail.

Tenant-owned rows have a composite key (brand_id, id): ids count from 1 within each brand,
as they do on Clopos, where every brand has its own database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from clopos.server.store.base import Base, utcnow


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Brand(Timestamped, Base):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # "test" brands accept test integrators; "production" brands refuse them.
    mode: Mapped[str] = mapped_column(String(16), default="production")
    enabled: Mapped[bool] = mapped_column(default=True)


class Venue(Timestamped, Base):
    __tablename__ = "venues"

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    is_main: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    phone: Mapped[str | None] = mapped_column(String(64), default=None)
    email: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[int] = mapped_column(default=1)
    media: Mapped[list[Any]] = mapped_column(default=list)


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


class ChangeLog(Base):
    """One changed record, written in the transaction that changed it (see store/uow.py).

    `seq` grows in commit order and is never reused (AUTOINCREMENT on SQLite), so whoever
    follows the log (caches, revocation, notifications) remembers the last one it saw.
    """

    __tablename__ = "change_log"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012  (SQLAlchemy's own form)

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    resource: Mapped[str] = mapped_column(String(64))
    # None for a change not limited to one brand (an integrator, a bulk statement).
    brand_id: Mapped[int | None] = mapped_column(default=None)
    record_id: Mapped[str | None] = mapped_column(String(64), default=None)
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class AuditEvent(Base):
    """A token exchange or a rejected request. Never holds a secret or a token."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_client_at", "client_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    status: Mapped[int] = mapped_column()
    reason: Mapped[str | None] = mapped_column(String(64), default=None)
    client_id: Mapped[str | None] = mapped_column(String(64), default=None)
    brand: Mapped[str | None] = mapped_column(String(64), default=None)
    venue_id: Mapped[str | None] = mapped_column(String(32), default=None)
    integrator_id: Mapped[str | None] = mapped_column(String(64), default=None)
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    method: Mapped[str | None] = mapped_column(String(8), default=None)
    path: Mapped[str | None] = mapped_column(String(300), default=None)


class IdSequence(Base):
    """The next id per brand and table: ids count from 1 within a brand."""

    __tablename__ = "id_sequences"

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


def brand_fk(*columns: str, target: str) -> ForeignKeyConstraint:
    """A composite foreign key (brand_id, <column>) to another tenant-owned table."""
    return ForeignKeyConstraint(
        ["brand_id", *columns], [f"{target}.brand_id", f"{target}.id"], ondelete="CASCADE"
    )


__all__ = [
    "ApiClient",
    "AuditEvent",
    "Brand",
    "ChangeLog",
    "IdSequence",
    "IdempotencyRecord",
    "Integrator",
    "SigningKey",
    "Venue",
    "brand_fk",
]


class IdempotencyRecord(Base):
    """The answer to a POST sent with an `Idempotency-Key`, replayed when the key comes again."""

    __tablename__ = "idempotency_keys"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    # None while the first request is still being answered.
    status: Mapped[int | None] = mapped_column(default=None)
    body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
