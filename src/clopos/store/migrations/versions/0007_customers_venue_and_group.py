"""Customers stored without a venue or group get the ones new customers get: the brand's
main venue and its system group "My Customers", made where the brand has none (issue 8).

Clients that parse customers strictly (integrify-clopos among them) need both as integers;
the service has answered them for every customer made since revision 0004, and this brings
the older rows in line.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

# `clopos.core.customers.service.MY_CUSTOMERS`, copied: a migration keeps the value it was
# written with even if the code's constant changes later.
MY_CUSTOMERS = "my_customers"


def upgrade() -> None:
    bind = op.get_bind()
    # The brand's first venue is its main one, as `main_venue_id` chooses for new customers.
    op.execute(
        "UPDATE customers SET venue_id ="
        " (SELECT min(venues.id) FROM venues WHERE venues.brand_id = customers.brand_id)"
        " WHERE venue_id IS NULL"
    )
    brands = bind.execute(
        sa.text("SELECT DISTINCT brand_id FROM customers WHERE group_id IS NULL")
    ).scalars()
    for brand in list(brands):
        op.execute(
            sa.text(
                "UPDATE customers SET group_id = :g WHERE brand_id = :b AND group_id IS NULL"
            ).bindparams(g=_system_group(bind, brand), b=brand)
        )


def _system_group(bind: sa.Connection, brand: int) -> int:
    """The brand's "My Customers" group id, creating the group (and moving the brand's id
    sequence past it) when there is none, as `system_group_id` does at run time."""
    key = {"b": brand}
    found = bind.execute(
        sa.text("SELECT min(id) FROM customer_groups WHERE brand_id = :b AND system_type = :s"),
        {**key, "s": MY_CUSTOMERS},
    ).scalar()
    if found is not None:
        return int(found)
    taken = bind.execute(
        sa.text("SELECT max(id) FROM customer_groups WHERE brand_id = :b"), key
    ).scalar()
    counted = bind.execute(
        sa.text("SELECT last_value FROM id_sequences WHERE brand_id = :b AND name = :n"),
        {**key, "n": "customer_groups"},
    ).scalar()
    group = max(int(taken or 0), int(counted or 0)) + 1
    now = datetime.now(UTC).replace(tzinfo=None)
    bind.execute(
        sa.text(
            "INSERT INTO customer_groups (brand_id, id, name, discount_value, system_type,"
            " total_amount, created_at, updated_at) VALUES (:b, :id, 'My Customers', 0, :s, 0,"
            " :now, :now)"
        ).bindparams(sa.bindparam("now", type_=sa.DateTime())),
        {**key, "id": group, "s": MY_CUSTOMERS, "now": now},
    )
    if counted is None:
        bind.execute(
            sa.text("INSERT INTO id_sequences (brand_id, name, last_value) VALUES (:b, :n, :v)"),
            {**key, "n": "customer_groups", "v": group},
        )
    else:
        bind.execute(
            sa.text("UPDATE id_sequences SET last_value = :v WHERE brand_id = :b AND name = :n"),
            {**key, "n": "customer_groups", "v": group},
        )
    return group


def downgrade() -> None:
    # Nothing to undo in the schema; which rows were filled in is not recorded, and the
    # values are valid for every revision down to 0001.
    pass
