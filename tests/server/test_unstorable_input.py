"""Values no database can store are refused with 400, on every backend, never a 500."""

from __future__ import annotations

from tests.support import LiveServer


def test_nul_characters_in_query_or_path_are_400(server: LiveServer) -> None:
    headers = server.v2_headers()
    for url in (
        "/open-api/v2/customers?filters[0][0]=name&filters[0][1]=a%00b",
        "/open-api/v2/products/1%00",
    ):
        response = server.http.get(url, headers=headers)
        assert response.status_code == 400, url
        assert response.json()["error"] == "invalid_parameter"


def test_nul_characters_and_huge_integers_in_bodies_are_400(server: LiveServer) -> None:
    headers = server.v2_headers()
    for body, field in (
        ({"name": "A\u0000da"}, "name"),
        ({"name": "Ada", "group_id": 2**64}, "group_id"),
    ):
        response = server.http.post("/open-api/v2/customers", json=body, headers=headers)
        assert response.status_code == 400
        assert response.json()["error"].startswith(f"The {field} field")


def test_a_nul_in_credentials_is_refused_and_the_audit_trail_goes_on(server: LiveServer) -> None:
    response = server.auth_v2(client_id="abc\u0000def")
    assert response.status_code == 400
    marker = "after-nul-probe"
    server.auth_v2(client_id=marker)
    events = server.wait_for_audit(lambda rows: any(r["client_id"] == marker for r in rows))
    assert any(r["client_id"] == marker for r in events)
    assert any(r["client_id"] == "abcdef" for r in events)


def test_ids_beyond_32_bits_are_simply_not_found(server: LiveServer) -> None:
    response = server.http.get("/open-api/v2/users/3413355702", headers=server.v2_headers())
    assert response.status_code == 404
