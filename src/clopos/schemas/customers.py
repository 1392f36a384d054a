"""Customers and customer groups, and the body of `POST /customers`."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator

from clopos.schemas.common import Storable, WireModel

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CustomerGroup(WireModel):
    id: int
    name: str
    # 0 none, 1 percent, 2 amount, as everywhere else in the API (issue 8).
    discount_type: Literal[0, 1, 2] | None = None
    discount_value: float = 0
    system_type: str | None = None
    total_amount: float = 0
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


class CustomerBalance(WireModel):
    """A customer's balance account (`with[]=balance`, `with[]=cashback_balance`), as the v1
    example shows it."""

    id: int
    system_type: str | None = None
    venue_id: int | None = None
    name: str | None = None
    description: str | None = None
    type: str
    amount: float = 0
    position: int = 0
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None


class Customer(WireModel):
    """A customer (v2 fields, plus v1's `addresses`, `phone_verified_at`, `deleted_at`)."""

    id: int
    cid: str
    venue_id: int | None = None
    group_id: int | None = None
    name: str
    email: str | None = None
    phone: str | None = None
    phones: list[str] = Field(default_factory=list)
    address: str | None = None
    address_data: list[dict[str, Any]] = Field(default_factory=list)
    addresses: list[dict[str, Any]] = Field(default_factory=list)
    description: str | None = None
    discount: float = 0
    spent: float = 0
    total_discount: float = 0
    total_bonus: float = 0
    receipt_count: int = 0
    gender: Literal[1, 2] | None = None
    date_of_birth: str | None = None
    code: str | None = None
    source: str | None = None
    reference_id: str | None = None
    status: bool = True
    can_use_loyalty_system: bool = False
    is_verified: bool = False
    phone_verified_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None
    # v1's balance accounts (issue 8): made with the customer.
    balance_id: int | None = None
    bonus_balance_id: int | None = None
    cashback_balance_id: int | None = None
    # With `with[]`: the group, and the balance accounts as v1 shows them.
    group: CustomerGroup | None = None
    balance: CustomerBalance | None = None
    cashback_balance: CustomerBalance | None = None


class CustomerCreate(WireModel, Storable):
    """Body of `POST /customers`: only `name` is required; phone, code and cid are unique."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=200, json_schema_extra={"format": "email"})
    phone: str | None = Field(None, min_length=1, max_length=64)
    code: str | None = Field(None, min_length=1, max_length=64)
    cid: UUID | None = None
    description: str | None = Field(None, max_length=2000)
    group_id: int | None = Field(None, ge=1)
    gender: Literal[1, 2] | None = None
    date_of_birth: date | None = None

    @field_validator("group_id", "gender", mode="before")
    @classmethod
    def _whole_number(cls, value: object) -> object:
        # The wire sends JSON integers: `true` is not group 1, nor `1.0` or `"1"`.
        if value is not None and type(value) is not int:
            raise ValueError("must be an integer")
        return value

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _calendar_date(cls, value: object) -> object:
        # `YYYY-MM-DD` as documented: a number is not a date (0 is not 1970-01-01).
        if value is not None and not (isinstance(value, str) and _DATE.fullmatch(value)):
            raise ValueError("must be a valid date (YYYY-MM-DD)")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError("must be a valid email address")
        return value
