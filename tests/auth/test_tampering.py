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
    # Draws that do not depend on the token: each example gets a fresh one, whose length may
    # differ, and Hypothesis must be able to replay a draw whatever the token is.
    index = data.draw(st.integers(0, 10_000)) % len(token)
    shift = data.draw(st.integers(1, len(ALPHABET) - 1))
    here = ALPHABET.find(token[index])
    char = ALPHABET[(here + shift) % len(ALPHABET)] if here >= 0 else ALPHABET[shift]
    mutated = token[:index] + char + token[index + 1 :]
    assert mutated != token
    path = "/open-api/venues" if version == 1 else "/open-api/v2/venues"
    response = server.http.get(path, headers={**headers, "x-token": mutated})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
