"""Mapping responses and transport failures onto the exception tree."""

from __future__ import annotations

import httpx
import pytest

from clopos.client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CloposError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    UnsuccessfulResponseError,
)
from clopos.client._errors import error_from_response, error_from_transport

REQUEST = httpx.Request("GET", "http://api.test/open-api/v2/venues?page=2")


def respond(status: int, body: object = None, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, json=body, headers={"x-request-id": "rid-1", **headers}, request=REQUEST
    )


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (405, APIStatusError),
        (200, UnsuccessfulResponseError),
    ],
)
def test_each_status_maps_to_its_class_with_every_fact(
    status: int, cls: type[APIStatusError]
) -> None:
    response = respond(status, {"success": False, "error": "some_id", "message": "Some text"})
    exc = error_from_response(response)
    assert type(exc) is cls
    assert (exc.status, exc.error, exc.message, exc.request_id) == (
        status,
        "some_id",
        "Some text",
        "rid-1",
    )
    assert exc.response is response
    assert str(exc) == f"{status} [some_id] Some text (request id rid-1)"


def test_v1_list_shaped_errors_are_read() -> None:
    body = {
        "success": False,
        "error": [
            {
                "message": "No query results for model [App\\Models\\Auth\\User] 1000",
                "type": "server_side",
                "exception": "NotFoundHttpException",
                "code": None,
                "http_code": 404,
            }
        ],
        "message": None,
    }
    exc = error_from_response(respond(404, body))
    assert isinstance(exc, NotFoundError)
    assert exc.error == "NotFoundHttpException"
    assert exc.message.startswith("No query results")
    assert exc.details[0]["http_code"] == 404


def test_documented_details_object_is_kept() -> None:
    body = {"error": "invalid_parameter", "message": "bad limit", "details": {"parameter": "limit"}}
    assert error_from_response(respond(400, body)).details == [{"parameter": "limit"}]


def test_non_json_error_bodies_still_map() -> None:
    response = httpx.Response(502, text="<html>Bad gateway</html>", request=REQUEST)
    exc = error_from_response(response)
    assert isinstance(exc, InternalServerError)
    assert exc.error is None and "Bad gateway" in exc.message


def test_rate_limit_error_carries_the_servers_advice() -> None:
    exc = error_from_response(respond(429, {"error": "rate_limited"}, **{"Retry-After": "12"}))
    assert isinstance(exc, RateLimitError) and exc.retry_after == 12.0


def test_secrets_are_masked_in_error_text() -> None:
    body = {"success": False, "error": "invalid_token", "message": "token abcd1234efgh is revoked"}
    exc = error_from_response(respond(401, body), secrets=["abcd1234efgh"])
    assert "abcd1234efgh" not in str(exc) and "**********" in str(exc)


@pytest.mark.parametrize(
    ("failure", "cls", "transient"),
    [
        (httpx.ConnectError("refused", request=REQUEST), APIConnectionError, True),
        (httpx.RemoteProtocolError("dropped", request=REQUEST), APIConnectionError, True),
        (httpx.ReadTimeout("slow", request=REQUEST), APITimeoutError, True),
        (httpx.ConnectTimeout("slow", request=REQUEST), APITimeoutError, True),
        (httpx.UnsupportedProtocol("ftp?", request=REQUEST), APIConnectionError, False),
    ],
)
def test_transport_failures_map_to_connection_errors(
    failure: httpx.TransportError, cls: type[APIConnectionError], transient: bool
) -> None:
    exc = error_from_transport(failure)
    assert type(exc) is cls and exc.transient is transient
    assert isinstance(exc, CloposError) and exc.status is None
    assert "GET http://api.test/open-api/v2/venues" in str(exc) and "page=2" not in str(exc)
