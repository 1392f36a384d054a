"""Over HTTP: a token changed in any byte is refused with 401, never accepted or a 500."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import LiveServer

# Header values must be visible ASCII; every such character is a candidate.
ALPHABET = string.ascii_letters + string.digits + string.punctuation


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_tampered_tokens_are_refused(server: LiveServer, data: st.DataObject) -> None:
    version = data.draw(st.sampled_from([1, 2]))
    headers = server.v1_headers() if version == 1 else server.v2_headers()
    token = headers["x-token"]
    index = data.draw(st.integers(0, len(token) - 1))
    char = data.draw(st.sampled_from(ALPHABET).filter(lambda c: c != token[index]))
    mutated = token[:index] + char + token[index + 1 :]
    path = "/open-api/venues" if version == 1 else "/open-api/v2/venues"
    response = server.http.get(path, headers={**headers, "x-token": mutated})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
