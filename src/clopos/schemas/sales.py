"""Sale types and payment methods."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from clopos.schemas.common import WireModel


class PaymentMethodBalance(WireModel):
    """The documented `{id, system_type, name, type}`, plus the balance account's `amount`,
    `position` and timestamps that clients parse (issue 8)."""

    id: int | None = None
    system_type: str | None = None
    name: str | None = None
    type: str | None = None
    amount: float = 0
    position: int = 0
    created_at: str | None = None
    updated_at: str | None = None


class PaymentMethod(WireModel):
    id: int
    name: str
    status: dict[str, int] = Field(default_factory=dict)
    split: int = 1
    position: int = 0
    customer_required: int = 0
    is_system: int = 0
    balance_id: int | None = None
    balance: PaymentMethodBalance | None = None
    service: dict[str, Any] | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


class SaleType(WireModel):
    id: int
    name: str
    system_type: Literal["IN", "DELIVERY", "TAKEAWAY"]
    channel: str | None = None
    status: dict[str, int] = Field(default_factory=dict)
    service_charge_rate: float | None = None
    position: int = 0
    media: list[dict[str, Any]] = Field(default_factory=list)
    payment_method_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None
    payment_method: PaymentMethod | None = None  # with[]=payment_method
