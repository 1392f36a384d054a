"""Alembic migrations of the server's schema; run them through `store/schema.py` or `clopos db`."""
