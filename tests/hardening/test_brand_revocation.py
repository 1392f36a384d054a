"""Issue 11, item 19: disabling a brand revokes its tokens for good, as disabling a client
does; enabling it again lets its clients exchange new tokens, not use the old ones."""

from __future__ import annotations

from typing import Any


def test_brand_disable_then_enable_keeps_old_tokens_revoked(make_server: Any) -> None:
    live = make_server()
    v1, v2 = live.v1_headers(), live.v2_headers()
    assert live.http.get("/open-api/v2/venues", headers=v2).status_code == 200
    live.admin("brand", "disable", "openapitest")
    assert live.http.get("/open-api/v2/venues", headers=v2).status_code == 401
    live.admin("brand", "enable", "openapitest")
    for path, headers in (("/open-api/v2/venues", v2), ("/open-api/venues", v1)):
        response = live.http.get(path, headers=headers)
        assert response.status_code == 401, response.text
        assert response.json()["error"] == "token_revoked"
    fresh = live.v2_headers()
    assert live.http.get("/open-api/v2/venues", headers=fresh).status_code == 200


def test_changing_a_brand_mode_keeps_tokens(make_server: Any) -> None:
    """Only disabling revokes: a mode switch is not a revocation."""
    live = make_server()
    v1 = live.v1_headers()
    live.admin("brand", "set-mode", "openapitest", "test")
    assert live.http.get("/open-api/venues", headers=v1).status_code == 200
