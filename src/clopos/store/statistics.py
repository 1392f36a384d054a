"""Planner statistics for the tables PostgreSQL knows nothing of yet (a fresh database).

A backend keeps a statement's generic plan, the foreign keys' checks among them, until
the table's statistics change. Planned on a table it has no statistics for, an equality
on a tenant table's whole primary key, `brand_id = $1 AND id = $2`, costs the same
through any index that begins with `brand_id`: the check an order line makes of its order
went through `(brand_id, status)` and filtered every order of the brand, on every line of
every order, until autovacuum's first analysis of the table, a minute or more away. That
is a benchmark's whole run, or a sandbox's whole session (docs/performance.md: order
creation on PostgreSQL 390 a second without, 523 with, in back-to-back runs).

So a start analyses the tables foreign keys refer to that hold rows and were never
analysed: on a fresh database, what the seeding put in them (brands, venues, the menu, the
demo history's orders and receipts); on a database in use, nothing, autovacuum has. The
others are left alone on purpose:
- an empty table analysed is believed empty, and a plan made then reads it whole however
  it grows (the webhook sender's reads were 72 ms a round so); never analysed, PostgreSQL
  sizes it at ten pages at least, and plans by index;
- statistics of a log whose only rows are the seeding's own transaction (the change log:
  one `txid`) would say every change has the same one.
PostgreSQL only: SQLite plans a foreign key's check by the parent's primary key, and a
statement afresh when it is prepared.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_NEVER_ANALYSED = text(
    "SELECT relname FROM pg_class"
    " WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
    " AND reltuples < 0 AND pg_relation_size(oid) > 0"
    " AND oid IN (SELECT confrelid FROM pg_constraint WHERE contype = 'f')"
    " ORDER BY relname"
)


def analyse_new_tables(session: Session) -> list[str]:
    """ANALYZE the referenced tables with rows and no statistics; answers their names."""
    names = list(session.scalars(_NEVER_ANALYSED))
    if names:
        quote = session.get_bind().dialect.identifier_preparer.quote
        session.execute(text("ANALYZE " + ", ".join(quote(name) for name in names)))
    return names
