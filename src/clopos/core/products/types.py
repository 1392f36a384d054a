"""Product types: the one vocabulary of the catalogue, its import, orders and the wire.

Pure (no imports): the wire models, which the client ships, take their `Literal` from here.
"""

from __future__ import annotations

from typing import Literal, get_args

ProductType = Literal["GOODS", "DISH", "TIMER", "PREPARATION", "INGREDIENT", "MODIFICATION"]
PRODUCT_TYPES: tuple[str, ...] = get_args(ProductType)

# A variant of a GOODS product (its `modifications[]`): listed under its parent, and on its
# own by id or with the `type` filter asking for it.
VARIANT = "MODIFICATION"

# What an import file's product may be: a variant is imported under its parent (`variants`).
ImportedType = Literal["GOODS", "DISH", "TIMER", "PREPARATION", "INGREDIENT"]

# What an order may sell: preparations and ingredients are stock, not sold.
SOLD_TYPES = frozenset({"GOODS", "DISH", "TIMER", VARIANT})
