"""Resource routers beyond auth and venues.

`shared` routers are mounted under /open-api (v1) and /open-api/v2 (v2); `v1_only` under v1,
`v2_only` under v2.
"""

from __future__ import annotations

from fastapi import APIRouter

from clopos.server.api import (
    categories,
    customers,
    operator_orders,
    operator_stop_list,
    orders,
    price_lists,
    products,
    receipts,
    sales,
    stations,
    users,
)

shared: list[APIRouter] = [
    users.router,
    customers.router,
    categories.router,
    stations.router,
    products.router,
    sales.router,
    orders.router,
    receipts.router,
]
v1_only: list[APIRouter] = [orders.v1_router, receipts.v1_router]
v2_only: list[APIRouter] = [price_lists.router, orders.v2_router, receipts.v2_router]
operator: list[APIRouter] = [operator_stop_list.router, operator_orders.router]
