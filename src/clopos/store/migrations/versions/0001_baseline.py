"""Baseline: the schema of release 0.1.0, as `Base.metadata.create_all` made it (commit 676d03f).

Written out table by table so that later changes to the models never change this history.
Databases created by the release have these tables but no `alembic_version`; start-up and
`clopos db upgrade` recognise them and stamp them with this revision (see store/schema.py).
Constraints are listed in the order create_all wrote them, so that even SQLite's stored
`CREATE TABLE` texts are the release's.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# The models' `int`: 64-bit, but INTEGER on SQLite (already 64-bit there, and only an
# INTEGER PRIMARY KEY autoincrements).
INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# The release's tables, in creation order (every foreign key points to an earlier one).
TABLES = (
    "access_state",
    "audit_events",
    "brands",
    "idempotency_keys",
    "integrators",
    "signing_keys",
    "api_clients",
    "categories",
    "customer_groups",
    "id_sequences",
    "modifier_groups",
    "payment_methods",
    "price_lists",
    "stations",
    "tags",
    "taxes",
    "units",
    "users",
    "venues",
    "customers",
    "products",
    "sale_types",
    "modifiers",
    "packages",
    "price_list_prices",
    "product_codes",
    "product_modifier_groups",
    "product_tags",
    "product_taxes",
    "recipe_items",
    "stop_list",
)


def upgrade() -> None:
    op.create_table(
        "access_state",
        sa.Column("id", INT64, nullable=False),
        sa.Column("revision", INT64, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_state")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", INT64, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("status", INT64, nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("brand", sa.String(length=64), nullable=True),
        sa.Column("venue_id", sa.String(length=32), nullable=True),
        sa.Column("integrator_id", sa.String(length=64), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=True),
        sa.Column("path", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index("ix_audit_events_client_at", "audit_events", ["client_id", "at"], unique=False)
    op.create_table(
        "brands",
        sa.Column("id", INT64, nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brands")),
        sa.UniqueConstraint("slug", name=op.f("uq_brands_slug")),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", INT64, nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index(
        op.f("ix_idempotency_keys_created_at"), "idempotency_keys", ["created_at"], unique=False
    )
    op.create_table(
        "integrators",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_test", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrators")),
    )
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(length=32), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("secret", sa.LargeBinary(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_signing_keys")),
    )
    op.create_table(
        "api_clients",
        sa.Column("id", INT64, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("token_epoch", INT64, nullable=False),
        sa.Column("secret_id", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(length=64), nullable=False),
        sa.Column("pending_secret_id", sa.String(length=32), nullable=True),
        sa.Column("pending_secret_hash", sa.LargeBinary(length=64), nullable=True),
        sa.Column("rotation_started_at", sa.DateTime(), nullable=True),
        sa.Column("venue_ids", sa.JSON(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("default_venue_id", INT64, nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_clients")),
        sa.UniqueConstraint("client_id", name=op.f("uq_api_clients_client_id")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_api_clients_brand_id_brands")
        ),
    )
    op.create_index(op.f("ix_api_clients_brand_id"), "api_clients", ["brand_id"], unique=False)
    op.create_table(
        "categories",
        sa.Column("parent_id", INT64, nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("color", sa.String(length=16), nullable=True),
        sa.Column("status", INT64, nullable=False),
        sa.Column("position", INT64, nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_categories")),
        sa.ForeignKeyConstraint(
            ["brand_id", "parent_id"],
            ["categories.brand_id", "categories.id"],
            name=op.f("fk_categories_brand_id_parent_id_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_categories_brand_id_brands")
        ),
    )
    op.create_table(
        "customer_groups",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("discount_type", sa.String(length=32), nullable=True),
        sa.Column("discount_value", sa.Double(), nullable=False),
        sa.Column("system_type", sa.String(length=64), nullable=True),
        sa.Column("total_amount", sa.Double(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_customer_groups")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_customer_groups_brand_id_brands")
        ),
    )
    op.create_table(
        "id_sequences",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("last_value", INT64, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "name", name=op.f("pk_id_sequences")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_id_sequences_brand_id_brands")
        ),
    )
    op.create_table(
        "modifier_groups",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", INT64, nullable=False),
        sa.Column("min_select", INT64, nullable=False),
        sa.Column("max_select", INT64, nullable=False),
        sa.Column("status", INT64, nullable=False),
        sa.Column("adjust_to_portion", sa.Boolean(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_modifier_groups")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_modifier_groups_brand_id_brands")
        ),
    )
    op.create_table(
        "payment_methods",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.JSON(), nullable=False),
        sa.Column("split", INT64, nullable=False),
        sa.Column("position", INT64, nullable=False),
        sa.Column("customer_required", INT64, nullable=False),
        sa.Column("is_system", INT64, nullable=False),
        sa.Column("balance", sa.JSON(), nullable=True),
        sa.Column("service", sa.JSON(), nullable=True),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_payment_methods")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_payment_methods_brand_id_brands")
        ),
    )
    op.create_table(
        "price_lists",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.Boolean(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_price_lists")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_price_lists_brand_id_brands")
        ),
    )
    op.create_table(
        "stations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", INT64, nullable=False),
        sa.Column("type", INT64, nullable=False),
        sa.Column("printable", INT64, nullable=False),
        sa.Column("reminder_enabled", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_stations")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_stations_brand_id_brands")
        ),
    )
    op.create_table(
        "tags",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_tags")),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_tags_brand_id_brands")),
    )
    op.create_table(
        "taxes",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rate", sa.Double(), nullable=False),
        sa.Column("type_id", INT64, nullable=True),
        sa.Column("rounding_option", sa.String(length=32), nullable=False),
        sa.Column("priority", INT64, nullable=False),
        sa.Column("calculation_type", INT64, nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("status", INT64, nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_taxes")),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_taxes_brand_id_brands")),
    )
    op.create_table(
        "units",
        sa.Column("parent_id", INT64, nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("symbol", sa.String(length=16), nullable=False),
        sa.Column("equal", sa.Double(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_units")),
        sa.ForeignKeyConstraint(
            ["brand_id", "parent_id"],
            ["units.brand_id", "units.id"],
            name=op.f("fk_units_brand_id_parent_id_units"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_units_brand_id_brands")),
    )
    op.create_table(
        "users",
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("pin", sa.String(length=16), nullable=True),
        sa.Column("card", sa.String(length=64), nullable=True),
        sa.Column("mobile_number", sa.String(length=64), nullable=True),
        sa.Column("owner", INT64, nullable=False),
        sa.Column("hide", INT64, nullable=False),
        sa.Column("salary", sa.Double(), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("tip_message", sa.String(length=500), nullable=True),
        sa.Column("can_receive_tips", sa.Boolean(), nullable=False),
        sa.Column("login_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.Boolean(), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_users")),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], name=op.f("fk_users_brand_id_brands")),
    )
    op.create_table(
        "venues",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_main", sa.Boolean(), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("status", INT64, nullable=False),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_venues")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_venues_brand_id_brands")
        ),
    )
    op.create_table(
        "customers",
        sa.Column("cid", sa.String(length=36), nullable=False),
        sa.Column("venue_id", INT64, nullable=True),
        sa.Column("group_id", INT64, nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("address_data", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("discount", sa.Double(), nullable=False),
        sa.Column("spent", sa.Double(), nullable=False),
        sa.Column("total_discount", sa.Double(), nullable=False),
        sa.Column("total_bonus", sa.Double(), nullable=False),
        sa.Column("receipt_count", INT64, nullable=False),
        sa.Column("gender", INT64, nullable=True),
        sa.Column("date_of_birth", sa.String(length=10), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("reference_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.Boolean(), nullable=False),
        sa.Column("can_use_loyalty_system", sa.Boolean(), nullable=False),
        sa.Column("is_verified", sa.Boolean(), nullable=False),
        sa.Column("phone_verified_at", sa.DateTime(), nullable=True),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_customers")),
        sa.ForeignKeyConstraint(
            ["brand_id", "group_id"],
            ["customer_groups.brand_id", "customer_groups.id"],
            name=op.f("fk_customers_brand_id_group_id_customer_groups"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("brand_id", "cid", name=op.f("uq_customers_brand_id_cid")),
        sa.UniqueConstraint("brand_id", "phone", name=op.f("uq_customers_brand_id_phone")),
        sa.UniqueConstraint("brand_id", "code", name=op.f("uq_customers_brand_id_code")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_customers_brand_id_brands")
        ),
    )
    op.create_index("ix_customers_brand_name", "customers", ["brand_id", "name"], unique=False)
    op.create_table(
        "products",
        sa.Column("cid", sa.String(length=36), nullable=False),
        sa.Column("parent_id", INT64, nullable=True),
        sa.Column("category_id", INT64, nullable=True),
        sa.Column("station_id", INT64, nullable=True),
        sa.Column("unit_id", INT64, nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", INT64, nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.Column("gov_code", sa.String(length=64), nullable=True),
        sa.Column("status", INT64, nullable=False),
        sa.Column("hidden", INT64, nullable=False),
        sa.Column("sold_by_weight", sa.Boolean(), nullable=False),
        sa.Column("sold_by_portion", sa.Boolean(), nullable=False),
        sa.Column("discountable", sa.Boolean(), nullable=False),
        sa.Column("giftable", sa.Boolean(), nullable=False),
        sa.Column("ignore_service_charge", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("price", sa.Double(), nullable=False),
        sa.Column("cost_price", sa.Double(), nullable=False),
        sa.Column("cooking_time", INT64, nullable=True),
        sa.Column("inventory_behavior", INT64, nullable=False),
        sa.Column("low_stock", sa.Double(), nullable=True),
        sa.Column("unit_weight", sa.Double(), nullable=True),
        sa.Column("net_output", sa.Double(), nullable=True),
        sa.Column("max_age", INT64, nullable=True),
        sa.Column("markup_rate", sa.Double(), nullable=True),
        sa.Column("color", sa.String(length=16), nullable=True),
        sa.Column("image", sa.JSON(), nullable=True),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("setting", sa.JSON(), nullable=True),
        sa.Column("venues", sa.JSON(), nullable=False),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_products")),
        sa.ForeignKeyConstraint(
            ["brand_id", "parent_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_products_brand_id_parent_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "category_id"],
            ["categories.brand_id", "categories.id"],
            name=op.f("fk_products_brand_id_category_id_categories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "station_id"],
            ["stations.brand_id", "stations.id"],
            name=op.f("fk_products_brand_id_station_id_stations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "unit_id"],
            ["units.brand_id", "units.id"],
            name=op.f("fk_products_brand_id_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("brand_id", "cid", name=op.f("uq_products_brand_id_cid")),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_products_brand_id_brands")
        ),
    )
    op.create_index(
        "ix_products_brand_category", "products", ["brand_id", "category_id"], unique=False
    )
    op.create_index("ix_products_brand_parent", "products", ["brand_id", "parent_id"], unique=False)
    op.create_table(
        "sale_types",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("system_type", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("status", sa.JSON(), nullable=False),
        sa.Column("service_charge_rate", sa.Double(), nullable=True),
        sa.Column("position", INT64, nullable=False),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("payment_method_id", INT64, nullable=True),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_sale_types")),
        sa.ForeignKeyConstraint(
            ["brand_id", "payment_method_id"],
            ["payment_methods.brand_id", "payment_methods.id"],
            name=op.f("fk_sale_types_brand_id_payment_method_id_payment_methods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_sale_types_brand_id_brands")
        ),
    )
    op.create_table(
        "modifiers",
        sa.Column("group_id", INT64, nullable=False),
        sa.Column("ingredient_id", INT64, nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("price", sa.Double(), nullable=False),
        sa.Column("cost_price", sa.Double(), nullable=False),
        sa.Column("brutto", sa.Double(), nullable=False),
        sa.Column("min_count", INT64, nullable=False),
        sa.Column("max_count", INT64, nullable=False),
        sa.Column("default_count", INT64, nullable=False),
        sa.Column("status", INT64, nullable=False),
        sa.Column("position", INT64, nullable=False),
        sa.Column("image", sa.JSON(), nullable=True),
        sa.Column("media", sa.JSON(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_modifiers")),
        sa.ForeignKeyConstraint(
            ["brand_id", "group_id"],
            ["modifier_groups.brand_id", "modifier_groups.id"],
            name=op.f("fk_modifiers_brand_id_group_id_modifier_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "ingredient_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_modifiers_brand_id_ingredient_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_modifiers_brand_id_brands")
        ),
    )
    op.create_table(
        "packages",
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("equal", sa.Double(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_packages")),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_packages_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_packages_brand_id_brands")
        ),
    )
    op.create_table(
        "price_list_prices",
        sa.Column("list_id", INT64, nullable=False),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("price", sa.Double(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_price_list_prices")),
        sa.ForeignKeyConstraint(
            ["brand_id", "list_id"],
            ["price_lists.brand_id", "price_lists.id"],
            name=op.f("fk_price_list_prices_brand_id_list_id_price_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_price_list_prices_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "brand_id",
            "list_id",
            "product_id",
            name=op.f("uq_price_list_prices_brand_id_list_id_product_id"),
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_price_list_prices_brand_id_brands")
        ),
    )
    op.create_table(
        "product_codes",
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("id", INT64, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "id", name=op.f("pk_product_codes")),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_product_codes_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_product_codes_brand_id_brands")
        ),
    )
    op.create_table(
        "product_modifier_groups",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("modifier_group_id", INT64, nullable=False),
        sa.Column("position", INT64, nullable=False),
        sa.PrimaryKeyConstraint(
            "brand_id", "product_id", "modifier_group_id", name=op.f("pk_product_modifier_groups")
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_product_modifier_groups_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "modifier_group_id"],
            ["modifier_groups.brand_id", "modifier_groups.id"],
            name=op.f("fk_product_modifier_groups_brand_id_modifier_group_id_modifier_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_product_modifier_groups_brand_id_brands")
        ),
    )
    op.create_table(
        "product_tags",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("tag_id", INT64, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "product_id", "tag_id", name=op.f("pk_product_tags")),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_product_tags_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "tag_id"],
            ["tags.brand_id", "tags.id"],
            name=op.f("fk_product_tags_brand_id_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_product_tags_brand_id_brands")
        ),
    )
    op.create_table(
        "product_taxes",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("tax_id", INT64, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "product_id", "tax_id", name=op.f("pk_product_taxes")),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_product_taxes_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "tax_id"],
            ["taxes.brand_id", "taxes.id"],
            name=op.f("fk_product_taxes_brand_id_tax_id_taxes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_product_taxes_brand_id_brands")
        ),
    )
    op.create_table(
        "recipe_items",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("dish_id", INT64, nullable=False),
        sa.Column("ingredient_id", INT64, nullable=False),
        sa.Column("gross", sa.Double(), nullable=False),
        sa.Column("net", sa.Double(), nullable=False),
        sa.Column("net_put", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint(
            "brand_id", "dish_id", "ingredient_id", name=op.f("pk_recipe_items")
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "dish_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_recipe_items_brand_id_dish_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id", "ingredient_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_recipe_items_brand_id_ingredient_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_recipe_items_brand_id_brands")
        ),
    )
    op.create_table(
        "stop_list",
        sa.Column("brand_id", INT64, nullable=False),
        sa.Column("product_id", INT64, nullable=False),
        sa.Column("limit", INT64, nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "product_id", name=op.f("pk_stop_list")),
        sa.ForeignKeyConstraint(
            ["brand_id", "product_id"],
            ["products.brand_id", "products.id"],
            name=op.f("fk_stop_list_brand_id_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_stop_list_brand_id_brands")
        ),
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
