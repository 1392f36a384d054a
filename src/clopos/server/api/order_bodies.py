"""The two wire bodies of `POST /orders` (v1's nested payload, v2's flat one) as the core's
one `OrderDraft`."""

from __future__ import annotations

from typing import Any

from clopos.core.orders.draft import LineDraft, ModifierDraft, OrderDraft
from clopos.schemas.orders import CustomerIn, OrderCreateV1, OrderCreateV2


def _customer(customer: CustomerIn | None) -> dict[str, Any]:
    if customer is None:
        return {}
    return customer.model_dump(include={"id", "phone", "address", "customer_discount_type", "name"})


def draft_v2(body: OrderCreateV2) -> OrderDraft:
    discount = body.discount
    charge = body.service_charge
    return OrderDraft(
        venue_id=body.venue_id,
        sale_type_id=body.sale_type_id,
        lines=[
            LineDraft(
                product_id=p.product_id,
                count=p.count,
                portion_size=p.portion_size,
                status=p.status,
                product_hash=p.product_hash,
                note=p.note,
                modifiers=[
                    ModifierDraft(m.modifier_id, m.count, m.portion_size, f"{i}.modifiers.{j}")
                    for j, m in enumerate(p.modifiers)
                ],
                where=str(i),
            )
            for i, p in enumerate(body.products)
        ],
        customer_id=body.customer.id,
        customer=_customer(body.customer),
        comment=body.comment,
        discount_type=discount.discount_type if discount else 0,
        discount_value=discount.discount_value if discount else 0,
        service_charge=charge.enabled if charge else False,
        service_charge_value=charge.value if charge else 0,
        customer_discount_type=body.customer.customer_discount_type,
        delivery_fee=body.delivery_fee,
        order_number=body.order_number,
        auto_order_accept=body.auto_order_accept,
        auto_order_sent_to_station=body.auto_order_sent_to_station,
        auto_accept_terminal=body.auto_accept_terminal,
        integration_uuid=body.integration_uuid,
        integration_id=body.integration_id,
        customer_ref_id=body.customer_ref_id,
    )


def draft_v1(body: OrderCreateV1) -> OrderDraft:
    payload = body.payload
    meta = payload.meta or body.meta
    discount = meta.discount if meta else None
    customer = _customer(payload.customer)
    customer.setdefault("id", body.customer_id)
    if customer.get("id") is None:
        customer["id"] = body.customer_id
    return OrderDraft(
        venue_id=payload.service.venue_id,
        sale_type_id=payload.service.sale_type_id,
        sale_type_name=payload.service.sale_type_name,
        venue_name=payload.service.venue_name,
        lines=[
            LineDraft(
                product_id=p.product_id,
                count=p.count,
                portion_size=p.portion_size,
                status=str(((p.meta or {}).get("order_product") or {}).get("status") or "new"),
                product_hash=((p.meta or {}).get("order_product") or {}).get("product_hash"),
                note=p.note,
                modifiers=[
                    ModifierDraft(m.modificator_id, m.count, 1, f"{i}.product_modificators.{j}")
                    for j, m in enumerate(p.product_modificators)
                ],
                where=str(i),
            )
            for i, p in enumerate(payload.products)
        ],
        customer_id=body.customer_id,
        customer=customer,
        comment=meta.comment if meta else None,
        discount_type=discount.discount_type if discount else 0,
        discount_value=discount.discount_value if discount else 0,
        service_charge=meta.apply_service_charge if meta else False,
        service_charge_value=meta.service_charge_value if meta else 0,
        customer_discount_type=meta.customer_discount_type if meta else None,
        delivery_fee=payload.delivery_fee,
        order_number=payload.order_number,
        auto_order_accept=payload.auto_order_accept,
        auto_order_sent_to_station=payload.auto_order_sent_to_station,
        auto_accept_terminal=payload.auto_accept_terminal,
        integration_uuid=body.integration_uuid,
        integration_id=body.integration_id,
        customer_ref_id=body.customer_ref_id,
    )
