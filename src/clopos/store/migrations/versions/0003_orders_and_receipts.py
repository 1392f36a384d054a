"""Orders and receipts: orders and their lines, venue order modes, receipts with their lines,
modifiers and payments, storages, stock levels and stock operations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

# The models' `int`: 64-bit, but INTEGER on SQLite (already 64-bit there, and only an
# INTEGER PRIMARY KEY autoincrements).
INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "storages",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_storages_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_storages")),
    )
    op.create_table(
        "venue_order_modes",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("venue_id", INT64, nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("accept_after_seconds", INT64, nullable=True),
        sa.ForeignKeyConstraint(
            ["brand_id", "venue_id"],
            ["venues.brand_id", "venues.id"],
            name=op.f("fk_venue_order_modes_brand_id_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_venue_order_modes_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "venue_id", name=op.f("pk_venue_order_modes")),
    )
    op.create_table(
        "orders",
        sa.Column("venue_id", INT64, nullable=False),
        sa.Column("sale_type_id", INT64, nullable=False),
        sa.Column("customer_id", INT64, nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("integration", sa.String(length=64), nullable=False),
        sa.Column("integration_uuid", sa.String(length=64), nullable=True),
        sa.Column("integration_id", sa.String(length=64), nullable=True),
        sa.Column("customer_ref_id", sa.String(length=64), nullable=True),
        sa.Column("integration_status", sa.String(length=32), nullable=False),
        sa.Column("integration_response", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("order_number", sa.String(length=20), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("subtotal", sa.Double(), nullable=False),
        sa.Column("total_discount", sa.Double(), nullable=False),
        sa.Column("service_charge_value", sa.Double(), nullable=False),
        sa.Column("delivery_fee", sa.Double(), nullable=False),
        sa.Column("total", sa.Double(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("receipt_id", INT64, nullable=True),
        sa.Column("accept_at", sa.DateTime(), nullable=True),
        sa.Column("version", INT64, nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "sale_type_id"],
            ["sale_types.brand_id", "sale_types.id"],
            name=op.f("fk_orders_brand_id_sale_type_id_sale_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "venue_id"],
            ["venues.brand_id", "venues.id"],
            name=op.f("fk_orders_brand_id_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_orders_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_orders")),
        sa.UniqueConstraint(
            "brand_id", "integration_uuid", name=op.f("uq_orders_brand_id_integration_uuid")
        ),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_accept_at", ["accept_at"], unique=False)
        batch_op.create_index("ix_orders_brand_created", ["brand_id", "created_at"], unique=False)
        batch_op.create_index("ix_orders_brand_status", ["brand_id", "status"], unique=False)

    op.create_table(
        "receipts",
        sa.Column("venue_id", INT64, nullable=False),
        sa.Column("cid", sa.String(length=36), nullable=False),
        sa.Column("order_id", INT64, nullable=True),
        sa.Column("customer_id", INT64, nullable=True),
        sa.Column("sale_type_id", INT64, nullable=True),
        sa.Column("user_id", INT64, nullable=True),
        sa.Column("terminal_id", INT64, nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("guests", INT64, nullable=False),
        sa.Column("status", INT64, nullable=False),
        sa.Column("order_status", sa.String(length=16), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=True),
        sa.Column("lock", sa.Boolean(), nullable=False),
        sa.Column("subtotal", sa.Double(), nullable=False),
        sa.Column("original_subtotal", sa.Double(), nullable=False),
        sa.Column("gift_total", sa.Double(), nullable=False),
        sa.Column("discount_type", INT64, nullable=False),
        sa.Column("discount_value", sa.Double(), nullable=False),
        sa.Column("discount_rate", sa.Double(), nullable=False),
        sa.Column("total_discount", sa.Double(), nullable=False),
        sa.Column("service_charge", sa.Double(), nullable=False),
        sa.Column("service_charge_value", sa.Double(), nullable=False),
        sa.Column("delivery_fee", sa.Double(), nullable=False),
        sa.Column("i_tax", sa.Double(), nullable=False),
        sa.Column("e_tax", sa.Double(), nullable=False),
        sa.Column("total_tax", sa.Double(), nullable=False),
        sa.Column("total", sa.Double(), nullable=False),
        sa.Column("remaining", sa.Double(), nullable=False),
        sa.Column("by_cash", sa.Double(), nullable=False),
        sa.Column("by_card", sa.Double(), nullable=False),
        sa.Column("fiscal_id", sa.String(length=128), nullable=True),
        sa.Column("loyalty_type", INT64, nullable=True),
        sa.Column("loyalty_value", sa.Double(), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("version", INT64, nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "sale_type_id"],
            ["sale_types.brand_id", "sale_types.id"],
            name=op.f("fk_receipts_brand_id_sale_type_id_sale_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "venue_id"],
            ["venues.brand_id", "venues.id"],
            name=op.f("fk_receipts_brand_id_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_receipts_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_receipts")),
        sa.UniqueConstraint("brand_id", "cid", name=op.f("uq_receipts_brand_id_cid")),
    )
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.create_index("ix_receipts_brand_created", ["brand_id", "created_at"], unique=False)
        batch_op.create_index("ix_receipts_brand_status", ["brand_id", "status"], unique=False)

    op.create_table(
        "stocks",
        sa.Column("storage_id", INT64, nullable=False),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.Column("cost", sa.Double(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_stocks_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "storage_id"],
            ["storages.brand_id", "storages.id"],
            name=op.f("fk_stocks_brand_id_storage_id_storages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_stocks_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_stocks")),
        sa.UniqueConstraint(
            "brand_id",
            "storage_id",
            "product_id",
            name=op.f("uq_stocks_brand_id_storage_id_product_id"),
        ),
    )
    op.create_table(
        "order_products",
        sa.Column("order_id", INT64, nullable=False),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Double(), nullable=False),
        sa.Column("portion_size", sa.Double(), nullable=False),
        sa.Column("price", sa.Double(), nullable=False),
        sa.Column("total", sa.Double(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("product_hash", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("modifiers", sa.JSON(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "order_id"],
            ["orders.brand_id", "orders.id"],
            name=op.f("fk_order_products_brand_id_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_order_products_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_order_products_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_order_products")),
    )
    with op.batch_alter_table("order_products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_order_products_brand_order", ["brand_id", "order_id"], unique=False
        )

    op.create_table(
        "receipt_payments",
        sa.Column("receipt_id", INT64, nullable=False),
        sa.Column("payment_method_id", INT64, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.Double(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "receipt_id"],
            ["receipts.brand_id", "receipts.id"],
            name=op.f("fk_receipt_payments_brand_id_receipt_id_receipts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_receipt_payments_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_receipt_payments")),
    )
    with op.batch_alter_table("receipt_payments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_receipt_payments_brand_receipt", ["brand_id", "receipt_id"], unique=False
        )

    op.create_table(
        "receipt_products",
        sa.Column("receipt_id", INT64, nullable=False),
        sa.Column("cid", sa.String(length=36), nullable=False),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("count", sa.Double(), nullable=False),
        sa.Column("portion_size", sa.Double(), nullable=False),
        sa.Column("price", sa.Double(), nullable=False),
        sa.Column("subtotal", sa.Double(), nullable=False),
        sa.Column("total", sa.Double(), nullable=False),
        sa.Column("cost", sa.Double(), nullable=False),
        sa.Column("is_gift", INT64, nullable=False),
        sa.Column("discount_type", INT64, nullable=False),
        sa.Column("discount_value", sa.Double(), nullable=False),
        sa.Column("discount_rate", sa.Double(), nullable=False),
        sa.Column("total_discount", sa.Double(), nullable=False),
        sa.Column("receipt_discount", sa.Double(), nullable=False),
        sa.Column("loyalty_type", INT64, nullable=True),
        sa.Column("loyalty_value", sa.Double(), nullable=True),
        sa.Column("product_hash", sa.String(length=200), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_receipt_products_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "receipt_id"],
            ["receipts.brand_id", "receipts.id"],
            name=op.f("fk_receipt_products_brand_id_receipt_id_receipts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_receipt_products_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_receipt_products")),
    )
    with op.batch_alter_table("receipt_products", schema=None) as batch_op:
        batch_op.create_index(
            "ix_receipt_products_brand_receipt", ["brand_id", "receipt_id"], unique=False
        )

    op.create_table(
        "stock_operations",
        sa.Column("receipt_id", INT64, nullable=True),
        sa.Column("receipt_product_id", INT64, nullable=True),
        sa.Column("operation_id", INT64, nullable=True),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("stock_id", INT64, nullable=False),
        sa.Column("storage_id", INT64, nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.Column("before_quantity", sa.Double(), nullable=False),
        sa.Column("after_quantity", sa.Double(), nullable=False),
        sa.Column("cost", sa.Double(), nullable=False),
        sa.Column("before_cost", sa.Double(), nullable=False),
        sa.Column("total_cost", sa.Double(), nullable=False),
        sa.Column("operated_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_stock_operations_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "stock_id"],
            ["stocks.brand_id", "stocks.id"],
            name=op.f("fk_stock_operations_brand_id_stock_id_stocks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_stock_operations_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_stock_operations")),
    )
    with op.batch_alter_table("stock_operations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stock_operations_brand_receipt", ["brand_id", "receipt_id"], unique=False
        )

    op.create_table(
        "receipt_product_modifiers",
        sa.Column("receipt_id", INT64, nullable=False),
        sa.Column("receipt_product_id", INT64, nullable=False),
        sa.Column("modifier_id", INT64, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Double(), nullable=False),
        sa.Column("portion_size", sa.Double(), nullable=False),
        sa.Column("price", sa.Double(), nullable=False),
        sa.Column("total", sa.Double(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "modifier_id"],
            ["modifiers.brand_id", "modifiers.id"],
            name=op.f("fk_receipt_product_modifiers_brand_id_modifier_id_modifiers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "receipt_id"],
            ["receipts.brand_id", "receipts.id"],
            name=op.f("fk_receipt_product_modifiers_brand_id_receipt_id_receipts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "receipt_product_id"],
            ["receipt_products.brand_id", "receipt_products.id"],
            name=op.f("fk_receipt_product_modifiers_brand_id_receipt_product_id_receipt_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_receipt_product_modifiers_brand_id_brands")
        ),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_receipt_product_modifiers")),
    )
    with op.batch_alter_table("receipt_product_modifiers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_receipt_product_modifiers_brand_receipt", ["brand_id", "receipt_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("receipt_product_modifiers", schema=None) as batch_op:
        batch_op.drop_index("ix_receipt_product_modifiers_brand_receipt")

    op.drop_table("receipt_product_modifiers")
    with op.batch_alter_table("stock_operations", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_operations_brand_receipt")

    op.drop_table("stock_operations")
    with op.batch_alter_table("receipt_products", schema=None) as batch_op:
        batch_op.drop_index("ix_receipt_products_brand_receipt")

    op.drop_table("receipt_products")
    with op.batch_alter_table("receipt_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_receipt_payments_brand_receipt")

    op.drop_table("receipt_payments")
    with op.batch_alter_table("order_products", schema=None) as batch_op:
        batch_op.drop_index("ix_order_products_brand_order")

    op.drop_table("order_products")
    op.drop_table("stocks")
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_index("ix_receipts_brand_status")
        batch_op.drop_index("ix_receipts_brand_created")

    op.drop_table("receipts")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_brand_status")
        batch_op.drop_index("ix_orders_brand_created")
        batch_op.drop_index("ix_orders_accept_at")

    op.drop_table("orders")
    op.drop_table("venue_order_modes")
    op.drop_table("storages")
