"""Values that must never be printed: a wrapper whose repr hides them, and a text scrubber."""

from __future__ import annotations

from collections.abc import Iterable

MASK = "**********"


class Secret:
    """A string that shows as `**********` in repr, str and f-strings; `.reveal()` returns it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """`text` with every occurrence of each secret replaced by the mask.

    Server messages are echoed into exception text; a server that quotes the token it rejected
    must not make us print it.
    """
    for secret in secrets:
        if secret and len(secret) >= 4 and secret in text:
            text = text.replace(secret, MASK)
    return text
