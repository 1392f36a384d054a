"""Waiter call (v2): the body and its documented answer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from clopos.schemas.common import WireModel


class WaiterCallBody(WireModel):
    """`table_id` an existing table; `payment_method` required for `PAY`, absent for
    `WAITER`, one of the venue's cash or card methods."""

    table_id: int
    type: Literal["WAITER", "PAY"]
    payment_method: int | None = Field(None, description="Required for PAY; not for WAITER")


class WaiterCalled(WireModel):
    success: Literal[True] = True
