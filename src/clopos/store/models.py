"""Bookkeeping tables of the store itself: the change log, the audit trail, id sequences,
idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import FetchedValue, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import Base, utcnow


class ChangeLog(Base):
    """One changed record, written in the transaction that changed it (see store/uow.py).

    On SQLite (one writer at a time) `seq` grows in commit order and is never reused
    (AUTOINCREMENT), so whoever follows the log (caches, revocation, notifications)
    remembers the last one it saw. On PostgreSQL writers commit side by side and `seq` may
    become visible out of order: each row also holds its transaction's id (`txid`, filled
    by the database), and the log is followed by those (store/changes.py).
    """

    __tablename__ = "change_log"
    __table_args__ = (
        # PostgreSQL's rows only (SQLite leaves `txid` NULL): the follower's range reads.
        Index(
            "ix_change_log_txid",
            "txid",
            "seq",
            postgresql_where=text("txid IS NOT NULL"),
            sqlite_where=text("txid IS NOT NULL"),
        ),
        # Read only by the pruning of old rows. On PostgreSQL a block-range index: the rows
        # come in `at` order, so a range's least and greatest `at` bound it, and a row
        # added to the last, not yet summarised range costs the index nothing, where a
        # B-tree took an entry for each of the eight rows a close writes (migration 0018).
        # SQLite has no such kind: a B-tree there.
        Index(
            "ix_change_log_at",
            "at",
            postgresql_using="brin",
            postgresql_with={"autosummarize": "on"},
        ),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    resource: Mapped[str] = mapped_column(String(64))
    # None for a change not limited to one brand (an integrator, a bulk statement).
    brand_id: Mapped[int | None] = mapped_column(default=None)
    record_id: Mapped[str | None] = mapped_column(String(64), default=None)
    kind: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # PostgreSQL: the writing transaction's id (`pg_current_xact_id()`, the column's default
    # there); never sent by the application.
    txid: Mapped[int | None] = mapped_column(server_default=FetchedValue())


class AuditEvent(Base):
    """A token exchange, a rejected request, a console sign-in or an operator's console
    action (`operator`, `target`, `detail`: before and after). Never holds a secret or a
    token."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_client_at", "client_id", "at"),
        Index("ix_audit_events_brand_at", "brand", "at"),
    )

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
    operator: Mapped[str | None] = mapped_column(String(64), default=None)
    target: Mapped[str | None] = mapped_column(String(64), default=None)
    detail: Mapped[dict[str, Any] | None] = mapped_column(default=None)


class IdSequence(Base):
    """The next id per brand and table: ids count from 1 within a brand."""

    __tablename__ = "id_sequences"

    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


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
