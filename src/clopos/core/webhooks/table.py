"""Tables: webhook subscriptions, the events made for them, deliveries, and the sender's
lease and place in the change log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import Base, utcnow

# The deliveries still to make, as the partial index of them says it. A query that reads
# that index says it in these words too: a planner uses a partial index only where it can
# prove the query's condition from the index's, and it cannot from a bound parameter.
PENDING = text("status = 'pending'")


class WebhookSubscription(Base):
    """A brand's receiver: where events of the listed types are sent, signed with its
    secret. Secrets are sealed with the server key (core/sealing.py), never
    stored in clear; during a rotation the previous one signs too until `previous_until`."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[Any]] = mapped_column()
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    previous_secret: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    previous_until: Mapped[datetime | None] = mapped_column(default=None)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookEvent(Base):
    """An event as it is sent: `body` is the exact JSON every delivery of it carries, so a
    delivery sent again carries the same id and the same bytes."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_brand_id_created_at", "brand_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # The change-log row it was made from.
    seq: Mapped[int] = mapped_column()
    brand_id: Mapped[int] = mapped_column()
    type: Mapped[str] = mapped_column(String(32))
    venue_id: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[bytes] = mapped_column(LargeBinary)


class WebhookDelivery(Base):
    """One event to one subscription: its attempts and the last answer. Deliveries of the
    same subscription and `ordering` (a resource, e.g. `orders:12`) go out one at a time,
    in id order."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The sender's "what is due" in id order: the pending ones only, a handful however
        # long the log of deliveries made grows (an index of every row had it walk past all
        # the delivered ones, a round's cost growing with the history: docs/performance.md).
        Index(
            "ix_webhook_deliveries_pending",
            "id",
            "next_at",
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        ),
        # Which of them may go: a resource's first pending one to a subscription.
        Index(
            "ix_webhook_deliveries_pending_ordering",
            "subscription_id",
            "ordering",
            "id",
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    event_id: Mapped[str] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"))
    ordering: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    last_status: Mapped[int | None] = mapped_column(default=None)
    # The start of the receiver's answer, or why there was none (a timeout, a refused
    # connection): never a secret, the body is the receiver's.
    last_answer: Mapped[str | None] = mapped_column(String(300), default=None)
    latency_ms: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)


class WebhookState(Base):
    """What the last event of a record said (an order's status, a venue's stop list as a
    digest): an update becomes an event only when that changed."""

    __tablename__ = "webhook_states"

    brand_id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(100))


class WebhookSender(Base):
    """The one sender among every instance (`holder` until `lease_until`), and its place
    in the change log (store/changes.py's LogPosition)."""

    __tablename__ = "webhook_sender"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(100), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    seq: Mapped[int] = mapped_column(default=0)
    horizon: Mapped[int] = mapped_column(default=0)
    handed: Mapped[list[Any]] = mapped_column(default=list)
