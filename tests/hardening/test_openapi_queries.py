"""The OpenAPI document declares the query parameters every list and record route parses, in
the documented bracket syntax and with the parser's bounds, so /docs, generated clients and
fuzzing from the document can send them (issue 11, item 17)."""

from __future__ import annotations

from typing import Any

from tests.support import LiveServer


def _queries(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


def _lists(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        path: operations["get"]
        for path, operations in document["paths"].items()
        if path.startswith("/open-api")
        and "get" in operations
        and "Envelope_" in str(operations["get"]["responses"]["200"])
        and "{" not in path
        and not path.endswith("/venues")  # the brand's venues: no query
    }


def test_every_list_declares_its_query_in_bracket_syntax(server: LiveServer) -> None:
    document = server.http.get("/openapi.json").json()
    lists = _lists(document)
    assert len(lists) >= 20
    for path, operation in lists.items():
        declared = _queries(operation)
        assert {"page", "limit"} <= set(declared), path
        assert declared["page"]["schema"]["minimum"] == 1
        assert any(name.startswith("filters[0]") for name in declared), path
        assert any(name.startswith("sort[0]") for name in declared), path
    products = _queries(lists["/open-api/v2/products"])
    assert products["with[]"]["schema"]["type"] == "array"
    assert products["with[]"]["explode"] is True
    assert "selects" in products and "date[0]" in products
    assert "filters" in _queries(lists["/open-api/products"])  # v1's JSON form
    record = document["paths"]["/open-api/v2/customers/{customer_id}"]["get"]
    assert "with[]" in _queries(record)
    category = document["paths"]["/open-api/v2/categories/{category_id}"]["get"]
    assert _queries(category)["include_children"]["schema"]["enum"] == ["1", "0"]
    operator_orders = document["paths"].get("/admin/api/brands/{brand}/orders", {}).get("get")
    if operator_orders is not None:  # the operator reads its queue by status only
        assert set(_queries(operator_orders)) == {"status"}


def test_the_declared_limit_bounds_are_the_parsers(server: LiveServer) -> None:
    document = server.http.get("/openapi.json").json()
    v1, v2 = server.v1_headers(), server.v2_headers()
    for path, operation in _lists(document).items():
        headers = v2 if path.startswith("/open-api/v2/") else v1
        bounds = _queries(operation)["limit"]["schema"]
        top = bounds["maximum"]
        assert server.http.get(path, params={"limit": top}, headers=headers).status_code == 200
        over = server.http.get(path, params={"limit": top + 1}, headers=headers)
        assert over.status_code == 400, (path, top)
        assert over.json()["details"]["valid_range"] == f"{bounds['minimum']}-{top}"


def test_each_declared_parameter_reaches_the_parser(server: LiveServer) -> None:
    """Every declared parameter, sent as the document describes it, is understood: a 200, or
    a 400 naming what is wrong, never a 5xx."""
    document = server.http.get("/openapi.json").json()
    v1, v2 = server.v1_headers(), server.v2_headers()
    for path, operation in _lists(document).items():
        headers = v2 if path.startswith("/open-api/v2/") else v1
        for name, parameter in _queries(operation).items():
            schema = parameter["schema"]
            if schema.get("type") == "array":
                values = [(name, value) for value in schema["items"]["enum"][:2]]
            elif "enum" in schema:
                values = [(name, schema["enum"][0])]
            elif schema.get("type") == "integer":
                values = [(name, str(schema["minimum"]))]
            elif schema.get("format") == "date":
                values = [(name, "2026-01-01")]
            else:
                values = [(name, "1")]
            if name == "filters[0][0]":
                values.append(("filters[0][1]", "1"))
            response = server.http.get(path, params=values, headers=headers)
            assert response.status_code in (200, 400), (path, values, response.text)
            if name in ("page", "limit", "with[]", "sort[0]", "sort[0][0]", "date[0]"):
                assert response.status_code == 200, (path, values, response.text)
