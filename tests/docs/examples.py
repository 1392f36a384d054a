"""The examples of README.md and docs/*.md, as blocks to run.

A fenced block whose language is `sh`, `console` or `python` is an example, and runs, unless
the line just before its fence (blank lines aside) is a marker:

    <!-- example: skip: WHY -->      not run; the reason is required (a server start, an
                                      install from the registry, a sketch that is no program)
    <!-- example: environment -->    sh: the reader's setup (README): run first; the
                                      variables it exports are every other example's
    <!-- example: refusals -->       sh: its requests are meant to be refused (>= 400)
    <!-- example: pytest -->         python: a test module, run with pytest

Fences of other languages (`json`, none) are answers and sketches, never run. In a `console`
block, the lines starting with `$ ` are the commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = frozenset({"sh", "console", "python"})
KINDS = frozenset({"skip", "environment", "refusals", "pytest"})

_FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
_MARKER = re.compile(r"<!-- example: ([a-z]+)(?:: (.*?))? -->\s*\Z", re.S)


@dataclass(frozen=True)
class Block:
    page: str  # "README.md", "docs/orders.md"
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    kind: str | None  # a marker's kind, or None
    reason: str | None  # a skip's reason

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def runs(self) -> bool:
        return self.language in RUN and self.kind != "skip"

    def commands(self) -> str:
        """The shell text to run: a `console` block's `$ ` lines, or the whole block."""
        if self.language != "console":
            return self.code
        return "\n".join(line[2:] for line in self.code.splitlines() if line.startswith("$ "))


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(path: Path) -> list[Block]:
    text = path.read_text()
    found = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip()
        marker = _MARKER.search(before[before.rfind("\n") + 1 :] if "\n" in before else before)
        kind = marker.group(1) if marker else None
        found.append(
            Block(
                page=str(path.relative_to(ROOT)),
                line=text.count("\n", 0, match.start()) + 1,
                language=match.group(1),
                code=match.group(2),
                kind=kind,
                reason=marker.group(2) if marker else None,
            )
        )
    return found
