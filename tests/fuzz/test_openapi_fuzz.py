"""Generated requests, valid and invalid, for every documented operation (v1, v2 and the
operator API): never a server error, only statuses the OpenAPI document declares, and every
answer of the declared content type and valid against the document's schema for its status
(response schemas are closed, so an undeclared key fails too).

Bounded: a fixed number of derandomized examples per operation, against the app in-process.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conformance.harness import ADMIN_TOKEN, InProcess

# Examples per operation and caller: a bounded count in CI; `./dev fuzz [N]` runs a longer one.
EXAMPLES = int(os.environ.get("CLOPOS_FUZZ_EXAMPLES", "10"))
BASE_URL = "http://conformance.test"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _operations(live: InProcess) -> list[Any]:
    document = live.request("GET", "/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    results: list[Any] = list(schema.get_all_operations())
    return [result.ok() for result in results]


def _send(live: InProcess, case: Any, headers: dict[str, str]) -> tuple[httpx.Response, Any]:
    """The case as a request to the app in-process (schemathesis prepares it as for
    `requests`; the same arguments, renamed, suit httpx)."""
    sent = case.as_transport_kwargs(base_url=BASE_URL, headers=headers)
    body: dict[str, Any] = {}
    if "json" in sent:
        body["json"] = sent["json"]
    elif sent.get("data") is not None:
        data = sent["data"]
        body["content"] = data if isinstance(data, bytes | str) else str(httpx.QueryParams(data))
    response = live.request(
        sent["method"],
        sent["url"],
        params=sent.get("params"),
        headers=sent.get("headers"),
        cookies=sent.get("cookies") or None,
        **body,
    )
    return response, sent


def test_every_operation_is_fuzzed(fuzzed: InProcess) -> None:
    paths = {op.path for op in _operations(fuzzed)}
    assert {
        "/open-api/v2/auth",
        "/open-api/venues",
        "/open-api/v2/products/{product_id}",
        "/admin/api/brands/{brand}/stop-list/{product_id}",
    } <= paths


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
@pytest.mark.parametrize("caller", ["v1", "v2", "operator"])
def test_generated_requests_get_documented_answers(
    fuzzed: InProcess, caller: str, mode: GenerationMode
) -> None:
    """Positive requests (valid per the document) and negative ones (invalid somewhere)."""
    if caller == "v1":
        headers = fuzzed.v1_headers()
    elif caller == "v2":
        headers = fuzzed.v2_headers()
    else:
        headers = {"authorization": f"Bearer {ADMIN_TOKEN}"}
    prefix = {"v1": "/open-api/", "v2": "/open-api/v2/", "operator": "/admin/api/"}[caller]
    operations = [
        op
        for op in _operations(fuzzed)
        if op.path.startswith(prefix)
        and not (caller == "v1" and op.path.startswith("/open-api/v2/"))
    ]
    assert operations
    for operation in operations:

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            sent = {**(case.headers or {}), **headers}
            response, kwargs = _send(fuzzed, case, sent)
            case.validate_response(response, checks=CHECKS, headers=sent, transport_kwargs=kwargs)

        check()
