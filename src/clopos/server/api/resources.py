"""Resource routers beyond auth and venues (filled in by the catalogue work).

`shared` routers are mounted under /open-api (v1) and /open-api/v2 (v2); `v2_only` under v2.
"""

from __future__ import annotations

from fastapi import APIRouter

shared: list[APIRouter] = []
v2_only: list[APIRouter] = []
operator: list[APIRouter] = []
