"""What `POST /orders` asks for, in the domain's words: either wire body (v1's nested
payload or v2's flat one) becomes one `OrderDraft` at the edge (`server/api/order_bodies.py`),
and the core checks, prices and stores that."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ModifierDraft:
    modifier_id: int
    count: int
    portion_size: float = 1
    where: str = ""


@dataclass
class LineDraft:
    product_id: int
    count: int
    portion_size: float = 1
    status: str = "new"
    product_hash: str | None = None
    note: str | None = None
    modifiers: list[ModifierDraft] = field(default_factory=list)
    where: str = ""


@dataclass
class OrderDraft:
    """What either body of `POST /orders` asks for."""

    venue_id: int
    sale_type_id: int
    lines: list[LineDraft]
    customer_id: int | None = None
    customer: dict[str, Any] = field(default_factory=dict)
    sale_type_name: str | None = None
    venue_name: str | None = None
    comment: str | None = None
    discount_type: int = 0
    discount_value: float = 0
    service_charge: bool = False
    service_charge_value: float = 0
    customer_discount_type: int | None = None
    delivery_fee: float = 0
    order_number: str | None = None
    auto_order_accept: bool = False
    auto_order_sent_to_station: bool = False
    auto_accept_terminal: int | None = None
    integration_uuid: str | None = None
    integration_id: str | None = None
    customer_ref_id: str | None = None
