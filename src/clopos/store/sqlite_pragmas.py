"""The PRAGMAs every SQLite connection of the server starts with."""

from __future__ import annotations

SYNCHRONOUS = ("full", "normal")


def pragmas(synchronous: str = "full") -> list[str]:
    """WAL (the CLI writes while servers read) and the durability level.

    `full` syncs the write-ahead log at every commit: an acknowledged write survives power
    loss. `normal` syncs only at checkpoints: it still survives the process being killed,
    but the last commits may be lost if the machine loses power.
    """
    if synchronous not in SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {', '.join(SYNCHRONOUS)}")
    return [
        "PRAGMA journal_mode=WAL",
        f"PRAGMA synchronous={synchronous.upper()}",
        "PRAGMA busy_timeout=10000",
        "PRAGMA foreign_keys=ON",
    ]
