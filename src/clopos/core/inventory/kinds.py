"""The inventory documents' vocabulary: types (the reference's numbers) and statuses."""

from __future__ import annotations

IN, TRANSFER, WASTE, RETURN, MAKE, INVENTORY_CHECK, SUPPLY_RETURN, INITIAL_STOCK = (
    1,
    3,
    4,
    5,
    7,
    9,
    10,
    11,
)
TYPES: dict[int, str] = {
    IN: "IN",
    2: "OUT",
    TRANSFER: "TRANSFER",
    WASTE: "WASTE",
    RETURN: "RETURN",
    6: "FIXATION",
    MAKE: "MAKE",
    8: "MERGE",
    INVENTORY_CHECK: "INVENTORY_CHECK",
    SUPPLY_RETURN: "SUPPLY_RETURN",
    INITIAL_STOCK: "INITIAL_STOCK",
}
DEPRECATED = frozenset({2, 6, 8})
PUBLISHED, DRAFT = 1, 2
STATUSES: dict[int, str] = {PUBLISHED: "Published", DRAFT: "Draft"}
