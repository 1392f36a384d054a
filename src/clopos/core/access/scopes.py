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
# Finance and inventory, as the reference names them (section 2.13), and the waiter call.
FINANCE_BALANCES_READ = "finance-balances:read"
FINANCE_CASH_SHIFTS_READ = "finance-cash-shifts:read"
FINANCE_CATEGORIES_READ = "finance-categories:read"
FINANCE_TAXES_READ = "finance-taxes:read"
FINANCE_TRANSACTIONS_READ = "finance-transactions:read"
OPERATIONS_READ = "operations:read"
OPERATION_ITEMS_READ = "operation-items:read"
STOCK_READ = "stock:read"
STOCK_OPERATIONS_READ = "stock-operations:read"
STORAGES_READ = "storages:read"
SUPPLIERS_READ = "suppliers:read"
WAITER_CALLS_WRITE = "waiter-calls:write"

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
    FINANCE_BALANCES_READ,
    FINANCE_CASH_SHIFTS_READ,
    FINANCE_CATEGORIES_READ,
    FINANCE_TAXES_READ,
    FINANCE_TRANSACTIONS_READ,
    OPERATIONS_READ,
    OPERATION_ITEMS_READ,
    STOCK_READ,
    STOCK_OPERATIONS_READ,
    STORAGES_READ,
    SUPPLIERS_READ,
    WAITER_CALLS_WRITE,
)


def validate_scopes(scopes: list[str]) -> list[str]:
    """The scopes in a canonical order; raises ValueError naming the unknown ones."""
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(ALL_SCOPES)}")
    return [scope for scope in ALL_SCOPES if scope in scopes]
