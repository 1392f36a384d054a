"""POST /open-api/auth and /open-api/v2/auth over HTTP: every success and error branch."""

from __future__ import annotations

import base64
import json

import pytest

from tests.support import SANDBOX, LiveServer


def _claims(jwt: str) -> dict[str, object]:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_v1_exchange_answers_the_documented_body(server: LiveServer) -> None:
    response = server.auth_v1()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"success", "token", "token_type", "expires_in", "message"}
    assert body["success"] is True
    assert body["token"].startswith("oauth_")
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["message"] == "Authentication successful"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("venue_id", ["1", 1])
def test_v1_accepts_venue_id_as_string_or_number(server: LiveServer, venue_id: object) -> None:
    assert server.auth_v1(venue_id=venue_id).json()["success"] is True


def test_v2_exchange_answers_a_jwt_with_the_documented_claims(server: LiveServer) -> None:
    response = server.auth_v2()
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"success", "token", "token_type", "expires_in", "expires_at", "message"}
    claims = _claims(body["token"])
    assert claims["brand"] == "openapitest"
    assert claims["venue_id"] == 1
    assert claims["integrator_id"] == "1"
    assert claims["stage"] == "test"
    assert str(claims["token"]).startswith("oauth_")
    assert claims["exp"] == body["expires_at"] == claims["iat"] + body["expires_in"]


def test_v2_accepts_a_numeric_integrator_id(server: LiveServer) -> None:
    assert server.auth_v2(integrator_id=1).json()["success"] is True


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"client_secret": "wrong"}, "authentication_failed"),
        ({"client_id": "nobody"}, "authentication_failed"),
        ({"brand": "otherbrand"}, "authentication_failed"),
        ({"venue_id": "7"}, "venue_not_granted"),
        ({"venue_id": "main"}, "invalid_parameter"),
    ],
)
def test_v1_invalid_credentials_answer_400(
    server: LiveServer, overrides: dict[str, str], error: str
) -> None:
    response = server.auth_v1(**overrides)
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert response.json()["error"] == error
    assert SANDBOX["client_secret"] not in response.text


def test_invalid_credentials_say_nothing_about_which_part_was_wrong(server: LiveServer) -> None:
    answers = {
        server.auth_v1(client_secret="wrong").text,
        server.auth_v1(client_id="nobody").text,
        server.auth_v1(brand="elsewhere").text,
    }
    assert answers == {
        '{"success":false,"error":"authentication_failed","message":"Invalid credentials"}'
    }


@pytest.mark.parametrize("path", ["/open-api/auth", "/open-api/v2/auth"])
@pytest.mark.parametrize(
    "content", [b"", b"not json", b"[1, 2]", b'"text"', b"{", b"\xff\xfe", b"null"]
)
def test_malformed_bodies_are_400_not_500(server: LiveServer, path: str, content: bytes) -> None:
    response = server.http.post(path, content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/open-api/auth",
            {"client_id": "x"},
            "Missing client_id, client_secret, brand, or venue_id",
        ),
        (
            "/open-api/v2/auth",
            {"client_id": "x", "client_secret": "y", "brand": "z"},
            "Missing client_id, client_secret, brand, or integrator_id",
        ),
    ],
)
def test_missing_fields_are_named(
    server: LiveServer, path: str, body: object, message: str
) -> None:
    response = server.http.post(path, json=body)
    assert response.status_code == 400
    assert response.json() == {"success": False, "error": "missing_fields", "message": message}


@pytest.mark.parametrize("bad", [{"brand": 5}, {"client_id": ["a"]}, {"client_secret": {"a": 1}}])
def test_wrongly_typed_fields_are_400(server: LiveServer, bad: dict[str, object]) -> None:
    response = server.auth_v2(**bad)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_parameter"


def test_v2_unknown_integrator_is_400(server: LiveServer) -> None:
    response = server.auth_v2(integrator_id="no-such-integrator")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_integrator"
    assert response.json()["message"] == "Invalid integrator_id"


def test_v2_rate_limit_headers_are_ietf(server: LiveServer) -> None:
    headers = server.auth_v2().headers
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} <= set(headers)
    assert int(headers["ratelimit-reset"]) <= 60


def test_v1_rate_limit_headers_use_epoch_reset(server: LiveServer) -> None:
    headers = server.auth_v1().headers
    assert int(headers["x-ratelimit-reset"]) > 1_700_000_000
