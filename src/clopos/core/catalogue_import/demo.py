"""The sandbox's demo catalogue: a café, loaded through the importer on first start."""

from __future__ import annotations

from importlib.resources import files

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.catalogue_import.importer import import_catalogue, parse_document
from clopos.core.products.table import Product

DEMO_FILE = "demo_catalogue.yaml"


def demo_document() -> str:
    return files("clopos.store").joinpath("data", DEMO_FILE).read_text(encoding="utf-8")


def load_demo_catalogue(session: Session, brand_id: int) -> bool:
    """Import the demo café into the brand unless it already has products; answers whether
    it did.

    Runs inside the caller's transaction (nothing is committed here).
    """
    has_products = session.scalar(select(Product.id).where(Product.brand_id == brand_id).limit(1))
    if has_products is not None:
        return False
    document = parse_document(yaml.safe_load(demo_document()))
    import_catalogue(session, brand_id, document)
    return True
