"""The database lock clopos processes take around start-up's work.

Migrating and seeding check what exists, then create what is missing: two processes doing
that at once on a fresh PostgreSQL database both saw nothing and both inserted the sandbox
brand, and one died on its unique slug. Each such step runs in a transaction that first
takes this lock, so processes started together take turns: the second one sees what the
first one made. On SQLite a write transaction starts with `BEGIN IMMEDIATE`, which takes
the database's one write lock already.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

# Any constant will do: it only has to be the same for every clopos process.
START_UP_LOCK = 0x0C10_9050_5C4E_3A00

_TAKE = text("SELECT pg_advisory_xact_lock(:key)")


def hold_start_up_lock(target: Session | Connection) -> None:
    """Wait for the start-up lock and hold it until the transaction ends (PostgreSQL)."""
    bind = target.get_bind() if isinstance(target, Session) else target
    if bind.dialect.name == "postgresql":
        target.execute(_TAKE, {"key": START_UP_LOCK})
