"""How pagers decide there is another page, for each envelope the API sends."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from clopos.client import Client, ConfigurationError, ResponseValidationError
from clopos.client._pagination import Page, parse_page
from clopos.schemas.venues import Venue
from tests.client.fakes import CONFIG, FakeAPI, answer


def venues(n: int, start: int = 1) -> list[dict[str, Any]]:
    # Shaped to fit both Venue and User, so any list endpoint can answer them.
    return [{"id": i, "name": f"v{i}", "username": f"u{i}"} for i in range(start, start + n)]


@pytest.mark.parametrize(
    ("page", "has_next"),
    [
        (Page([1, 2], 1, limit=2, total=5), True),
        (Page([1], 3, limit=2, total=5), False),
        (Page([1, 2], 2, limit=2, total=4), False),
        (Page([1, 2], 1, total_pages=2), True),
        (Page([1, 2], 2, total_pages=2), False),
        (Page([1, 2], 1, limit=2), True),
        (Page([1], 1, limit=2), False),
        (Page([], 1), False),
        (Page([1], 1), True),
        (Page([1, 2], 1, limit=2, total=9, final=True), False),
    ],
)
def test_has_next(page: Page[Any], has_next: bool) -> None:
    assert page.has_next is has_next


def test_every_envelope_shape_parses() -> None:
    listed = parse_page(
        {"success": True, "data": venues(2), "total": 7}, Venue, number=1, limit=2, paged=True
    )
    assert [v.id for v in listed] == [1, 2] and listed.total == 7
    priced = parse_page(
        {
            "data": venues(1),
            "pagination": {"page": 1, "per_page": 50, "total": 51, "total_pages": 2},
        },
        Venue,
        number=1,
        limit=None,
        paged=True,
    )
    assert priced.total_pages == 2 and priced.limit == 50 and priced.has_next
    assert len(parse_page(venues(3), Venue, number=1, limit=None, paged=True)) == 3
    with pytest.raises(ResponseValidationError):
        parse_page({"success": True}, Venue, number=1, limit=None, paged=True)
    with pytest.raises(ResponseValidationError):
        parse_page({"data": [{"id": "x"}]}, Venue, number=1, limit=None, paged=True)


def test_iteration_walks_pages_lazily_and_page_fetches_one() -> None:
    api = FakeAPI().then(
        answer(200, {"success": True, "data": venues(2), "total": 5}),
        answer(200, {"success": True, "data": venues(2, 3), "total": 5}),
        answer(200, {"success": True, "data": venues(1, 5), "total": 5}),
        answer(200, {"success": True, "data": venues(2, 3), "total": 5}),
    )
    with Client(**CONFIG, http_client=httpx.Client(transport=api.transport())) as client:
        pager = client.users.list(limit=2)
        assert api.resource_requests == []
        assert [u.id for u in pager] == [1, 2, 3, 4, 5]
        single = client.users.list(limit=2).page(2)
    assert [u.id for u in single] == [3, 4] and single.number == 2
    sent = [(r.url.params["page"], r.url.params["limit"]) for r in api.resource_requests]
    assert sent == [("1", "2"), ("2", "2"), ("3", "2"), ("2", "2")]


def test_unpaged_endpoints_send_no_page_parameters() -> None:
    api = FakeAPI().then(answer(200, {"success": True, "data": venues(3)}))
    with Client(**CONFIG, http_client=httpx.Client(transport=api.transport())) as client:
        assert len(list(client.venues.list())) == 3
    assert len(api.resource_requests) == 1 and "page" not in api.resource_requests[0].url.params


def test_v2_only_endpoints_refuse_a_v1_client_before_sending() -> None:
    api = FakeAPI()
    config = {**CONFIG, "venue_id": 1}
    http = httpx.Client(transport=api.transport())
    with Client(**config, version=1, http_client=http) as client, pytest.raises(ConfigurationError):
        client.price_lists.list()
    assert api.requests == []
