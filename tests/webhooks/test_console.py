"""The console's Webhooks page: subscribe (the secret shown once), the delivery log with
its status, attempts, latency and answer, and a replay."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher

from clopos.core.operators import service as operators
from clopos.webhooks import HEADER, verify
from tests.console.helpers import csrf_of, signed_in
from tests.webhooks.conftest import Venue
from tests.webhooks.receiver import receiving

PAGE = "/console/b/openapitest/webhooks"


def _delivered(venue: Venue) -> list[dict[str, Any]]:
    """The delivery log once its newest delivery is noted as delivered."""
    deadline = time.monotonic() + 15
    while True:
        rows = venue.deliveries()
        if rows and rows[0]["status"] == "delivered":
            return rows
        assert time.monotonic() < deadline, rows
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        operators, "_hasher", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    )
    operators._decoy.cache_clear()


def test_the_console_subscribes_shows_the_log_and_replays(
    make_venue: Callable[..., Venue],
) -> None:
    venue = make_venue()
    client, _name = signed_in(venue.server)
    with receiving() as receiver:
        csrf = csrf_of(client, PAGE)
        answer = client.post(
            PAGE,
            data={"csrf": csrf, "url": receiver.url, "event": ["order.created", "menu.changed"]},
        )
        assert answer.status_code == 200, answer.text
        secret = re.search(r'id="webhook-secret">(whsec_[A-Za-z0-9_-]{43})<', answer.text)
        assert secret is not None
        page = client.get(PAGE)
        assert receiver.url in page.text and secret.group(1) not in page.text
        assert 'href="/console/b/openapitest/webhooks" aria-current="page"' in page.text

        venue.order()
        received = receiver.wait_type("order.created")[0]
        verify(received.body, received.headers[HEADER.lower()], secret.group(1))
        rows = _delivered(venue)
        page = client.get(PAGE, params={"status": "delivered"})
        assert f'id="delivery-{rows[0]["id"]}"' in page.text
        assert received.event["id"] in page.text

        replay = client.post(
            f"{PAGE}/deliveries/{rows[0]['id']}/replay", data={"csrf": csrf_of(client, PAGE)}
        )
        assert replay.status_code == 303
        again = receiver.wait_type("order.created", 2)
    assert again[0].body == again[1].body
