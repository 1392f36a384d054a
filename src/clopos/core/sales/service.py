"""Sale types (dine-in, delivery, takeaway) and payment methods."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
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
from clopos.core.readmodel import ReadModel, Row
from clopos.core.sales.table import PaymentMethod, SaleType
from clopos.schemas import sales as wire

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


def _balance(method: Row) -> dict[str, Any] | None:
    """The stored `{id, system_type, name, type}` with the account's amount, position and
    timestamps (the method's own, unless the data gives them)."""
    balance: dict[str, Any] | None = method.balance
    if not balance:
        return balance
    return {
        **balance,
        "amount": balance.get("amount", 0),
        "position": balance.get("position", 0),
        "created_at": balance.get("created_at") or iso(method.created_at),
        "updated_at": balance.get("updated_at") or iso(method.updated_at),
    }


PAYMENT_METHOD = ReadModel(
    PaymentMethod,
    wire.PaymentMethod,
    computed={
        "balance_id": lambda row: row.balance.get("id") if row.balance else None,
        "balance": _balance,
    },
    inputs=("balance",),
    dates=iso,
)
SALE_TYPE = ReadModel(SaleType, wire.SaleType, relations=("payment_method",), dates=iso)

# The ids a page is chosen from: templates for `fetch_page`, built once.
_BRAND_SALE_TYPES = select(SaleType.id).where(
    SaleType.brand_id == bindparam("brand_id"), SaleType.deleted_at.is_(None)
)
_BRAND_PAYMENT_METHODS = select(PaymentMethod.id).where(
    PaymentMethod.brand_id == bindparam("brand_id"), PaymentMethod.deleted_at.is_(None)
)


def list_sale_types(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    page = fetch_page(session, SALE_TYPE_SPEC, query, _BRAND_SALE_TYPES, {"brand_id": brand_id})
    items = SALE_TYPE.rendered(session, brand_id, page.rows)
    if "payment_method" not in relation_names(query.relations):
        return Page(items, page.total)
    # The sale types' methods, deleted ones too.
    wanted = sorted({item["payment_method_id"] for item in items if item["payment_method_id"]})
    methods = {m["id"]: m for m in PAYMENT_METHOD.rendered(session, brand_id, wanted)}
    related = [{**item, "payment_method": methods.get(item["payment_method_id"])} for item in items]
    return Page(related, page.total)


def list_payment_methods(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    page = fetch_page(
        session, PAYMENT_METHOD_SPEC, query, _BRAND_PAYMENT_METHODS, {"brand_id": brand_id}
    )
    return Page(PAYMENT_METHOD.rendered(session, brand_id, page.rows), page.total)
