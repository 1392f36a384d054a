"""Integrators: test versus production brands, disabling."""

from __future__ import annotations

from tests.support import LiveServer


def _production_brand(live: LiveServer) -> dict[str, str]:
    live.admin("brand", "create", "prodbrand", "--mode", "production")
    made = live.admin_json("client", "create", "--brand", "prodbrand")
    return {
        "client_id": made["client_id"],
        "client_secret": made["client_secret"],
        "brand": "prodbrand",
    }


def test_test_integrator_on_production_brand_is_refused_with_200(make_server) -> None:
    live = make_server()
    creds = _production_brand(live)
    response = live.auth_v2(**creds, integrator_id="1")
    assert response.status_code == 200
    assert response.json() == {
        "success": False,
        "error": "integrator_mode_mismatch",
        "message": "Integrator is in test mode. But brand is not in test mode",
    }


def test_production_integrator_on_production_brand_gets_a_token(make_server) -> None:
    live = make_server()
    creds = _production_brand(live)
    integrator = live.admin_json("integrator", "create", "Delivery Co", "--production")
    assert live.auth_v2(**creds, integrator_id=integrator["id"]).json()["success"] is True


def test_token_of_test_integrator_fails_once_brand_goes_production(make_server) -> None:
    live = make_server()
    headers = live.v2_headers()
    assert live.http.get("/open-api/v2/venues", headers=headers).status_code == 200
    live.admin("brand", "set-mode", "openapitest", "production")
    response = live.http.get("/open-api/v2/venues", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "integrator_mode_mismatch"


def test_disabled_integrator_is_refused_at_auth_and_on_requests(make_server) -> None:
    live = make_server()
    headers = live.v2_headers()
    live.admin("integrator", "disable", "1")
    refused = live.auth_v2()
    assert refused.status_code == 400
    assert refused.json()["error"] == "integrator_disabled"
    response = live.http.get("/open-api/v2/venues", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "integrator_disabled"
    live.admin("integrator", "enable", "1")
    assert live.http.get("/open-api/v2/venues", headers=headers).status_code == 200
