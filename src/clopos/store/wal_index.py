"""Whether anyone committed to a SQLite database since last asked, read from its WAL index
in shared memory: no statement, no system call.

Every API request first catches up with the change log (store/changes.py), and on SQLite
the question "has anything committed?" was a `PRAGMA data_version` on a connection: a
statement through the driver, which gives up the interpreter's lock while SQLite runs it
and must win it back from the server's other threads. It was the largest single cost of a
cached answer under load (docs/performance.md).

In WAL mode SQLite keeps the WAL index in the database's `-shm` file, which every
connection maps. It starts with two copies of a 48-byte header that each commit rewrites:
its change counter, the last frame, the salts (https://www.sqlite.org/walformat.html,
"The WAL-Index Header"). Two equal copies, the same as at the last look, mean no
transaction committed in between. A look that catches a writer between its two copies
sees them differ, which the caller takes as "something may have changed": it then reads
the log, which costs a statement and is never wrong.
"""

from __future__ import annotations

import contextlib
import mmap
import os

_HEADER = 48  # one copy of the WAL-index header


class WalIndex:
    """The WAL index of the SQLite database at `path`, mapped read-only."""

    def __init__(self, map_: mmap.mmap) -> None:
        self._map = map_

    @classmethod
    def open(cls, path: str) -> WalIndex | None:
        """The database's WAL index, or None where there is none to map (not in WAL mode, or
        no connection has made it yet): the caller then asks SQLite."""
        try:
            fd = os.open(f"{path}-shm", os.O_RDONLY)
        except OSError:
            return None
        try:
            if os.fstat(fd).st_size < 2 * _HEADER:
                return None
            return cls(mmap.mmap(fd, 2 * _HEADER, mmap.MAP_SHARED, mmap.PROT_READ))
        except (OSError, ValueError):
            return None
        finally:
            os.close(fd)  # the mapping stays valid without its descriptor

    def header(self) -> bytes | None:
        """The header as the last commit left it; None while a writer is rewriting it."""
        first = self._map[:_HEADER]
        return first if first == self._map[_HEADER : 2 * _HEADER] else None

    def close(self) -> None:
        with contextlib.suppress(BufferError):
            self._map.close()
