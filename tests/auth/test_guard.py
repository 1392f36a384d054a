"""The request guard over HTTP: headers, token checks, brand, venue, stage, scope."""

from __future__ import annotations

import httpx
import pytest

from tests.support import LiveServer


def get(live: LiveServer, path: str, headers: dict[str, str]) -> httpx.Response:
    return live.http.get(path, headers=headers)


@pytest.mark.parametrize("missing", ["x-token", "x-brand", "x-venue"])
def test_v1_requires_its_three_headers(server: LiveServer, missing: str) -> None:
    headers = server.v1_headers()
    del headers[missing]
    response = get(server, "/open-api/venues", headers)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"
    assert response.json()["message"] == f"Missing authentication headers: {missing}"


def test_v2_requires_only_x_token(server: LiveServer) -> None:
    assert get(server, "/open-api/v2/venues", {}).json() == {
        "success": False,
        "error": "unauthorized",
        "message": "Missing authentication headers: x-token",
    }
    assert get(server, "/open-api/v2/venues", server.v2_headers()).status_code == 200


@pytest.mark.parametrize("version", [1, 2])
def test_missing_invalid_and_expired_have_distinct_messages(
    server: LiveServer, version: int
) -> None:
    path = "/open-api/venues" if version == 1 else "/open-api/v2/venues"
    headers = server.v1_headers() if version == 1 else server.v2_headers()
    missing = get(server, path, {k: v for k, v in headers.items() if k != "x-token"}).json()
    invalid = get(server, path, {**headers, "x-token": "abc"}).json()
    with server.clock.shifted(3600 + 1):  # past the token's lifetime, on the server's clock
        expired = get(server, path, headers).json()
    assert (missing["error"], invalid["error"], expired["error"]) == (
        "unauthorized",
        "invalid_token",
        "token_expired",
    )
    assert expired["message"] == "Token expired"
    assert len({missing["message"], invalid["message"], expired["message"]}) == 3
    assert get(server, path, headers).status_code == 200  # the same token, back in its lifetime


@pytest.mark.parametrize("token", ["abc", "oauth_abc", "a.b.c", "", "x" * 5000])
def test_garbage_tokens_are_401(server: LiveServer, token: str) -> None:
    headers = {**server.v1_headers(), "x-token": token}
    response = get(server, "/open-api/venues", headers)
    assert response.status_code == 401
    assert response.json()["error"] in {"invalid_token", "unauthorized"}


def test_a_token_works_only_with_its_own_version(server: LiveServer) -> None:
    v1 = server.v1_headers()
    v2 = server.v2_headers()
    assert get(server, "/open-api/v2/venues", {"x-token": v1["x-token"]}).status_code == 401
    swapped = {**v1, "x-token": v2["x-token"]}
    assert get(server, "/open-api/venues", swapped).json()["error"] == "invalid_token"


def test_v1_token_for_another_brand_is_403(server: LiveServer) -> None:
    headers = {**server.v1_headers(), "x-brand": "someoneelse"}
    response = get(server, "/open-api/venues", headers)
    assert response.status_code == 403
    assert response.json()["error"] == "brand_forbidden"


def test_v1_token_for_another_venue_is_403(server: LiveServer) -> None:
    response = get(server, "/open-api/venues", {**server.v1_headers(), "x-venue": "2"})
    assert response.status_code == 403
    assert response.json()["error"] == "venue_forbidden"


@pytest.mark.parametrize("venue", ["main", "0", "-1", "1.5"])
def test_non_numeric_x_venue_is_400(server: LiveServer, venue: str) -> None:
    response = get(server, "/open-api/v2/venues", {**server.v2_headers(), "x-venue": venue})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_parameter"


def test_x_stage_must_match_the_brand_stage(server: LiveServer) -> None:
    headers = server.v1_headers()
    assert get(server, "/open-api/venues", {**headers, "x-stage": "test"}).status_code == 200
    response = get(server, "/open-api/venues", {**headers, "x-stage": "production"})
    assert response.status_code == 403
    assert response.json()["error"] == "stage_mismatch"


def test_v2_x_venue_selects_another_granted_venue(make_server) -> None:
    live = make_server()
    live.admin("venue", "create", "Harbour", "--brand", "openapitest")
    headers = live.v2_headers()
    refused = get(live, "/open-api/v2/venues", {**headers, "x-venue": "2"})
    assert refused.status_code == 403
    assert refused.json()["error"] == "venue_forbidden"
    live.admin("client", "grant", "6553676e0d265ac837e8f79fc", "--venue", "2")
    assert get(live, "/open-api/v2/venues", {**headers, "x-venue": "2"}).status_code == 200
    live.admin("client", "grant", "6553676e0d265ac837e8f79fc", "--remove-venue", "2")
    assert get(live, "/open-api/v2/venues", {**headers, "x-venue": "2"}).status_code == 403


def test_a_client_without_the_scope_is_403(make_server) -> None:
    live = make_server()
    made = live.admin_json(
        "client", "create", "--brand", "openapitest", "--scope", "catalogue:read"
    )
    creds = {"client_id": made["client_id"], "client_secret": made["client_secret"]}
    response = get(live, "/open-api/v2/venues", live.v2_headers(**creds))
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    live.admin("client", "grant", made["client_id"], "--scope", "venues:read")
    assert get(live, "/open-api/v2/venues", live.v2_headers(**creds)).status_code == 200


def test_unknown_api_paths_need_a_token_then_answer_404(server: LiveServer) -> None:
    assert get(server, "/open-api/v2/nothing-here", {}).status_code == 401
    response = get(server, "/open-api/v2/nothing-here", server.v2_headers())
    assert response.status_code == 404
    assert response.json()["success"] is False


def test_every_response_carries_a_request_id(server: LiveServer) -> None:
    assert len(get(server, "/open-api/v2/venues", {}).headers["x-request-id"]) >= 16
    echoed = get(server, "/open-api/v2/venues", {"x-request-id": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"


def test_the_api_documents_itself(server: LiveServer) -> None:
    document = server.http.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    for path in ("/open-api/auth", "/open-api/v2/auth", "/open-api/venues", "/open-api/v2/venues"):
        assert path in document["paths"]
    page = server.http.get("/docs")
    assert page.status_code == 200
    assert "swagger" in page.text.lower()
