"""`clopos.webhooks.verify`: the receiver's side of the `Clopos-Signature` header."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from clopos.webhooks import (
    MalformedSignature,
    NoMatchingSignature,
    SignatureError,
    TimestampOutsideTolerance,
    sign,
    verify,
)

SECRET = "whsec_" + "A" * 43
OTHER = "whsec_" + "B" * 43
BODY = json.dumps({"id": "evt_1_0", "type": "order.created", "data": {"id": 7}}).encode()
NOW = 1_733_300_000


def test_a_signed_body_verifies_and_answers_the_event() -> None:
    header = sign(BODY, [SECRET], NOW)
    assert verify(BODY, header, SECRET, now=NOW + 10)["data"] == {"id": 7}
    assert verify(BODY.decode(), header, SECRET, now=NOW)["type"] == "order.created"


def test_the_signature_is_the_documented_hmac() -> None:
    """HMAC-SHA256 of `<t>.<body>` keyed with the whole secret, in hex: what a receiver in
    any language computes."""
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(BODY, [SECRET], NOW) == f"t={NOW},v1={expected}"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body: body + b" ",
        lambda body: body.replace(b"7", b"8"),
    ],
)
def test_a_changed_body_does_not_verify(tamper: object) -> None:
    header = sign(BODY, [SECRET], NOW)
    with pytest.raises(NoMatchingSignature):
        verify(tamper(BODY), header, SECRET, now=NOW)  # type: ignore[operator]


def test_another_secret_does_not_verify() -> None:
    with pytest.raises(NoMatchingSignature):
        verify(BODY, sign(BODY, [OTHER], NOW), SECRET, now=NOW)


def test_during_a_rotation_either_secret_verifies() -> None:
    header = sign(BODY, [OTHER, SECRET], NOW)
    assert header.count("v1=") == 2
    verify(BODY, header, SECRET, now=NOW)
    verify(BODY, header, OTHER, now=NOW)
    # A receiver rolling its own secret over may hold both.
    verify(BODY, sign(BODY, [OTHER], NOW), [SECRET, OTHER], now=NOW)


def test_an_old_timestamp_is_refused_unless_tolerance_is_off() -> None:
    header = sign(BODY, [SECRET], NOW)
    with pytest.raises(TimestampOutsideTolerance):
        verify(BODY, header, SECRET, tolerance=300, now=NOW + 301)
    with pytest.raises(TimestampOutsideTolerance):
        verify(BODY, header, SECRET, tolerance=300, now=NOW - 301)
    assert verify(BODY, header, SECRET, tolerance=0, now=NOW + 10_000)["id"] == "evt_1_0"


def test_the_timestamp_is_signed_too() -> None:
    header = sign(BODY, [SECRET], NOW).replace(f"t={NOW}", f"t={NOW + 1}")
    with pytest.raises(NoMatchingSignature):
        verify(BODY, header, SECRET, now=NOW)


@pytest.mark.parametrize("header", [None, "", "v1=abc", f"t={NOW}", "t=soon,v1=abc", "garbage"])
def test_a_malformed_header_is_a_typed_error(header: str | None) -> None:
    with pytest.raises(MalformedSignature) as refused:
        verify(BODY, header, SECRET, now=NOW)
    assert isinstance(refused.value, SignatureError) and isinstance(refused.value, ValueError)
