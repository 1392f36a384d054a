"""Tokens: any change to a token's bytes is rejected; expiry and versions are enforced."""

from __future__ import annotations

import base64
import dataclasses
import string
import time

import jwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clopos.server.auth.keys import KeyRing, LoadedKey
from clopos.server.auth.tokens import (
    TokenExpired,
    TokenGrant,
    TokenInvalid,
    TokenService,
    sign,
)


def ring(*kids: str) -> KeyRing:
    keys = [LoadedKey(kid, kid.encode() * 16, KeyRing.header_segment(kid)) for kid in kids]
    return KeyRing(keys, kids[-1])


SERVICE = TokenService(ring("k1"), ttl=3600)
GRANT = TokenGrant(
    version=2,
    client_id="c",
    brand="b",
    stage="test",
    venue_id=1,
    secret_id="s",
    epoch=0,
    integrator_id="1",
)
V2 = SERVICE.issue(GRANT).token
V1 = SERVICE.issue(dataclasses.replace(GRANT, version=1, integrator_id=None)).token
ALPHABET = string.printable + "é€\x00"


def test_issued_tokens_verify() -> None:
    assert SERVICE.verify(V2, 2)["sub"] == "c"
    assert SERVICE.verify(V1, 1)["venue_id"] == 1
    assert V1.startswith("oauth_")


@given(
    brand=st.text(min_size=1, max_size=40),
    venue=st.integers(1, 2**63 - 1),
    integrator=st.none() | st.text(max_size=10),
)
def test_tokens_are_signed_as_pyjwt_signs_them(
    brand: str, venue: int, integrator: str | None
) -> None:
    key = ring("k1").signing
    claims = {"token": "oauth_x", "brand": brand, "venue_id": venue, "iat": 1, "exp": 2}
    claims["integrator_id"] = integrator
    expected = jwt.encode(claims, key.secret, algorithm="HS256", headers={"kid": key.kid})
    assert sign(claims, key) == expected


def _mutations(token: str) -> st.SearchStrategy[str]:
    position = st.integers(0, len(token) - 1)
    replace = st.tuples(position, st.sampled_from(ALPHABET)).map(
        lambda p: token[: p[0]] + p[1] + token[p[0] + 1 :]
    )
    insert = st.tuples(st.integers(0, len(token)), st.sampled_from(ALPHABET)).map(
        lambda p: token[: p[0]] + p[1] + token[p[0] :]
    )
    delete = position.map(lambda i: token[:i] + token[i + 1 :])
    return st.one_of(replace, insert, delete).filter(lambda t: t != token)


@settings(max_examples=1500, deadline=None)
@given(_mutations(V2))
def test_any_change_to_a_v2_token_is_rejected(mutated: str) -> None:
    with pytest.raises(TokenInvalid):
        SERVICE.verify(mutated, 2)


@settings(max_examples=1500, deadline=None)
@given(_mutations(V1))
def test_any_change_to_a_v1_token_is_rejected(mutated: str) -> None:
    with pytest.raises(TokenInvalid):
        SERVICE.verify(mutated, 1)


def test_the_signature_spare_bits_are_checked() -> None:
    # The last base64url character of a 32-byte signature carries 2 unused bits: flipping
    # them decodes to the same bytes, so only a canonical-encoding check rejects it.
    head, payload, signature = V2.split(".")
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    index = alphabet.index(signature[-1])
    for twin in alphabet[index & ~3 : (index & ~3) + 4]:
        if twin != signature[-1]:
            with pytest.raises(TokenInvalid):
                SERVICE.verify(f"{head}.{payload}.{signature[:-1]}{twin}", 2)


def test_expired_tokens_report_their_expiry() -> None:
    issued = SERVICE.issue(GRANT, now=1_000)
    with pytest.raises(TokenExpired) as caught:
        SERVICE.verify(issued.token, 2, now=1_000 + 3600)
    assert caught.value.expires_at == 4_600
    assert SERVICE.verify(issued.token, 2, now=1_000 + 3599)["exp"] == 4_600


def test_versions_do_not_cross() -> None:
    with pytest.raises(TokenInvalid):
        SERVICE.verify(V2, 1)
    with pytest.raises(TokenInvalid):
        SERVICE.verify(V1.removeprefix("oauth_"), 2)


def test_rotation_keeps_old_keys_verifying_and_unknown_keys_fail() -> None:
    rotated = TokenService(ring("k1", "k2"), ttl=3600)
    assert rotated.verify(V2, 2)["sub"] == "c"
    assert (
        '"kid":"k2"'
        in base64.urlsafe_b64decode(rotated.issue(GRANT).token.split(".")[0] + "==").decode()
    )
    with pytest.raises(TokenInvalid):
        TokenService(ring("k9"), ttl=3600).verify(V2, 2)


def test_unsigned_and_other_algorithm_tokens_fail() -> None:
    import jwt

    claims = SERVICE.verify(V2, 2)
    forged = jwt.encode(claims, "k1" * 32, algorithm="HS512", headers={"kid": "k1"})
    with pytest.raises(TokenInvalid):
        SERVICE.verify(forged, 2)
    head = KeyRing.header_segment("k1")
    body = V2.split(".")[1]
    with pytest.raises(TokenInvalid):
        SERVICE.verify(f"{head}.{body}.", 2)


def test_a_token_issued_by_a_node_whose_clock_is_ahead_verifies() -> None:
    # Several servers share one database; a token from a node 30 s ahead must not be
    # refused by the others until their clocks catch up (its expiry is what counts).
    keys = ring("k1")
    ahead = TokenService(keys, ttl=3600).issue(GRANT, now=time.time() + 30)
    assert TokenService(keys, ttl=3600).verify(ahead.token, 2)["sub"] == "c"
