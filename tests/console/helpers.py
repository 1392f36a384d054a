"""Driving the console over HTTP, as a browser's forms would (no browser)."""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx

from tests.support import SANDBOX, LiveServer, _AppTransport

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
_META = re.compile(r'<meta name="csrf-token" content="([0-9a-f]{64})">')


def operator(
    live: LiveServer, *brands: str, password: str = PASSWORD, name: str | None = None
) -> str:
    """A new operator account made by the CLI (by default a fresh name: servers may be
    shared)."""
    name = name or f"op-{secrets.token_hex(4)}"
    limits = [arg for brand in brands for arg in ("--brand", brand)]
    live.admin("operator", "create", name, "--password", password, *limits)
    return name


def browser_client(live: LiveServer, **headers: str) -> httpx.Client:
    """A client with its own cookie jar, talking to the in-process app (`live.http`'s jar is
    shared by every test of a server)."""
    assert live._portal is not None
    return httpx.Client(
        base_url="http://testserver",
        transport=_AppTransport(live._portal, live.app),
        follow_redirects=False,
        headers={"sec-fetch-site": "same-origin", **headers},
    )


def sign_in(client: httpx.Client, name: str, password: str = PASSWORD) -> httpx.Response:
    page = client.get("/console/login")
    assert page.status_code == 200, page.text
    match = _CSRF.search(page.text)
    assert match is not None
    return client.post(
        "/console/login", data={"csrf": match.group(1), "name": name, "password": password}
    )


def signed_in(live: LiveServer, *brands: str) -> tuple[httpx.Client, str]:
    client = browser_client(live)
    name = operator(live, *brands)
    answer = sign_in(client, name)
    assert answer.status_code == 303, answer.text
    return client, name


def csrf_of(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    match = _META.search(page.text)
    assert match is not None
    return match.group(1)


def push_order(live: LiveServer, **overrides: Any) -> dict[str, Any]:
    """An order through the Open API (v2), as an integrator sends it."""
    body = {
        "sale_type_id": 3,
        "venue_id": int(SANDBOX["venue_id"]),
        "customer": {"name": "Rahid", "phone": "+994705401040"},
        "products": [
            {
                "product_id": 19,
                "product_name": "Cappuccino",
                "count": 2,
                "modifiers": [{"modifier_id": 2, "modifier_name": "Oat milk"}],
            },
            {"product_id": 17, "product_name": "Espresso"},
        ],
        **overrides,
    }
    answer = live.http.post("/open-api/v2/orders", json=body, headers=live.v2_headers())
    assert answer.status_code == 201, answer.text
    order: dict[str, Any] = answer.json()["data"]
    return order


def api_order(live: LiveServer, order_id: int) -> dict[str, Any]:
    answer = live.http.get(
        f"/open-api/v2/orders/{order_id}", params={"with[]": "receipt"}, headers=live.v2_headers()
    )
    assert answer.status_code == 200, answer.text
    order: dict[str, Any] = answer.json()["data"]
    return order
