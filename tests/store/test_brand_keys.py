"""Every brand's row has its brand checked once: by its own foreign key to `brands`, or
through a row it refers to by a key that is never null (store/base.py, `Branded`)."""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, Table

from clopos.store.base import HOLDS_BRAND, Base, Branded
from clopos.store.schema import target_metadata


def _to_brands(table: Table) -> bool:
    return any(key.referred_table.name == "brands" for key in table.foreign_key_constraints)


def _never_null(table: Table, key: ForeignKeyConstraint) -> bool:
    return all(not table.columns[name].nullable for name in key.column_keys)


def _brand_keys(table: Table) -> list[ForeignKeyConstraint]:
    """The composite keys (brand_id, ...) to another brand's row, never null."""
    return [
        key
        for key in table.foreign_key_constraints
        if key.referred_table.name != "brands"
        and key.column_keys[0] == "brand_id"
        and _never_null(table, key)
    ]


def test_each_brands_row_has_its_brand_checked_once() -> None:
    branded = {
        mapper.local_table for mapper in Base.registry.mappers if issubclass(mapper.class_, Branded)
    }
    tables = [table for table in target_metadata().sorted_tables if table in branded]
    assert len(tables) > 40
    # In dependency order: the row a key holds its brand through is judged first.
    sure: set[str] = set()
    for table in tables:
        held = [key for key in table.foreign_key_constraints if key.info.get(HOLDS_BRAND)]
        if _to_brands(table):
            assert not held, f"{table.name}: a key holds its brand, and it has one to brands"
            # A row that could have its brand through another must (one rule for all).
            through = [key.referred_table.name for key in _brand_keys(table)]
            assert not [name for name in through if name in sure], (
                f"{table.name} has its brand through {through}: give one of those keys "
                "holds_brand=True"
            )
        else:
            assert len(held) == 1, f"{table.name}: no foreign key to brands, nor one holding it"
            (key,) = held
            assert _never_null(table, key), f"{table.name}: the key holding its brand may be null"
            assert key.referred_table.name in sure, f"{table.name}: {key.referred_table.name}"
        sure.add(table.name)


def test_the_brand_comes_first_in_each_primary_key() -> None:
    """`Branded.brand_id` is a declared attribute, placed first all the same: identities
    (`session.get(Model, (brand_id, id))`) and the primary key's index are brand first."""
    for mapper in Base.registry.mappers:
        if issubclass(mapper.class_, Branded):
            table = mapper.local_table
            assert table.primary_key.columns.keys()[0] == "brand_id", table.name
