"""Sale types (dine-in, delivery, takeaway) and payment methods."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.formats import iso
from clopos.core.listing import (
    ListSpec,
    Page,
    contains,
    fetch_page,
    integers,
    one_of,
    relation_names,
)
from clopos.core.query import ListQuery, Paging
from clopos.core.sales.table import PaymentMethod, SaleType

SYSTEM_TYPES = ("IN", "DELIVERY", "TAKEAWAY")

SALE_TYPE_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=SaleType.id,
    sorts={
        "id": SaleType.id,
        "name": SaleType.name,
        "position": SaleType.position,
        "created_at": SaleType.created_at,
        "updated_at": SaleType.updated_at,
    },
    filters={
        "id": integers(SaleType.id),
        "name": contains(SaleType.name),
        "system_type": one_of(SaleType.system_type, SYSTEM_TYPES),
    },
    relations=frozenset({"payment_method"}),
    date_column=SaleType.created_at,
    default_sort=((SaleType.position, False),),
)

PAYMENT_METHOD_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=PaymentMethod.id,
    sorts={
        "id": PaymentMethod.id,
        "name": PaymentMethod.name,
        "position": PaymentMethod.position,
        "created_at": PaymentMethod.created_at,
        "updated_at": PaymentMethod.updated_at,
    },
    filters={"id": integers(PaymentMethod.id), "name": contains(PaymentMethod.name)},
    date_column=PaymentMethod.created_at,
    default_sort=((PaymentMethod.position, False),),
)


def _balance(method: PaymentMethod, balance: dict[str, Any]) -> dict[str, Any]:
    """The stored `{id, system_type, name, type}` with the account's amount, position and
    timestamps (the method's own, unless the data gives them)."""
    return {
        **balance,
        "amount": balance.get("amount", 0),
        "position": balance.get("position", 0),
        "created_at": balance.get("created_at") or iso(method.created_at),
        "updated_at": balance.get("updated_at") or iso(method.updated_at),
    }


def serialise_payment_method(method: PaymentMethod) -> dict[str, Any]:
    balance = method.balance
    return {
        "id": method.id,
        "name": method.name,
        "status": method.status,
        "split": method.split,
        "position": method.position,
        "customer_required": method.customer_required,
        "is_system": method.is_system,
        "balance_id": balance.get("id") if balance else None,
        "balance": _balance(method, balance) if balance else balance,
        "service": method.service,
        "created_at": iso(method.created_at),
        "updated_at": iso(method.updated_at),
        "deleted_at": iso(method.deleted_at),
    }


def serialise_sale_type(sale_type: SaleType) -> dict[str, Any]:
    return {
        "id": sale_type.id,
        "name": sale_type.name,
        "system_type": sale_type.system_type,
        "channel": sale_type.channel,
        "status": sale_type.status,
        "service_charge_rate": sale_type.service_charge_rate,
        "position": sale_type.position,
        "media": sale_type.media,
        "payment_method_id": sale_type.payment_method_id,
        "created_at": iso(sale_type.created_at),
        "updated_at": iso(sale_type.updated_at),
        "deleted_at": iso(sale_type.deleted_at),
    }


def list_sale_types(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    statement = select(SaleType).where(SaleType.brand_id == brand_id, SaleType.deleted_at.is_(None))
    page = fetch_page(session, SALE_TYPE_SPEC, query, statement)
    items = [serialise_sale_type(row) for row in page.rows]
    if "payment_method" in relation_names(query.relations):
        wanted = {row.payment_method_id for row in page.rows if row.payment_method_id}
        methods = {}
        if wanted:
            rows = session.scalars(
                select(PaymentMethod).where(
                    PaymentMethod.brand_id == brand_id, PaymentMethod.id.in_(wanted)
                )
            )
            methods = {method.id: serialise_payment_method(method) for method in rows}
        for item in items:
            item["payment_method"] = methods.get(item["payment_method_id"])
    return Page(items, page.total)


def list_payment_methods(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    statement = select(PaymentMethod).where(
        PaymentMethod.brand_id == brand_id, PaymentMethod.deleted_at.is_(None)
    )
    page = fetch_page(session, PAYMENT_METHOD_SPEC, query, statement)
    return Page([serialise_payment_method(row) for row in page.rows], page.total)
