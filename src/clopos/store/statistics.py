"""Planner statistics for the tables PostgreSQL knows nothing of yet (a fresh database).

A backend keeps a statement's generic plan, the foreign keys' checks among them, until
the table's statistics change. Planned on a table it has no statistics for, an equality
on a tenant table's whole primary key, `brand_id = $1 AND id = $2`, costs the same
through any index that begins with `brand_id`: the check an order line makes of its order
went through `(brand_id, status)` and filtered every order of the brand, on every line of
every order, until autovacuum's first analysis of the table, a minute or more away. That
is a benchmark's whole run, or a sandbox's whole session (docs/performance.md: order
creation on PostgreSQL 390 a second before, 523 after, in the same run).

So a start analyses the tables never analysed: on a fresh database, all of them, with
what it seeded in them; on a database in use, the few that autovacuum has never had
reason to look at, which are empty. PostgreSQL only: SQLite plans a foreign key's check
by the parent's primary key, and a statement afresh when it is prepared.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_NEVER_ANALYSED = text(
    "SELECT relname FROM pg_class"
    " WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
    " AND reltuples < 0 ORDER BY relname"
)


def analyse_new_tables(session: Session) -> list[str]:
    """ANALYZE the tables PostgreSQL holds no statistics for; answers their names."""
    names = list(session.scalars(_NEVER_ANALYSED))
    if names:
        quote = session.get_bind().dialect.identifier_preparer.quote
        session.execute(text("ANALYZE " + ", ".join(quote(name) for name in names)))
    return names
