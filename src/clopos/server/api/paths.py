"""Path parameters, documented precisely but checked by the services (for their messages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

RecordId = Annotated[
    str,
    Path(
        description="A record id: a positive integer",
        json_schema_extra={"pattern": "^[1-9][0-9]{0,17}$"},
    ),
]
ProductId = Annotated[
    str,
    Path(
        description="A product id (a positive integer) or the product's `cid` (a UUID)",
        json_schema_extra={
            "pattern": "^([1-9][0-9]{0,17}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            "[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
        },
    ),
]
