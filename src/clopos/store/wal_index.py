"""Whether anyone committed to a SQLite database since last asked, read from its WAL index
in shared memory: no statement, no system call.

Every API request first catches up with the change log (store/changes.py), and on SQLite
the question "has anything committed?" is otherwise a `PRAGMA data_version` on a
connection: a statement through the driver, which gives up the interpreter's lock while
SQLite runs it and must win it back from the server's other threads. It was the largest
single cost of a cached answer under load (docs/performance.md).

In WAL mode SQLite keeps the WAL index in the database's `-shm` file, which every
connection maps. It starts with two copies of a 48-byte header that each commit rewrites:
its change counter, the last frame, the salts (https://www.sqlite.org/walformat.html,
"The WAL-Index Header"). Two equal copies, the same as at the last look, mean no
transaction committed in between. A look that catches a writer between its two copies
sees them differ, which the caller takes as "something may have changed": it then reads
the log, which costs a statement and is never wrong.

**The descriptor stays open.** POSIX record locks belong to a process and a file, not to a
descriptor: closing *any* descriptor of the `-shm` file drops every lock the process holds
on it, SQLite's shared "dead man's switch" lock included. Without that lock another process
(a `clopos admin` command) opening the database believes it is the index's first user and
truncates it under this process's mappings, SQLite's own among them, and the next read of
them is a SIGBUS (it killed a worker in CI, once: the first version closed the descriptor
after mapping). So the descriptor is opened once per file and process, shared by every
`Database` on it here, and closed only when the last of them has closed its connections
(`release`), when no lock of this process is left to drop.
"""

from __future__ import annotations

import mmap
import os
import threading
from dataclasses import dataclass

_HEADER = 48  # one copy of the WAL-index header


@dataclass
class _Mapped:
    fd: int
    map: mmap.mmap | None  # None: the file could not be mapped (its descriptor is kept)
    users: int


# One descriptor and mapping per `-shm` file (device, inode) in this process.
_mapped: dict[tuple[int, int], _Mapped] = {}
_lock = threading.Lock()


class WalIndex:
    """The WAL index of one SQLite database file, mapped read-only; `release` once."""

    def __init__(self, key: tuple[int, int], view: mmap.mmap) -> None:
        self._key = key
        self._map = view
        self._released = False

    @classmethod
    def open(cls, path: str) -> WalIndex | None:
        """The database's WAL index, or None where there is none to map (not in WAL mode,
        or no connection of this process has opened it yet): the caller then asks SQLite.

        Call it only while a connection of this process has the database open in WAL mode
        (it holds the index's shared lock, so nobody truncates the file meanwhile)."""
        name = f"{path}-shm"
        with _lock:
            try:
                stat = os.stat(name)
            except OSError:
                return None
            if stat.st_size < 2 * _HEADER:
                return None  # not written yet; nothing opened, nothing to keep
            key = (stat.st_dev, stat.st_ino)
            mapped = _mapped.get(key)
            if mapped is None:
                try:
                    fd = os.open(name, os.O_RDONLY | os.O_CLOEXEC)
                except OSError:
                    return None
                try:
                    view = mmap.mmap(fd, 2 * _HEADER, mmap.MAP_SHARED, mmap.PROT_READ)
                except (OSError, ValueError):
                    view = None  # closing the descriptor now would drop the locks: kept
                mapped = _mapped[key] = _Mapped(fd, view, 0)
            if mapped.map is None:
                return None
            mapped.users += 1
            return cls(key, mapped.map)

    def header(self) -> bytes | None:
        """The header as the last commit left it; None while a writer is rewriting it."""
        first = self._map[:_HEADER]
        return first if first == self._map[_HEADER : 2 * _HEADER] else None

    def release(self) -> None:
        """This user is done. Call it only after its own connections to the database are
        closed; the descriptor closes with the last user."""
        if self._released:
            return
        self._released = True
        with _lock:
            mapped = _mapped[self._key]
            mapped.users -= 1
            if mapped.users == 0:
                del _mapped[self._key]
                self._map.close()
                os.close(mapped.fd)
