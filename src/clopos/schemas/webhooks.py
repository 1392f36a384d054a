"""Webhook subscriptions and deliveries on the operator API (an extension beyond the public
API: docs/webhooks.md)."""

from __future__ import annotations

from pydantic import Field

from clopos.core.webhooks.types import DeliveryStatus, EventType
from clopos.schemas.common import WireModel


class WebhookSubscription(WireModel):
    id: str
    url: str
    events: list[EventType]
    enabled: bool
    created_at: str
    previous_secret_until: str | None = Field(
        None, description="While a rotation lasts: when the previous secret stops signing"
    )


class WebhookSubscriptionCreated(WebhookSubscription):
    """A new subscription or a rotated secret: the secret is shown this once."""

    secret: str


class WebhookSubscriptionIn(WireModel):
    """Body of `POST /admin/api/brands/{brand}/webhooks`."""

    url: str = Field(max_length=2000)
    events: list[str] = Field(min_length=1, description="Event types, or ['*'] for all")
    secret: str | None = Field(None, max_length=100, description="whsec_...; default: made")


class WebhookRotateIn(WireModel):
    """Body of `POST .../webhooks/{id}/rotate-secret`."""

    overlap_hours: float = Field(
        24, ge=0, le=24 * 30, description="How long the current secret keeps signing too"
    )


class WebhookDelivery(WireModel):
    id: int
    subscription_id: str
    event_id: str
    event_type: EventType
    status: DeliveryStatus
    attempts: int
    last_status: int | None
    last_answer: str | None
    latency_ms: int | None
    created_at: str | None
    last_attempt_at: str | None
    next_at: str | None
    delivered_at: str | None


class WebhookReplayIn(WireModel):
    """Body of `POST .../webhooks/deliveries/replay`: deliveries by id, or a subscription's
    (of one status)."""

    ids: list[int] = Field(default_factory=list, max_length=1000)
    subscription_id: str | None = Field(None, max_length=40)
    status: DeliveryStatus | None = None


class WebhookReplayed(WireModel):
    replayed: int
