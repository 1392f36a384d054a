"""The store's own refusals. A module without dependencies, so that an edge can catch them
without importing the migration machinery (the CLI answers SchemaError with exit code 4)."""

from __future__ import annotations


class SchemaError(Exception):
    """The database's schema cannot be used or migrated as it is."""


class DriverMissing(Exception):
    """The database URL names a driver that is not installed (or not known)."""
