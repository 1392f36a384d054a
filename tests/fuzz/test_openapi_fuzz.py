"""Generated requests, valid and invalid, for every documented operation (v1, v2 and the
operator API): never a server error, only statuses the OpenAPI document declares, and every
answer of the declared content type and valid against the document's schema for its status
(response schemas are closed, so an undeclared key fails too).

Bounded: a fixed number of derandomized examples per operation, against the app in-process
on each backend; each case is generated once and sent to every backend's app, in the same
order, so their data goes the same way.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, note, settings
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


def _operations(document: Any) -> list[Any]:
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


CALLERS = ("v1", "v2", "operator")


def _fuzzed_by(caller: str, operations: list[Any]) -> list[Any]:
    """The operations a caller's run fuzzes: those under its API's prefix."""
    prefix = {"v1": "/open-api/", "v2": "/open-api/v2/", "operator": "/admin/api/"}[caller]
    return [
        op
        for op in operations
        if op.path.startswith(prefix)
        and not (caller == "v1" and op.path.startswith("/open-api/v2/"))
    ]


def _key(operation: Any) -> tuple[str, str]:
    return operation.method.upper(), operation.path


def _document(live: InProcess) -> Any:
    return live.request("GET", "/openapi.json").json()


def test_every_operation_is_fuzzed(fuzzed: dict[str, InProcess]) -> None:
    """The callers' runs together cover every operation the served document declares, each
    once (the runs themselves check that each of their operations produced cases); every
    backend's app serves the same document, which the runs read from the first."""
    documents = [_document(live) for live in fuzzed.values()]
    assert all(document == documents[0] for document in documents)
    operations = _operations(documents[0])
    document = {_key(op) for op in operations}
    planned = [_key(op) for caller in CALLERS for op in _fuzzed_by(caller, operations)]
    assert len(document) > 60  # the whole document, not an empty or partial read of it
    missing = document - set(planned)
    assert not missing, f"not fuzzed: {sorted(missing)}"
    assert len(planned) == len(set(planned)), "an operation is fuzzed by two callers"


def _headers(live: InProcess, caller: str) -> dict[str, str]:
    if caller == "v1":
        return live.v1_headers()
    if caller == "v2":
        return live.v2_headers()
    return {"authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
@pytest.mark.parametrize("caller", CALLERS)
def test_generated_requests_get_documented_answers(
    fuzzed: dict[str, InProcess], caller: str, mode: GenerationMode
) -> None:
    """Positive requests (valid per the document) and negative ones (invalid somewhere),
    each sent to the app on every backend."""
    headers = {name: _headers(live, caller) for name, live in fuzzed.items()}
    operations = _fuzzed_by(caller, _operations(_document(next(iter(fuzzed.values())))))
    assert operations
    # (method, path template) of every case sent: each operation must have had some.
    exercised: set[tuple[str, str]] = set()
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
            exercised.add(_key(case.operation))
            for name, live in fuzzed.items():
                note(f"sent to the app on {name}")  # shown with a failing case
                sent = {**(case.headers or {}), **headers[name]}
                response, kwargs = _send(live, case, sent)
                case.validate_response(
                    response, checks=CHECKS, headers=sent, transport_kwargs=kwargs
                )

        check()
    unsent = {_key(op) for op in operations} - exercised
    assert not unsent, f"no case sent for {sorted(unsent)}"
