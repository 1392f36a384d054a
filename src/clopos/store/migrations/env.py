"""Alembic's environment: migrates the connection that `store/schema.py` hands over.

There is no alembic.ini: `schema.alembic_config()` configures Alembic and passes the open
connection (already in its transaction, holding the migration lock) as the `connection`
attribute. Offline (`--sql`) mode is not supported.
"""

from __future__ import annotations

from alembic import context

from clopos.store.schema import configure_context

if context.is_offline_mode():
    raise RuntimeError("offline migrations are not supported; use `clopos db upgrade`")

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `clopos db upgrade`: it supplies the connection")

configure_context(context, connection)
with context.begin_transaction():
    context.run_migrations()
