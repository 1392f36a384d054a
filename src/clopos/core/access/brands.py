"""Resolving a brand slug for the operator's tools (CLI and operator API)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.access.table import Brand
from clopos.core.errors import not_found


def brand_id_of(session: Session, slug: str) -> int:
    brand_id = session.scalar(select(Brand.id).where(Brand.slug == slug))
    if brand_id is None:
        raise not_found(f"Brand '{slug}' not found")
    return brand_id
