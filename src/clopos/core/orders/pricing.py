"""Pricing a checked draft: each line at the catalogue's price at the venue with its
modifiers, the order's totals, and the payload stored with the order (the v1 shape the
reference's GET shows, priced by the server)."""

from __future__ import annotations

import base64
from typing import Any

from clopos.core.orders.draft import LineDraft, OrderDraft
from clopos.core.orders.facts import Checked, at_venue
from clopos.core.receipts.pricing import Totals, money, totals

# A line as priced: the draft's line, its unit price, its total, its modifiers' rows.
Priced = tuple[LineDraft, float, float, list[dict[str, Any]]]


def product_hash(line: LineDraft) -> str:
    """The reference's example hash decodes to `11187,11201` for product 1 with modificators
    187 and 201: product id, count, modificator id per modificator (inferred)."""
    parts = [f"{line.product_id}{m.count}{m.modifier_id}" for m in line.modifiers]
    text = ",".join(parts) or str(line.product_id)
    return base64.b64encode(text.encode()).decode()


def priced(draft: OrderDraft, checked: Checked) -> tuple[list[Priced], Totals]:
    """Each line at the catalogue's prices, and the order's totals."""
    lines = []
    for line in draft.lines:
        product = checked.products[line.product_id]
        mods: list[dict[str, Any]] = []
        for item in line.modifiers:
            modifier = checked.modifiers[item.modifier_id]
            mods.append(
                {
                    "modifier_id": modifier.id,
                    "name": modifier.name,
                    "count": item.count,
                    "price": modifier.price,
                    "portion_size": item.portion_size,
                }
            )
        price = at_venue(product, draft.venue_id)[0]
        base = price * line.count * line.portion_size
        extras = sum(m["price"] * m["count"] * line.count for m in mods)
        lines.append((line, price, money(base + extras), mods))
    rate = 0.0
    if draft.service_charge:
        rate = draft.service_charge_value or checked.sale_type.service_charge_rate or 0.0
    figures = totals(
        sum(total for _, _, total, _ in lines),
        discount_type=draft.discount_type,
        discount_value=draft.discount_value,
        service_rate=rate,
        delivery_fee=draft.delivery_fee,
    )
    return lines, figures


def payload(
    draft: OrderDraft,
    checked: Checked,
    lines: list[Priced],
    figures: Totals,
) -> dict[str, Any]:
    """The stored payload: the v1 shape the reference's GET shows, priced by the server."""
    products = []
    for line, price, _, mods in lines:
        product = checked.products[line.product_id]
        modificators = [
            {
                "modificator_id": m["modifier_id"],
                "count": m["count"],
                "name": m["name"],
                "price": m["price"],
                "portion_size": m["portion_size"],
            }
            for m in mods
        ]
        products.append(
            {
                "product_id": line.product_id,
                "count": line.count,
                "product_modificators": modificators,
                "portion_size": line.portion_size,
                "note": line.note,
                "meta": {
                    "price": price,
                    "order_product": {
                        "count": line.count,
                        "status": line.status,
                        "product_modificators": modificators,
                        "product_hash": line.product_hash or product_hash(line),
                        "product": {
                            "id": product.id,
                            "name": product.name,
                            "price": price,  # at this venue, as the line was priced
                            "category_id": product.category_id,
                            "station_id": product.station_id,
                        },
                    },
                },
            }
        )
    customer = {**draft.customer}
    customer.setdefault("customer_discount_type", draft.customer_discount_type)
    return {
        "auto_order_accept": draft.auto_order_accept,
        "auto_order_sent_to_station": draft.auto_order_sent_to_station,
        "auto_accept_terminal": draft.auto_accept_terminal,
        "delivery_fee": figures.delivery_fee,
        "order_number": draft.order_number,
        "service": {
            "sale_type_id": draft.sale_type_id,
            "venue_id": draft.venue_id,
            "sale_type_name": draft.sale_type_name or checked.sale_type.sale_type_name,
            "venue_name": draft.venue_name or checked.venue_name,
        },
        "customer": customer,
        "products": products,
        "meta": {
            "comment": draft.comment,
            "discount": {
                "discount_type": draft.discount_type,
                "discount_value": draft.discount_value,
            },
            "apply_service_charge": draft.service_charge,
            "customer_discount_type": draft.customer_discount_type,
            "service_charge_value": figures.service_charge,
            "orderTotal": f"{figures.total:.4f}",
            "subtotal": figures.subtotal,
            "total_discount": figures.total_discount,
            "service_charge_amount": figures.service_charge_value,
        },
        "customer_id": draft.customer_id,
        "sale_type_id": draft.sale_type_id,
    }
