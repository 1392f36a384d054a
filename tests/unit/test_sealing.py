"""core/sealing.py: what it seals opens under the same server key and name only; a changed
byte, another key or another name is refused without saying anything secret; values in the
format of the release before (format 1) are sealed anew in the current one, and only that
reads them."""

from __future__ import annotations

import pytest

from clopos.core import sealing
from clopos.core.sealing import Seal, SealError
from tests.legacy_seals import (
    CONSOLE_PLAIN,
    CONSOLE_PURPOSE,
    CONSOLE_VECTOR,
    FORMAT1_VECTORS,
    OLD_SERVER_KEY,
    format1_seal,
    old_console_seal,
)

KEY = b"the server key of these tests, 48 characters long"
SECRET = bytes(range(7, 39))


@pytest.mark.parametrize("plain", [b"", b"x", SECRET, "þ secret ✓".encode() * 40])
def test_a_sealed_value_opens_to_what_was_sealed(plain: bytes) -> None:
    stored = Seal(KEY).seal("name", plain)
    assert stored[0] == sealing.CURRENT and sealing.version(stored) == sealing.CURRENT
    assert len(stored) == 1 + 12 + len(plain) + 16
    assert Seal(KEY).open("name", stored) == plain  # another instance: the key is derived


def test_each_seal_draws_its_own_nonce() -> None:
    seal = Seal(KEY)
    first, second = seal.seal("name", SECRET), seal.seal("name", SECRET)
    assert first != second and first[1:13] != second[1:13]
    assert SECRET not in first


def test_every_changed_byte_is_refused() -> None:
    seal = Seal(KEY)
    stored = seal.seal("k1", SECRET)
    for index in range(len(stored)):
        changed = bytearray(stored)
        changed[index] ^= 0x01
        with pytest.raises(SealError):
            seal.open("k1", bytes(changed))
    with pytest.raises(SealError):
        seal.open("k1", stored[:-1])
    with pytest.raises(SealError):
        seal.open("k1", stored + b"\x00")


def test_another_server_key_or_name_is_refused_and_the_refusal_says_nothing_secret() -> None:
    other = b"a different server key of 48 characters, or so.."
    stored = Seal(KEY).seal("webhook:wh_1", SECRET)
    for seal, name in ((Seal(other), "webhook:wh_1"), (Seal(KEY), "webhook:wh_2")):
        with pytest.raises(SealError) as refused:
            seal.open(name, stored)
        message = str(refused.value)
        assert name in message and "another server key" in message
        for secret in (KEY, SECRET, other):
            assert secret.hex() not in message and repr(secret) not in message
            assert secret.decode(errors="replace") not in message


@pytest.mark.parametrize("stored", [b"", b"\x02", SECRET, b"CKS1" + SECRET, b"\x03" + SECRET * 2])
def test_what_is_not_sealed_is_refused(stored: bytes) -> None:
    assert sealing.version(stored) is None
    with pytest.raises(SealError, match="is not sealed"):
        Seal(KEY).open("k1", stored)
    with pytest.raises(SealError, match="is not sealed"):
        Seal(KEY).reseal("k1", stored)


@pytest.mark.parametrize(("name", "plain", "stored"), FORMAT1_VECTORS)
def test_values_sealed_by_the_release_before_are_sealed_anew(
    name: str, plain: bytes, stored: bytes
) -> None:
    """Bytes the old KeySeal made (a signing key and a webhook secret) are sealed anew in
    the current format around the same secret; only `reseal` reads them. The copy of the
    old format the other tests use remakes them from their nonce."""
    assert format1_seal(OLD_SERVER_KEY, name, plain, stored[4:20]) == stored
    assert sealing.version(stored) == sealing.LEGACY
    seal = Seal(OLD_SERVER_KEY)
    again = seal.reseal(name, stored)
    assert again is not None and sealing.version(again) == sealing.CURRENT
    assert seal.open(name, again) == plain
    assert seal.reseal(name, again) is None  # already current: left as it is
    with pytest.raises(SealError, match="not sealed in the current format"):
        seal.open(name, stored)


@pytest.mark.parametrize(("name", "plain", "stored"), FORMAT1_VECTORS)
def test_a_format_1_value_under_another_key_or_name_or_changed_is_refused(
    name: str, plain: bytes, stored: bytes
) -> None:
    changed = stored[:-1] + bytes([stored[-1] ^ 1])
    for seal, under, value in (
        (Seal(KEY), name, stored),
        (Seal(OLD_SERVER_KEY), name + "x", stored),
        (Seal(OLD_SERVER_KEY), name, changed),
    ):
        with pytest.raises(SealError, match="another server key"):
            seal.reseal(under, value)
    with pytest.raises(SealError, match="is not sealed"):
        Seal(OLD_SERVER_KEY).reseal(name, plain)


def test_the_copy_of_the_old_console_seal_remakes_its_cookie() -> None:
    """The copy tests/console uses to make a cookie of the release before (which the new
    console refuses, docs/console.md)."""
    assert (
        old_console_seal(OLD_SERVER_KEY, CONSOLE_PURPOSE, CONSOLE_PLAIN, bytes(range(16)))
        == CONSOLE_VECTOR
    )
