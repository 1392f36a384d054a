"""A pytest plugin: everything logged during the run, in this process and by the servers the
suite starts, is scanned for secrets and tokens when the run ends (issue 11: no secrets in
logs). Loaded for every run by `-p tests.log_scan` (pyproject.toml)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import SANDBOX

# What must never be written down: tokens (JWTs, and the token ids inside them) and client
# secrets (the sandbox's, and the 44-character shape every generated one has).
_LEAKS = {
    "a JWT": re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{16,}"),
    "a token id": re.compile(r"oauth_[\w-]{16,}"),
    "a client secret": re.compile(r"(?<![\w-])[\w-]{43}=(?![\w=])"),
    "the sandbox secret": re.compile(re.escape(SANDBOX["client_secret"])),
}


class _Everything(logging.Handler):
    """Keeps every record's full text, traceback included."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.texts.append(f"{record.name}: {text}")


def leaks(text: str) -> list[str]:
    return [
        f"{what}: {match.group(0)[:12]}..."
        for what, pattern in _LEAKS.items()
        for match in pattern.finditer(text)
    ]


@pytest.fixture(scope="session", autouse=True)
def _nothing_secret_is_logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    handler = _Everything()
    root = logging.getLogger()
    clopos = logging.getLogger("clopos")
    level = clopos.level
    root.addHandler(handler)
    clopos.setLevel(logging.INFO)  # what a server logs at its default level, at least
    try:
        yield
    finally:
        root.removeHandler(handler)
        clopos.setLevel(level)
    found = [f"log record: {leak}" for text in handler.texts for leak in leaks(text)]
    # The servers the suite ran as processes wrote their output to server.log files.
    for log in Path(tmp_path_factory.getbasetemp()).rglob("server.log"):
        found += [
            f"{log.name} of {log.parent.name}: {leak}"
            for leak in leaks(log.read_text(errors="replace"))
        ]
    assert not found, "secrets or tokens were logged:\n" + "\n".join(found[:20])
