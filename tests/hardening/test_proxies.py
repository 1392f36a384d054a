"""X-Forwarded-For is believed only from the proxies the operator names (issue 11, item 8):
otherwise anyone could pick the address rate limits and the audit trail see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support import SANDBOX, LiveServer


def _exchange_ip(live: LiveServer, marker: str, forwarded: str) -> str:
    body = {k: SANDBOX[k] for k in ("client_secret", "brand", "integrator_id")}
    live.http.post(
        "/open-api/v2/auth",
        json={**body, "client_id": marker},
        headers={"x-forwarded-for": forwarded},
    )
    events = live.wait_for_audit(lambda rows: any(r["client_id"] == marker for r in rows))
    return str(next(r["ip"] for r in events if r["client_id"] == marker))


def test_forwarded_for_is_ignored_unless_the_peer_is_a_named_proxy(server: LiveServer) -> None:
    # The test client connects from 127.0.0.1: loopback is not trusted by default.
    assert _exchange_ip(server, "xff-untrusted", "203.0.113.7") == "127.0.0.1"


def test_a_named_proxy_forwards_the_right_most_untrusted_address(
    make_server: Callable[..., Any],
) -> None:
    live = make_server(forwarded_allow_ips="127.0.0.1, 10.0.0.0/8")
    assert _exchange_ip(live, "xff-one", "203.0.113.7") == "203.0.113.7"
    # A client's own forged entry on the left is not believed; trusted hops are skipped.
    assert _exchange_ip(live, "xff-chain", "198.51.100.1, 203.0.113.8, 10.1.2.3") == ("203.0.113.8")
    assert _exchange_ip(live, "xff-garbage", "not-an-address") == "127.0.0.1"


def test_forwarded_for_on_several_lines_is_one_list(make_server: Callable[..., Any]) -> None:
    live = make_server(forwarded_allow_ips="127.0.0.1")
    body = {k: SANDBOX[k] for k in ("client_secret", "brand", "integrator_id")}
    live.http.post(
        "/open-api/v2/auth",
        json={**body, "client_id": "xff-lines"},
        headers=[("x-forwarded-for", "198.51.100.1"), ("x-forwarded-for", "203.0.113.9")],
    )
    events = live.wait_for_audit(lambda rows: any(r["client_id"] == "xff-lines" for r in rows))
    assert {r["ip"] for r in events if r["client_id"] == "xff-lines"} == {"203.0.113.9"}
