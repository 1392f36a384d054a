"""Issue 11, items 10 and 11: claim and body types are strict.

A token signed with the server's own key but carrying claims of the wrong type or an absurd
range (`exp=2**70`, `venue_id=[1]`) is an invalid token (401), never a 500; and a customer
body does not coerce `group_id: true` into group 1 or `date_of_birth: 0` into 1970.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
import pytest

from tests.support import SANDBOX, LiveServer


def _sign(live: LiveServer, **changes: Any) -> str:
    """A v2 token signed by the server's current key, with `changes` to its claims."""
    good = live.v2_headers()["x-token"]
    claims = jwt.decode(good, options={"verify_signature": False})
    for name, value in changes.items():
        if value is _DROP:
            claims.pop(name, None)
        else:
            claims[name] = value
    key = live.state.tokens.keys.signing
    return jwt.encode(claims, key.secret, algorithm="HS256", headers={"kid": key.kid})


_DROP = object()
NOW = int(time.time())

BAD_CLAIMS = [
    {"exp": 2**70},
    {"exp": 2**63},
    {"exp": float(NOW + 600)},
    {"exp": str(NOW + 600)},
    {"exp": True},
    {"iat": 2**70},
    {"iat": "0"},
    {"venue_id": [1]},
    {"venue_id": {"id": 1}},
    {"venue_id": "1"},
    {"venue_id": True},
    {"venue_id": 2**64},
    {"venue_id": 0},
    {"venue_id": -1},
    {"venue_id": 1.0},
    {"ep": "0"},
    {"ep": [0]},
    {"ep": False},
    {"ver": "2"},
    {"ver": True},
    {"sub": 123},
    {"sub": [SANDBOX["client_id"]]},
    {"brand": ["openapitest"]},
    {"sid": {"a": 1}},
    {"stage": 1},
    {"integrator_id": ["1"]},
    {"integrator_id": 1},
    {"venue_id": _DROP},
]


def _claim_id(changes: dict[str, Any]) -> str:
    """A test id that is the same in every process (pytest-xdist compares collections)."""
    ((name, value),) = changes.items()
    if value is _DROP:
        return f"{name}-missing"
    if name == "exp" and isinstance(value, float | str):  # the time of collection is in them
        return f"{name}-{type(value).__name__}"
    return f"{name}-{value!r}"


@pytest.mark.parametrize("changes", BAD_CLAIMS, ids=_claim_id)
def test_claims_of_the_wrong_type_are_an_invalid_token(
    server: LiveServer, changes: dict[str, Any]
) -> None:
    token = _sign(server, **changes)
    response = server.http.get("/open-api/v2/venues", headers={"x-token": token})
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "invalid_token"


def test_a_well_typed_token_signed_the_same_way_works(server: LiveServer) -> None:
    """The control: the forging helper itself makes tokens the server accepts."""
    token = _sign(server)
    response = server.http.get("/open-api/v2/venues", headers={"x-token": token})
    assert response.status_code == 200, response.text


def _create(live: LiveServer, **fields: Any) -> Any:
    body = {"name": "Strict " + uuid.uuid4().hex[:8], **fields}
    return live.http.post("/open-api/v2/customers", headers=live.v2_headers(), json=body)


@pytest.mark.parametrize(
    "fields",
    [
        {"group_id": True},
        {"group_id": False},
        {"group_id": 1.0},
        {"group_id": "1"},
        {"gender": True},
        {"gender": 1.0},
        {"gender": "1"},
        {"date_of_birth": 0},
        {"date_of_birth": 631152000},
        {"date_of_birth": 1.5},
        {"date_of_birth": True},
        {"date_of_birth": "631152000"},
        {"date_of_birth": "1990-01-01T00:00:00"},
        {"name": 12},
        {"name": True},
        {"phone": 994501234567},
        {"code": 7},
        {"email": True},
        {"cid": 5},
    ],
    ids=repr,
)
def test_customer_bodies_are_not_coerced(server: LiveServer, fields: dict[str, Any]) -> None:
    response = _create(server, **fields)
    assert response.status_code == 400, response.text
    assert response.json()["message"] == "Validation failed"


def test_customer_bodies_of_the_documented_types_pass(server: LiveServer) -> None:
    response = _create(server, gender=2, date_of_birth="1990-01-01", phone=None)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["date_of_birth"] == "1990-01-01"
