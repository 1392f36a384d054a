"""The API's routers beyond the token exchange, each with the versions it serves."""

from __future__ import annotations

from fastapi import APIRouter

from clopos.server.api import (
    categories,
    customers,
    finance,
    inventory,
    operator_books,
    operator_orders,
    operator_stop_list,
    operator_webhooks,
    orders,
    price_lists,
    products,
    receipts,
    sales,
    stations,
    users,
    venues,
    waiter_calls,
)

# Which APIs a router is mounted under: both versions' prefixes, one of them, or none (the
# operator API, at its own prefix).
BOTH, V1, V2, OPERATOR = frozenset({1, 2}), frozenset({1}), frozenset({2}), frozenset[int]()

# The route table: every router once, in the order the app tries them (within a prefix a
# router's own order decides, e.g. `/products/stop-list` before `/products/{id}`).
ROUTERS: tuple[tuple[APIRouter, frozenset[int]], ...] = (
    (venues.router, BOTH),
    (users.router, BOTH),
    (customers.router, BOTH),
    (categories.router, BOTH),
    (stations.router, BOTH),
    (products.router, BOTH),
    (sales.router, BOTH),
    (orders.router, BOTH),
    (receipts.router, BOTH),
    (orders.v1_router, V1),
    (receipts.v1_router, V1),
    (price_lists.router, V2),
    (finance.router, V2),
    (inventory.router, V2),
    (waiter_calls.router, V2),
    (orders.v2_router, V2),
    (receipts.v2_router, V2),
    (operator_stop_list.router, OPERATOR),
    (operator_orders.router, OPERATOR),
    (operator_webhooks.router, OPERATOR),
    (operator_books.router, OPERATOR),
)
