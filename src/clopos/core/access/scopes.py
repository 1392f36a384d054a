"""The scopes a client can be granted; each endpoint requires one."""

from __future__ import annotations

VENUES_READ = "venues:read"
USERS_READ = "users:read"
CUSTOMERS_READ = "customers:read"
CUSTOMERS_WRITE = "customers:write"
CATALOGUE_READ = "catalogue:read"
ORDERS_READ = "orders:read"
ORDERS_WRITE = "orders:write"
RECEIPTS_READ = "receipts:read"
RECEIPTS_WRITE = "receipts:write"

ALL_SCOPES: tuple[str, ...] = (
    VENUES_READ,
    USERS_READ,
    CUSTOMERS_READ,
    CUSTOMERS_WRITE,
    CATALOGUE_READ,
    ORDERS_READ,
    ORDERS_WRITE,
    RECEIPTS_READ,
    RECEIPTS_WRITE,
)


def validate_scopes(scopes: list[str]) -> list[str]:
    """The scopes in a canonical order; raises ValueError naming the unknown ones."""
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(ALL_SCOPES)}")
    return [scope for scope in ALL_SCOPES if scope in scopes]
