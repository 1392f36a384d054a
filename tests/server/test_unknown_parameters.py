"""Query parameters a route does not read: answered as the service would and named in a
header, or refused with a 400 when the server is set to (issue 8)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.support import LiveServer

HEADER = "x-clopos-ignored-parameters"
V1 = "/open-api"
V2 = "/open-api/v2"


def _headers(live: LiveServer, version: int) -> dict[str, str]:
    return live.v1_headers() if version == 1 else live.v2_headers()


@pytest.mark.parametrize("version", [1, 2])
def test_an_ignored_parameter_is_named_and_the_answer_is_unchanged(
    server: LiveServer, version: int
) -> None:
    base, headers = (V1 if version == 1 else V2), _headers(server, version)
    plain = server.http.get(f"{base}/customers", headers=headers, params={"limit": 2})
    # A filter sent under a wrong key: answered as if it were absent, as the service does.
    typo = server.http.get(
        f"{base}/customers", headers=headers, params={"limit": 2, "filter[0][0]": "name"}
    )
    assert typo.status_code == 200 and plain.status_code == 200
    assert typo.json()["data"] == plain.json()["data"]
    assert typo.headers[HEADER] == "filter[0][0]"
    assert HEADER not in plain.headers


def test_every_parameter_a_list_reads_is_known(server: LiveServer) -> None:
    answer = server.http.get(
        f"{V2}/receipts",
        headers=server.v2_headers(),
        params=[
            ("page", "1"),
            ("limit", "5"),
            ("with[]", "receipt_products"),
            ("sort[0]", "id"),
            ("sort[1]", "1"),
            ("filters[0][0]", "status"),
            ("filters[0][1]", "1"),
            ("filters[1][0]", "id"),
            ("filters[1][1][0]", "1"),
            ("filters[1][1][1]", "2"),
            ("date[0]", "2026-01-01"),
            ("date[1]", "2026-12-31"),
        ],
    )
    assert answer.status_code == 200, answer.text
    assert HEADER not in answer.headers


def test_single_records_writes_and_cached_answers_name_them_too(
    make_server: Callable[..., LiveServer],
) -> None:
    live = make_server()
    headers = live.v2_headers()
    # A list's parameters mean nothing to a single record.
    one = live.http.get(f"{V2}/customers/1", headers=headers, params={"page": 2, "with[]": "group"})
    assert one.status_code == 200 and one.headers[HEADER] == "page"
    # The second answer comes from the response cache and still says so.
    for _ in range(2):
        listed = live.http.get(f"{V2}/products", headers=headers, params={"category": "3"})
        assert listed.headers[HEADER] == "category"
    made = live.http.post(
        f"{V2}/customers", headers=headers, params={"notify": "1"}, json={"name": "Ada"}
    )
    assert made.status_code == 200 and made.headers[HEADER] == "notify"


def test_the_header_cannot_carry_a_line_break(server: LiveServer) -> None:
    raw = httpx.URL(
        f"{server.url}{V2}/venues", query=b"a%0D%0ASet-Cookie:%20x=1=2&%C3%A7ay=1&b=2&b=3"
    )
    answer = server.http.get(raw, headers=server.v2_headers())
    assert answer.status_code == 200
    assert answer.headers[HEADER] == "a%0D%0ASet-Cookie:%20x, %C3%A7ay, b"
    assert "set-cookie" not in answer.headers


def test_a_flood_of_keys_is_named_in_part(server: LiveServer) -> None:
    params = {f"k{i}": "1" for i in range(50)}
    answer = server.http.get(f"{V2}/venues", headers=server.v2_headers(), params=params)
    named = answer.headers[HEADER]
    assert named.startswith("k0, k1, ") and named.endswith("k19 (and 30 more)")


def test_reject_refuses_before_anything_runs(make_server: Callable[..., LiveServer]) -> None:
    live = make_server(unknown_query_parameters="reject")
    headers = live.v2_headers()
    before = live.http.get(f"{V2}/customers", headers=headers).json()["total"]
    refused = live.http.post(
        f"{V2}/customers", headers=headers, params={"notify": "1"}, json={"name": "Ada"}
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "success": False,
        "error": "unknown_parameter",
        "message": "Unknown query parameters: notify",
    }
    assert live.http.get(f"{V2}/customers", headers=headers).json()["total"] == before
    v1 = live.http.get(f"{V1}/products", headers=live.v1_headers(), params={"lang": "az"})
    assert v1.status_code == 400 and v1.json()["message"] == "Unknown query parameters: lang"
    known = live.http.get(f"{V2}/products", headers=headers, params={"limit": 1, "with[]": "unit"})
    assert known.status_code == 200, known.text


def test_reject_test_refuses_for_test_brands_only(make_server: Callable[..., LiveServer]) -> None:
    live = make_server(unknown_query_parameters="reject-test")
    sandbox = live.http.get(f"{V2}/venues", headers=live.v2_headers(), params={"x": "1"})
    assert sandbox.status_code == 400 and sandbox.json()["error"] == "unknown_parameter"

    live.admin("brand", "create", "prodbrand", "--mode", "production")
    live.admin("venue", "create", "--brand", "prodbrand", "Main")
    made = live.admin_json("client", "create", "--brand", "prodbrand", "--venue", "1")
    exchanged = live.http.post(
        f"{V1}/auth",
        json={
            "client_id": made["client_id"],
            "client_secret": made["client_secret"],
            "brand": "prodbrand",
            "venue_id": "1",
        },
    )
    assert exchanged.status_code == 200, exchanged.text
    token = exchanged.json()["token"]
    production = live.http.get(
        f"{V1}/venues",
        headers={"x-token": token, "x-brand": "prodbrand", "x-venue": "1"},
        params={"x": "1"},
    )
    assert production.status_code == 200 and production.headers[HEADER] == "x"
