"""The declarative base and column helpers every model module shares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    # Every column in the name: PostgreSQL wants constraint names unique, and composite keys
    # (brand_id, ...) would otherwise all be named after brand_id.
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def json_text(value: Any) -> str:
    """A JSON column's value as the database is given it (the engines' `json_serializer`).
    orjson: JSON columns (menus are full of them) decode and encode several times faster."""
    return orjson.dumps(value).decode()


def dialect_insert(bind: Session | Connection) -> Any:
    """The backend's own `insert` (PostgreSQL's or SQLite's), which has `ON CONFLICT`."""
    dialect = bind.dialect if isinstance(bind, Connection) else bind.get_bind().dialect
    return postgresql.insert if dialect.name == "postgresql" else sqlite.insert


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored without zone and always read back as UTC (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        # SQLite hands back the stored text; SQLAlchemy's own parser (a regular expression)
        # cost more than the rest of a product page together. `fromisoformat` reads the
        # format SQLAlchemy stores (`2026-11-27 20:23:28.123456`) in C.
        def parse(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)

        return parse


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
        # 64-bit everywhere: PostgreSQL's INTEGER is 32-bit, SQLite's is already 64-bit
        # (and there only INTEGER PRIMARY KEY columns autoincrement).
        int: BigInteger().with_variant(Integer(), "sqlite"),
    }


# The `info` key of a composite foreign key (`brand_fk`) that holds its row's brand.
HOLDS_BRAND = "holds_brand"


class Branded:
    """A row of one brand: `brand_id` first in its primary key.

    Its brand must exist. A row that refers to another of its brand's rows by a key whose
    columns are never null (`brand_fk(..., holds_brand=True)`) has it through that row,
    which has its brand in turn: its `brand_id` then has no foreign key of its own to
    `brands`, which would only check again what that key checks. Each such check costs a
    row added a lookup of the brand (and PostgreSQL checks it on every update of a row its
    own transaction changed before, as a batch of closes does: docs/performance.md).
    tests/store/test_brand_keys.py holds every table to this rule."""

    @declared_attr
    def brand_id(cls) -> Mapped[int]:
        arguments = getattr(cls, "__table_args__", ())
        held = any(getattr(argument, "info", {}).get(HOLDS_BRAND) for argument in arguments)
        # First of the table's columns, so first in its primary key (identities and the
        # key's index are brand first); a declared attribute comes after the plain ones.
        if held:
            return mapped_column(primary_key=True, sort_order=-1)
        return mapped_column(ForeignKey("brands.id"), primary_key=True, sort_order=-1)


class Tenant(Branded):
    """A brand-owned row: ids count from 1 within each brand, as on Clopos, where every
    brand has its own database. Relations are plain columns with composite foreign keys and
    no ORM relationships: services load related rows in batches."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TimestampedDeletable:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


def brand_fk(*columns: str, target: str, holds_brand: bool = False) -> ForeignKeyConstraint:
    """A composite foreign key (brand_id, <column>) to another tenant-owned table.
    `holds_brand`: the row has its brand through this key (`Branded`); its columns are
    never null."""
    return ForeignKeyConstraint(
        ["brand_id", *columns],
        [f"{target}.brand_id", f"{target}.id"],
        ondelete="CASCADE",
        info={HOLDS_BRAND: True} if holds_brand else {},
    )
