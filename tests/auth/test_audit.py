"""The audit trail, read through the CLI, and what must never be stored or shown."""

from __future__ import annotations

import pytest

from tests.support import SANDBOX, LiveServer


def test_exchanges_and_rejections_are_audited_without_secrets(make_server) -> None:
    live: LiveServer = make_server()
    token = live.v2_headers()["x-token"]
    live.auth_v1(client_secret="wrong")
    live.http.get("/open-api/v2/venues", headers={"x-token": token + "x"})
    live.http.get("/open-api/venues", headers={**live.v1_headers(), "x-venue": "9"})

    events = live.wait_for_audit(lambda rows: len(rows) >= 5)
    outcomes = [(e["event"], e["outcome"], e["status"], e["reason"]) for e in events]
    assert ("token_exchange", "issued", 200, None) in outcomes
    assert ("token_exchange", "rejected", 400, "authentication_failed") in outcomes
    assert ("request", "rejected", 401, "invalid_token") in outcomes
    assert ("request", "rejected", 403, "venue_forbidden") in outcomes
    for event in events:
        assert event["ip"] == "127.0.0.1"
        assert event["at"]
    forbidden = next(e for e in events if e["reason"] == "venue_forbidden")
    assert forbidden["client_id"] == SANDBOX["client_id"]
    assert forbidden["path"] == "/open-api/venues"

    printed = live.admin("audit").output + live.admin("audit", "--json").output
    assert SANDBOX["client_secret"] not in printed
    assert token not in printed
    only_issued = live.admin_json("audit", "--outcome", "issued")
    assert {e["outcome"] for e in only_issued} == {"issued"}


def test_scope_refusals_by_routes_are_audited_too(make_server) -> None:
    live: LiveServer = make_server()
    made = live.admin_json("client", "create", "--brand", "openapitest", "--scope", "users:read")
    headers = live.v2_headers(client_id=made["client_id"], client_secret=made["client_secret"])
    assert live.http.get("/open-api/v2/venues", headers=headers).status_code == 403
    events = live.wait_for_audit(
        lambda rows: any(r["reason"] == "insufficient_scope" for r in rows),
        "--client",
        made["client_id"],
    )
    assert any(r["reason"] == "insufficient_scope" for r in events)


def test_client_secrets_are_stored_only_as_keyed_hashes(make_server) -> None:
    live: LiveServer = make_server()
    if "CLOPOS_DATABASE_URL" in live.env:
        pytest.skip("reads the embedded database's files")
    made = live.admin_json("client", "create", "--brand", "openapitest")
    rotated = live.admin_json("client", "rotate-secret", "start", made["client_id"])
    database = b"".join(p.read_bytes() for p in live.data_dir.glob("clopos.db*"))
    for secret in (made["client_secret"], rotated["new_client_secret"], SANDBOX["client_secret"]):
        assert secret.encode() not in database
    listed = live.admin("client", "list", "--json").output
    assert made["client_secret"] not in listed


def test_audit_prune_keeps_the_retention_and_deletes_the_rest(make_server) -> None:
    live: LiveServer = make_server()
    live.auth_v2()
    live.auth_v2(client_secret="wrong")
    events = live.wait_for_audit(lambda rows: len(rows) >= 2)
    assert len(events) >= 2
    kept = live.admin_json("audit-prune", "--days", "1")
    assert kept == {"kept_days": 1, "deleted": 0}
    assert len(live.admin_json("audit")) == len(events)
    pruned = live.admin_json("audit-prune", "--days", "0")
    assert pruned["deleted"] == len(events)
    assert live.admin_json("audit") == []
