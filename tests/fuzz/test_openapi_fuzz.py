"""Generated requests for every documented API operation: never a server error, and only
statuses the OpenAPI document declares.

Bounded: a fixed number of derandomized examples per operation, against the suite's own
server on 127.0.0.1.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, status_code_conformance

from tests.support import LiveServer

EXAMPLES = 25


def _operations(server: LiveServer) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    return [op for op in operations if op.path.startswith("/open-api/")]


def test_every_operation_is_fuzzed(server: LiveServer) -> None:
    paths = {op.path for op in _operations(server)}
    assert {"/open-api/v2/auth", "/open-api/venues", "/open-api/v2/products/{product_id}"} <= paths


@pytest.mark.parametrize("version", [1, 2])
def test_no_server_errors_and_only_documented_statuses(server: LiveServer, version: int) -> None:
    headers = server.v1_headers() if version == 1 else server.v2_headers()
    prefix = "/open-api/v2/" if version == 2 else "/open-api/"
    operations = [
        op
        for op in _operations(server)
        if op.path.startswith(prefix) and (version == 2) == op.path.startswith("/open-api/v2/")
    ]
    assert operations
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(
                base_url=server.url,
                headers={**(case.headers or {}), **headers},
                checks=[not_a_server_error, status_code_conformance],
            )

        check()
