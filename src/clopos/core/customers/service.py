"""Customers and customer groups: listing, lookup and creation with uniqueness checks."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import String, Table, bindparam, cast, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clopos.core.customers.table import Customer, CustomerGroup
from clopos.core.errors import ValidationFailed, conflict, not_found
from clopos.core.formats import iso
from clopos.core.listing import (
    ListSpec,
    Page,
    contains,
    equals_text,
    fetch_page,
    integers,
    relation_names,
)
from clopos.core.query import ListQuery, Paging
from clopos.core.readmodel import ReadModel
from clopos.core.sales.table import PaymentMethod
from clopos.core.venues.service import main_venue_id
from clopos.schemas import customers as wire
from clopos.store.direct import Direct
from clopos.store.sequences import next_ids, reserve_id
from clopos.store.uow import connection_of, insert_rows, savepoint

GROUP_SPEC = ListSpec(
    paging=Paging(maximum=200),
    id_column=CustomerGroup.id,
    sorts={
        "id": CustomerGroup.id,
        "name": CustomerGroup.name,
        "discount_type": CustomerGroup.discount_type,
        "discount_value": CustomerGroup.discount_value,
        "total_amount": CustomerGroup.total_amount,
        "created_at": CustomerGroup.created_at,
        "updated_at": CustomerGroup.updated_at,
        "deleted_at": CustomerGroup.deleted_at,
    },
    filters={
        "id": integers(CustomerGroup.id),
        "name": contains(CustomerGroup.name),
        "system_type": equals_text(CustomerGroup.system_type),
    },
    date_column=CustomerGroup.created_at,
)

SPEC = ListSpec(
    paging=Paging(maximum=999),
    id_column=Customer.id,
    sorts={
        "id": Customer.id,
        "cid": Customer.cid,
        "group_id": Customer.group_id,
        "name": Customer.name,
        "email": Customer.email,
        "address": Customer.address,
        "created_at": Customer.created_at,
        "updated_at": Customer.updated_at,
    },
    filters={
        "id": integers(Customer.id),
        "name": contains(Customer.name),
        # `phones` searches every number the customer has, the main one included.
        "phones": contains(cast(Customer.phones, String), Customer.phone),
        "group_id": integers(Customer.group_id),
    },
    # v2 documents `group` only; v1 clients also send `balance` and `cashback_balance`, and
    # answering them on both versions costs nothing (compatibility.md).
    relations=frozenset({"group", "balance", "cashback_balance"}),
    date_column=Customer.created_at,
)


# `discount_type` is stored in the column `discount_kind` (the old text column's name was
# `discount_type`).
GROUP = ReadModel(
    CustomerGroup,
    wire.CustomerGroup,
    computed={"discount_type": lambda row: row.discount_kind},
    inputs=("discount_kind",),
    dates=iso,
)
# The v2 customer object plus the v1 fields that cost nothing to keep: `addresses` is v1's
# name for `address_data`. The amounts the balance accounts hold show only in them.
CUSTOMER = ReadModel(
    Customer,
    wire.Customer,
    computed={"addresses": lambda row: row.address_data},
    relations=("group", "balance", "cashback_balance"),
    hidden=("balance_amount", "bonus_amount", "cashback_amount"),
    dates=iso,
)


# The system group every brand's customers fall in unless given another (reference 2.3).
MY_CUSTOMERS = "my_customers"


def _balance(
    customer: dict[str, Any], balance_id: int | None, kind: str, amount: float
) -> dict[str, Any] | None:
    """A customer's balance account as the v1 example shows it (`name: "CUSTOMER:"`)."""
    if balance_id is None:
        return None
    return {
        "id": balance_id,
        "system_type": kind,
        "venue_id": customer["venue_id"],
        "name": f"{kind}:",
        "description": None,
        "type": kind,
        "amount": amount,
        "position": 0,
        "created_at": customer["created_at"],
        "updated_at": customer["updated_at"],
        "deleted_at": None,
    }


# Customer creation's reads, compiled once and run on the driver (store/direct.py): through
# the ORM each cost more than the database's work on them.
_GROUPS: Table = CustomerGroup.__table__  # type: ignore[assignment]
_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_SYSTEM_GROUP = Direct(
    select(_GROUPS.c.id)
    .where(_GROUPS.c.brand_id == bindparam("brand_id"), _GROUPS.c.system_type == MY_CUSTOMERS)
    .order_by(_GROUPS.c.id)
    .limit(1)
)


@functools.cache
def _holders(names: frozenset[str]) -> Direct:
    """Who holds any of the values of `names` (phone, code, cid): one statement for each
    set of names, each term answered by its column's unique index."""
    return Direct(
        select(_CUSTOMERS.c.phone, _CUSTOMERS.c.code, _CUSTOMERS.c.cid).where(
            _CUSTOMERS.c.brand_id == bindparam("brand_id"),
            or_(*(_CUSTOMERS.c[name] == bindparam(name) for name in sorted(names))),
        )
    )


def system_group_id(session: Session, brand_id: int) -> int:
    """The brand's "My Customers" group, made on first need (a write)."""
    found = _SYSTEM_GROUP.scalar(connection_of(session), {"brand_id": brand_id})
    if found is not None:
        return int(found)
    group_id = next_ids(session, brand_id, "customer_groups")
    session.add(
        CustomerGroup(brand_id=brand_id, id=group_id, name="My Customers", system_type=MY_CUSTOMERS)
    )
    session.flush()
    return group_id


def open_balances(session: Session, brand_id: int) -> dict[str, int]:
    """Ids for a new customer's balance, bonus and cashback accounts. A brand's first ones
    continue past the accounts it already has (customers numbered by migration 0004, payment
    methods' accounts)."""
    first = next_ids(session, brand_id, "balances", 3)
    if first == 1:
        taken = session.scalar(
            select(func.max(Customer.cashback_balance_id)).where(Customer.brand_id == brand_id)
        )
        methods = session.scalars(
            select(PaymentMethod.balance).where(PaymentMethod.brand_id == brand_id)
        )
        floor = max(
            [int(taken or 0)]
            + [int(b["id"]) for b in methods if b and isinstance(b.get("id"), int)]
        )
        if floor >= 1:
            reserve_id(session, brand_id, "balances", floor)
            first = next_ids(session, brand_id, "balances", 3)
    return {
        "balance_id": first,
        "bonus_balance_id": first + 1,
        "cashback_balance_id": first + 2,
    }


# The ids a page is chosen from: templates for `fetch_page`, built once.
_BRAND_GROUPS = select(CustomerGroup.id).where(
    CustomerGroup.brand_id == bindparam("brand_id"), CustomerGroup.deleted_at.is_(None)
)
_BRAND_CUSTOMERS = select(Customer.id).where(
    Customer.brand_id == bindparam("brand_id"), Customer.deleted_at.is_(None)
)


def list_groups(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    page = fetch_page(session, GROUP_SPEC, query, _BRAND_GROUPS, {"brand_id": brand_id})
    return Page(GROUP.rendered(session, brand_id, page.rows), page.total)


def _relate(
    session: Session, brand_id: int, rendered: list[dict[str, Any]], relations: Iterable[str]
) -> list[dict[str, Any]]:
    """The customers' answers with the asked relations (copies); as they are without any."""
    names = relation_names(relations) & CUSTOMER.relations
    if not names or not rendered:
        return rendered
    items = [dict(item) for item in rendered]
    if "group" in names:
        wanted = sorted({item["group_id"] for item in items if item["group_id"] is not None})
        groups = {group["id"]: group for group in GROUP.rendered(session, brand_id, wanted)}
        for item in items:
            item["group"] = groups.get(item["group_id"]) if item["group_id"] else None
    if names & {"balance", "cashback_balance"}:
        amounts = {
            row.id: row
            for row in session.execute(
                select(Customer.id, Customer.balance_amount, Customer.cashback_amount).where(
                    Customer.brand_id == brand_id, Customer.id.in_([i["id"] for i in items])
                )
            )
        }
        for item in items:
            held = amounts.get(item["id"])
            if "balance" in names:
                item["balance"] = _balance(
                    item, item["balance_id"], "CUSTOMER", held.balance_amount if held else 0
                )
            if "cashback_balance" in names:
                item["cashback_balance"] = _balance(
                    item,
                    item["cashback_balance_id"],
                    "CASHBACK",
                    held.cashback_amount if held else 0,
                )
    return items


def list_customers(session: Session, brand_id: int, query: ListQuery) -> Page[dict[str, Any]]:
    page = fetch_page(session, SPEC, query, _BRAND_CUSTOMERS, {"brand_id": brand_id})
    rendered = CUSTOMER.rendered(session, brand_id, page.rows)
    return Page(_relate(session, brand_id, rendered, query.relations), page.total)


def get_customer(
    session: Session, brand_id: int, customer_id: int, relations: Iterable[str] = ()
) -> dict[str, Any]:
    found = CUSTOMER.rows(session, brand_id, [customer_id])
    if not found or found[0].deleted_at is not None:
        raise not_found("Customer not found")
    return _relate(session, brand_id, [CUSTOMER.render(found[0])], relations)[0]


_DUPLICATES = (
    ("phone", "duplicate_phone", "Customer with this phone number already exists"),
    ("code", "duplicate_code", "Customer with this code already exists"),
    ("cid", "duplicate_cid", "Customer with this cid already exists"),
)


def check_unique(session: Session, brand_id: int, fields: dict[str, Any]) -> None:
    """409 naming the first unique field (phone, code, cid) another customer already holds."""
    wanted = {name: fields[name] for name, _, _ in _DUPLICATES if fields.get(name) is not None}
    if not wanted:
        return
    rows = _holders(frozenset(wanted)).rows(
        connection_of(session), {"brand_id": brand_id, **wanted}
    )
    taken: dict[str, set[Any]] = {name: set() for name in ("phone", "code", "cid")}
    for phone, code, cid in rows:
        taken["phone"].add(phone)
        taken["code"].add(code)
        taken["cid"].add(cid)
    for name, error, message in _DUPLICATES:
        if fields.get(name) is not None and fields[name] in taken[name]:
            raise conflict(message, error)


def create_customer(
    session: Session, brand_id: int, venue_id: int | None, given: Mapping[str, Any]
) -> dict[str, Any]:
    """Insert a customer from the fields its body gave (checked at the edge: `name`, and any
    of `email`, `phone`, `code`, `cid`, `description`, `group_id`, `gender`,
    `date_of_birth`), with a generated `cid` unless given; answer it with its group."""
    fields = dict(given)
    cid, born = fields.get("cid"), fields.get("date_of_birth")
    fields["cid"] = str(cid) if cid is not None else str(uuid.uuid4())
    if born is not None:
        fields["date_of_birth"] = born.isoformat()
    group_id, phone = fields.get("group_id"), fields.get("phone")
    check_unique(session, brand_id, fields)
    if group_id is not None and session.get(CustomerGroup, (brand_id, group_id)) is None:
        raise ValidationFailed("The selected group id is invalid.")
    if group_id is None:
        fields["group_id"] = system_group_id(session, brand_id)
    row = {
        "brand_id": brand_id,
        "id": next_ids(session, brand_id, "customers"),
        "venue_id": venue_id if venue_id is not None else main_venue_id(session, brand_id),
        **open_balances(session, brand_id),
        "phones": [phone] if phone else [],
        "address_data": [],
        **{key: value for key, value in fields.items() if key != "phones"},
    }
    try:
        with savepoint(session):  # a concurrent insert loses here, not with a 500
            # Past the ORM (store/uow.py): its flush cost more than the rest of the write.
            (inserted,) = insert_rows(session, _CUSTOMERS, [row])
    except IntegrityError:
        check_unique(session, brand_id, fields)
        raise
    # The v1 notes: group info included when a group_id is given.
    relations = ("group",) if group_id is not None else ()
    customer = CUSTOMER.render(SimpleNamespace(**inserted))
    return _relate(session, brand_id, [customer], relations)[0]
