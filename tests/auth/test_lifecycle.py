"""Expiry, revocation, secret rotation and key rotation over HTTP."""

from __future__ import annotations

import base64
import json
import time
from datetime import datetime

import httpx

from tests.support import SANDBOX, LiveServer

CLIENT = SANDBOX["client_id"]


def venues_v1(live: LiveServer, headers: dict[str, str]) -> httpx.Response:
    return live.http.get("/open-api/venues", headers=headers)


def venues_v2(live: LiveServer, headers: dict[str, str]) -> httpx.Response:
    return live.http.get("/open-api/v2/venues", headers=headers)


def test_tokens_expire_after_their_lifetime(make_server) -> None:
    # Whole-second claims: a 2 s token lives between 1 and 2 s.
    live = make_server(token_ttl=2)
    live.clock.freeze()  # the server's token clock, on a whole second: moved by the test
    v1, v2 = live.v1_headers(), live.v2_headers()
    assert venues_v1(live, v1).status_code == 200
    expires_at = live.auth_v2().json()["expires_at"]
    assert live.auth_v2().json()["expires_in"] == 2
    live.clock.advance(1.9)
    assert venues_v1(live, v1).status_code == 200  # not yet: still within its lifetime
    assert venues_v2(live, v2).status_code == 200
    live.clock.advance(1.2)
    for response in (venues_v1(live, v1), venues_v2(live, v2)):
        assert response.status_code == 401
        body = response.json()
        assert body["error"] == "token_expired"
        assert body["message"] == "Token expired"
        stamp = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
        assert abs(stamp.timestamp() - expires_at) <= 2
    assert venues_v2(live, live.v2_headers()).status_code == 200


def test_disabling_a_client_stops_its_tokens_on_the_next_request(make_server) -> None:
    live = make_server()
    v1, v2 = live.v1_headers(), live.v2_headers()
    live.admin("client", "disable", CLIENT)
    for response in (venues_v1(live, v1), venues_v2(live, v2)):
        assert response.status_code == 401
        assert response.json()["error"] == "token_revoked"
    refused = live.auth_v1()
    assert refused.status_code == 400
    assert refused.json() == {
        "success": False,
        "error": "client_disabled",
        "message": "Client is disabled",
    }
    live.admin("client", "enable", CLIENT)
    assert venues_v2(live, v2).status_code == 401  # enabling does not resurrect old tokens
    assert venues_v2(live, live.v2_headers()).status_code == 200


def test_disabling_a_brand_stops_its_tokens_and_exchanges(make_server) -> None:
    live = make_server()
    headers = live.v2_headers()
    live.admin("brand", "disable", "openapitest")
    assert venues_v2(live, headers).status_code == 401
    assert live.auth_v2().json()["error"] == "brand_disabled"
    live.admin("brand", "enable", "openapitest")
    assert venues_v2(live, headers).status_code == 401  # enabling does not resurrect old tokens
    assert venues_v2(live, live.v2_headers()).status_code == 200


def test_revoke_ends_existing_tokens_only(make_server) -> None:
    live = make_server()
    old = live.v2_headers()
    live.admin("client", "revoke", CLIENT)
    assert venues_v2(live, old).json()["error"] == "token_revoked"
    assert venues_v2(live, live.v2_headers()).status_code == 200


def test_secret_rotation_overlaps_then_completes(make_server) -> None:
    live = make_server()
    old_token = live.v2_headers()
    started = live.admin_json("client", "rotate-secret", "start", CLIENT)
    new_secret = started["new_client_secret"]
    assert new_secret != SANDBOX["client_secret"]
    # Overlap: both secrets authenticate, and tokens of both work.
    new_token = live.v2_headers(client_secret=new_secret)
    assert live.auth_v1().json()["success"] is True
    assert venues_v2(live, old_token).status_code == 200
    assert venues_v2(live, new_token).status_code == 200
    # A second start during the overlap is refused, with the conflict exit code.
    assert live.admin("client", "rotate-secret", "start", CLIENT, check=False).exit_code == 4

    live.admin("client", "rotate-secret", "complete", CLIENT)
    assert live.auth_v2().json()["error"] == "authentication_failed"
    assert venues_v2(live, old_token).json()["error"] == "token_revoked"
    assert venues_v2(live, new_token).status_code == 200
    assert live.auth_v2(client_secret=new_secret).json()["success"] is True


def test_cancelled_rotation_keeps_the_old_secret(make_server) -> None:
    live = make_server()
    new_secret = live.admin_json("client", "rotate-secret", "start", CLIENT)["new_client_secret"]
    new_token = live.v2_headers(client_secret=new_secret)
    live.admin("client", "rotate-secret", "cancel", CLIENT)
    assert live.auth_v2(client_secret=new_secret).status_code == 400
    assert venues_v2(live, new_token).status_code == 401
    assert live.auth_v2().json()["success"] is True
    assert live.admin("client", "rotate-secret", "complete", CLIENT, check=False).exit_code == 4


def _kid(token: str) -> str:
    header = token.removeprefix("oauth_").split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"])


def test_key_rotation_keeps_unexpired_tokens_valid(make_server) -> None:
    live = make_server()
    before_v1, before_v2 = live.v1_headers(), live.v2_headers()
    rotated = live.admin_json("keys", "rotate")
    after = live.v2_headers()
    assert _kid(after["x-token"]) == rotated["signing_kid"] != _kid(before_v2["x-token"])
    assert venues_v1(live, before_v1).status_code == 200
    assert venues_v2(live, before_v2).status_code == 200
    assert venues_v2(live, after).status_code == 200
    keys = live.admin_json("keys", "list")
    assert [k["signing"] for k in keys] == [False, True]
    assert all("secret" not in k for k in keys)


def test_retired_keys_are_purged_once_their_tokens_cannot_live(make_server) -> None:
    live = make_server(token_ttl=1)
    first = live.admin_json("keys", "list")[0]["kid"]
    live.admin("keys", "rotate")
    time.sleep(1.2)
    purged = live.admin_json("keys", "rotate")["purged"]
    assert purged == [first]
    assert len(live.admin_json("keys", "list")) == 2
