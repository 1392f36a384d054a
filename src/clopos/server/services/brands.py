"""Resolving a brand slug for the operator's tools (CLI and operator API)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from clopos.server.errors import not_found
from clopos.server.store.models import Brand


async def brand_id_of(session: AsyncSession, slug: str) -> int:
    brand_id = await session.scalar(select(Brand.id).where(Brand.slug == slug))
    if brand_id is None:
        raise not_found(f"Brand '{slug}' not found")
    return brand_id
