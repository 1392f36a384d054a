"""Waiting for the venue, and playing it against a clopos sandbox.

An integration pushes an order, then waits for the venue to answer it: `Client.
wait_for_receipt` polls the order until a receipt is open (accepted) and raises if it is
ignored or the time runs out. Against a clopos server, nobody answers but you:
`SandboxVenue` is the venue's side over its operator API (`CLOPOS_ADMIN_TOKEN`): accept,
ignore, move the kitchen along, close, and the venue's order mode.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any, Literal, Self

import httpx

from clopos.client._config import missing_configuration, normalise_base_url
from clopos.client._errors import CloposError
from clopos.client._requests import DEFAULT_TIMEOUT, decode, tls
from clopos.schemas.orders import Order
from clopos.schemas.receipts import OrderStatus, Receipt, ReceiptClosed


class OrderIgnoredError(CloposError):
    """Raised while waiting for a receipt when the venue ignores (declines) the order."""


class WaitTimeoutError(CloposError, TimeoutError):
    """Raised when the venue has not answered an order in the time given."""


def receipt_id_of(order: Order) -> int | None:
    """The order's receipt id once the venue accepted it; raises if it was ignored. The one
    rule both clients' waits follow."""
    if order.status == "IGNORE":
        raise OrderIgnoredError(f"order {order.id} was ignored by the venue", error="ignored")
    return order.receipt_id


def timed_out(order_id: int, timeout: float, status: str) -> WaitTimeoutError:
    return WaitTimeoutError(
        f"order {order_id} is still {status} after {timeout:g} s: the venue has not accepted it "
        "(a clopos sandbox answers only when told: SandboxVenue.accept, or an order mode)",
        error="timeout",
    )


OrderMode = Literal["manual", "accept", "ignore", "accept-after"]


class SandboxVenue:
    """The venue's side of a clopos server's brand, over the operator API.

    `base_url` and `admin_token` default to `CLOPOS_BASE_URL` and `CLOPOS_ADMIN_TOKEN` (the
    token the server was started with); `brand` to `CLOPOS_BRAND`. Refusals raise the
    client's errors (`ConflictError` for an order no longer PENDING, ...).
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        admin_token: str | None = None,
        brand: str | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        base_url = base_url or os.environ.get("CLOPOS_BASE_URL")
        admin_token = admin_token or os.environ.get("CLOPOS_ADMIN_TOKEN")
        brand = brand or os.environ.get("CLOPOS_BRAND")
        given = (("base_url", base_url), ("admin_token", admin_token), ("brand", brand))
        missing = [(name, "") for name, value in given if not value]
        if missing:
            raise missing_configuration(missing)
        assert base_url and admin_token and brand
        self._root = f"{normalise_base_url(base_url)}/admin/api/brands/{brand}"
        self._headers = {"authorization": f"Bearer {admin_token}"}
        self._secret = admin_token
        self._owned = http_client is None
        self._http = http_client or httpx.Client(timeout=DEFAULT_TIMEOUT, verify=tls())

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self._http.request(
            method, f"{self._root}{path}", headers=self._headers, json=body
        )
        return decode(response, secrets=(self._secret,))["data"]

    def accept(self, order_id: int) -> Order:
        """Accept a PENDING order: it becomes RECEIVED and its receipt opens."""
        return Order.model_validate(self._send("POST", f"/orders/{order_id}/accept"))

    def ignore(self, order_id: int) -> Order:
        """Decline a PENDING order (IGNORE)."""
        return Order.model_validate(self._send("POST", f"/orders/{order_id}/ignore"))

    def set_status(self, receipt_id: int, status: OrderStatus) -> Receipt:
        """Move an open receipt's kitchen status (`IN_PROGRESS`, `READY`, `PICKED_UP`, ...)."""
        body = {"order_status": status}
        return Receipt.model_validate(self._send("PUT", f"/receipts/{receipt_id}/status", body))

    def close(self, receipt_id: int, payment_method: str | int | None = None) -> ReceiptClosed:
        """Close an open receipt, its whole total paid with one method (id or name; default
        the venue's first)."""
        body = {} if payment_method is None else {"payment_method": str(payment_method)}
        return ReceiptClosed.model_validate(
            self._send("POST", f"/receipts/{receipt_id}/close", body)
        )

    def order_mode(
        self, mode: OrderMode, accept_after_seconds: int | None = None, *, venue_id: int = 1
    ) -> dict[str, Any]:
        """How the venue answers new orders by itself (`accept-after` takes the seconds)."""
        body: dict[str, Any] = {"mode": mode}
        if accept_after_seconds is not None:
            body["accept_after_seconds"] = accept_after_seconds
        answer: dict[str, Any] = self._send("PUT", f"/venues/{venue_id}/order-mode", body)
        return answer

    def close_connections(self) -> None:
        if self._owned:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close_connections()
