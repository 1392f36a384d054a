"""An on-disk token cache for short-lived processes (CLIs, cron jobs, serverless handlers).

One JSON file readable only by its owner (mode 0600), replaced atomically on every write
(temp file in the same directory, fsync, `os.replace`) so a reader never sees half a file
and a crash never leaves a corrupt one. Entries are keyed by a hash of the token key, so the
file does not even list which clients and brands it holds tokens for.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clopos.client._tokens import TokenKey

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def entry_name(key: TokenKey) -> str:
    return hashlib.sha256("\x1f".join(key).encode()).hexdigest()


class TokenFile:
    """A token cache file. Failures to read it are treated as an empty cache."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        self._guard = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenFile({str(self.path)!r})"

    def load(self, key: TokenKey) -> tuple[str, float] | None:
        """(token, wall-clock expiry) cached for `key`, if any."""
        entry = self._read().get(entry_name(key))
        if not isinstance(entry, dict):
            return None
        value, expires_at = entry.get("token"), entry.get("expires_at")
        if not isinstance(value, str) or not isinstance(expires_at, int | float):
            return None
        return value, float(expires_at)

    def store(self, key: TokenKey, value: str, *, expires_at: float) -> None:
        with self._guard:
            entries = self._read()
            entries[entry_name(key)] = {"token": value, "expires_at": expires_at}
            self._write(entries)

    def discard(self, key: TokenKey, value: str) -> None:
        """Remove `key`'s entry if it still holds `value` (another process may have refreshed)."""
        with self._guard:
            entries = self._read()
            name = entry_name(key)
            entry = entries.get(name)
            if isinstance(entry, dict) and entry.get("token") == value:
                del entries[name]
                self._write(entries)

    def _read(self) -> dict[str, Any]:
        try:
            info = self.path.stat()
            if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                # Someone else could have read or planted these tokens: do not trust them.
                return {}
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, entries: dict[str, Any]) -> None:
        directory = self.path.parent
        directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        # mkstemp creates the file with mode 0600 already, so the token is never world-readable.
        fd, temp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                json.dump(entries, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise
