"""Resource routers beyond auth and venues.

`shared` routers are mounted under /open-api (v1) and /open-api/v2 (v2); `v2_only` under v2.
"""

from __future__ import annotations

from fastapi import APIRouter

from clopos.server.api import (
    categories,
    customers,
    operator_stop_list,
    price_lists,
    products,
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
]
v2_only: list[APIRouter] = [price_lists.router]
operator: list[APIRouter] = [operator_stop_list.router]
