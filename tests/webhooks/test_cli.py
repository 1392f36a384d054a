"""`clopos admin webhook ...`: subscriptions, the delivery log and replays from the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.webhooks.conftest import Venue


def test_the_cli_manages_subscriptions_and_shows_the_delivery_log(
    make_venue: Callable[..., Venue],
) -> None:
    venue = make_venue(webhooks=False)  # no sender: deliveries stay as made
    server = venue.server
    added = server.admin(
        "webhook",
        "add",
        "--brand",
        "openapitest",
        "--url",
        "https://example.invalid/h",
        "--events",
        "order.created,receipt.closed",
    )
    subscription_id, secret_line = added.output.strip().splitlines()
    assert subscription_id.startswith("wh_") and secret_line.startswith("secret: whsec_")
    listed = server.admin_json("webhook", "list", "--brand", "openapitest")
    assert [s["id"] for s in listed] == [subscription_id]
    assert listed[0]["events"] == ["order.created", "receipt.closed"]
    assert "secret" not in listed[0]
    assert secret_line not in server.admin("webhook", "list", "--brand", "openapitest").output

    rotated = server.admin_json(
        "webhook", "rotate-secret", "--brand", "openapitest", subscription_id
    )
    assert rotated["secret"] != secret_line.split()[1] and rotated["previous_secret_until"]

    mine = server.admin(
        "webhook",
        "add",
        "--brand",
        "openapitest",
        "--url",
        "https://x.invalid",
        "--events",
        "*",
        "--secret",
        "whsec_" + "Q" * 43,
        "--json",
    )
    assert json.loads(mine.output)["secret"] == "whsec_" + "Q" * 43
    weak = server.admin(
        "webhook",
        "add",
        "--brand",
        "openapitest",
        "--url",
        "https://x.invalid",
        "--events",
        "*",
        "--secret",
        "hunter2",
        check=False,
    )
    assert weak.exit_code == 1 and "whsec_" in weak.output and "hunter2" not in weak.output

    assert (
        server.admin("webhook", "deliveries", "--brand", "openapitest").output.strip() == "(none)"
    )
    replay = server.admin(
        "webhook",
        "replay",
        "--brand",
        "openapitest",
        "--subscription",
        subscription_id,
        "--status",
        "dead",
    )
    assert "0 deliveries" in replay.output
    missing = server.admin("webhook", "remove", "--brand", "openapitest", "wh_nope", check=False)
    assert missing.exit_code == 3
    server.admin("webhook", "remove", "--brand", "openapitest", subscription_id)
    left = server.admin_json("webhook", "list", "--brand", "openapitest")
    assert subscription_id not in [s["id"] for s in left]
