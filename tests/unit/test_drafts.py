"""The two bodies of `POST /orders` (v1 nested, v2 flat) as one OrderDraft."""

from __future__ import annotations

from typing import Any

from clopos.core.orders.draft import LineDraft, ModifierDraft, OrderDraft
from clopos.schemas.orders import OrderCreateV1, OrderCreateV2
from clopos.server.api.order_bodies import draft_v1, draft_v2


def v2(**body: Any) -> OrderDraft:
    return draft_v2(OrderCreateV2.model_validate(body))


def v1(**body: Any) -> OrderDraft:
    return draft_v1(OrderCreateV1.model_validate(body))


V2_MINIMAL = {
    "venue_id": 1,
    "sale_type_id": 2,
    "customer": {},
    "products": [{"product_id": 7, "product_name": "Latte"}],
}
V1_MINIMAL = {
    "customer_id": 5,
    "payload": {
        "service": {
            "sale_type_id": 2,
            "sale_type_name": "Takeaway",
            "venue_id": 1,
            "venue_name": "Main",
        },
        "products": [{"product_id": 7}],
    },
}


def test_v2_minimal_body_takes_the_defaults() -> None:
    assert v2(**V2_MINIMAL) == OrderDraft(
        venue_id=1,
        sale_type_id=2,
        lines=[LineDraft(product_id=7, count=1, portion_size=1, status="new", where="0")],
        customer_id=None,
        customer={
            "id": None,
            "phone": None,
            "address": None,
            "customer_discount_type": None,
            "name": None,
        },
    )


def test_v2_full_body() -> None:
    draft = v2(
        venue_id=1,
        sale_type_id=3,
        customer={"id": 4, "phone": "+994", "name": "Ann", "customer_discount_type": 1},
        products=[
            {
                "product_id": 7,
                "product_name": "Latte",
                "count": 2,
                "note": "hot",
                "product_hash": "h1",
                "status": "cooking",
                "portion_size": 0.5,
                "modifiers": [
                    {"modifier_id": 3, "modifier_name": "Oat", "count": 2, "portion_size": 2},
                    {"modifier_id": 4, "modifier_name": "Vanilla"},
                ],
            },
            {"product_id": 8, "product_name": "Tea"},
        ],
        discount={"discount_type": 1, "discount_value": 15},
        service_charge={"enabled": True, "value": 10},
        delivery_fee=2.5,
        comment="ring twice",
        order_number="A-1",
        auto_order_accept=True,
        auto_order_sent_to_station=True,
        auto_accept_terminal=9,
        integration_uuid="u-1",
        integration_id="i-1",
        customer_ref_id="c-1",
    )
    assert draft.lines == [
        LineDraft(
            product_id=7,
            count=2,
            portion_size=0.5,
            status="cooking",
            product_hash="h1",
            note="hot",
            modifiers=[
                ModifierDraft(3, 2, 2, "0.modifiers.0"),
                ModifierDraft(4, 1, 1, "0.modifiers.1"),
            ],
            where="0",
        ),
        LineDraft(product_id=8, count=1, where="1"),
    ]
    assert draft.customer_id == 4
    assert draft.customer == {
        "id": 4,
        "phone": "+994",
        "address": None,
        "customer_discount_type": 1,
        "name": "Ann",
    }
    assert draft.customer_discount_type == 1
    assert (draft.discount_type, draft.discount_value) == (1, 15)
    assert (draft.service_charge, draft.service_charge_value) == (True, 10)
    assert draft.delivery_fee == 2.5
    assert (draft.comment, draft.order_number) == ("ring twice", "A-1")
    assert (draft.auto_order_accept, draft.auto_order_sent_to_station) == (True, True)
    assert draft.auto_accept_terminal == 9
    assert (draft.integration_uuid, draft.integration_id, draft.customer_ref_id) == (
        "u-1",
        "i-1",
        "c-1",
    )
    assert (draft.sale_type_name, draft.venue_name) == (None, None)  # v2 does not send them


def test_v2_a_disabled_service_charge_is_off() -> None:
    draft = v2(**V2_MINIMAL, service_charge={"enabled": False, "value": 12})
    assert draft.service_charge is False


def test_v1_minimal_body() -> None:
    draft = v1(**V1_MINIMAL)
    assert draft == OrderDraft(
        venue_id=1,
        sale_type_id=2,
        sale_type_name="Takeaway",
        venue_name="Main",
        lines=[LineDraft(product_id=7, count=1, where="0")],
        customer_id=5,
        customer={"id": 5},  # no payload customer: the top-level customer_id
    )


def test_v1_lines_take_status_and_hash_from_their_meta_and_modificators_in_order() -> None:
    body = {
        **V1_MINIMAL,
        "payload": {
            **V1_MINIMAL["payload"],
            "products": [
                {
                    "product_id": 7,
                    "count": 3,
                    "portion_size": 2,
                    "note": "n",
                    "meta": {"order_product": {"status": "ready", "product_hash": "abc"}},
                    "product_modificators": [
                        {"modificator_id": 11, "count": 2},
                        {"modificator_id": 12},
                    ],
                },
                {"product_id": 8, "meta": {"order_product": None}},
            ],
        },
    }
    draft = v1(**body)
    assert draft.lines == [
        LineDraft(
            product_id=7,
            count=3,
            portion_size=2,
            status="ready",
            product_hash="abc",
            note="n",
            modifiers=[
                ModifierDraft(11, 2, 1, "0.product_modificators.0"),
                ModifierDraft(12, 1, 1, "0.product_modificators.1"),
            ],
            where="0",
        ),
        LineDraft(product_id=8, count=1, status="new", product_hash=None, where="1"),
    ]


def test_v1_payload_customer_keeps_its_own_id_else_takes_customer_id() -> None:
    with_id = {**V1_MINIMAL, "payload": {**V1_MINIMAL["payload"], "customer": {"id": 9}}}
    assert v1(**with_id).customer["id"] == 9
    assert v1(**with_id).customer_id == 5
    without = {**V1_MINIMAL, "payload": {**V1_MINIMAL["payload"], "customer": {"phone": "+1"}}}
    assert v1(**without).customer == {
        "id": 5,
        "phone": "+1",
        "address": None,
        "customer_discount_type": None,
        "name": None,
    }


def test_v1_meta_in_the_payload_or_at_the_top() -> None:
    meta = {
        "comment": "c",
        "discount": {"discount_type": 2, "discount_value": 3},
        "apply_service_charge": True,
        "service_charge_value": 7,
        "customer_discount_type": 2,
    }
    top = v1(**V1_MINIMAL, meta=meta)
    inside = v1(**{**V1_MINIMAL, "payload": {**V1_MINIMAL["payload"], "meta": meta}})
    for draft in (top, inside):
        assert draft.comment == "c"
        assert (draft.discount_type, draft.discount_value) == (2, 3)
        assert (draft.service_charge, draft.service_charge_value) == (True, 7)
        assert draft.customer_discount_type == 2


def test_v1_the_payload_meta_wins_over_the_top_one() -> None:
    body = {**V1_MINIMAL, "payload": {**V1_MINIMAL["payload"], "meta": {"comment": "inner"}}}
    assert v1(**body, meta={"comment": "outer"}).comment == "inner"


def test_v1_without_meta_has_no_discount_or_charge() -> None:
    draft = v1(**V1_MINIMAL)
    assert (draft.discount_type, draft.discount_value) == (0, 0)
    assert (draft.service_charge, draft.service_charge_value) == (False, 0)
    assert draft.comment is None and draft.customer_discount_type is None


def test_v1_payload_options() -> None:
    payload = {
        **V1_MINIMAL["payload"],
        "delivery_fee": 1.5,
        "order_number": "7",
        "auto_order_accept": True,
        "auto_accept_terminal": 3,
    }
    draft = v1(**{**V1_MINIMAL, "payload": payload, "integration_uuid": "u"})
    assert draft.delivery_fee == 1.5
    assert draft.order_number == "7"
    assert draft.auto_order_accept is True and draft.auto_order_sent_to_station is False
    assert draft.auto_accept_terminal == 3
    assert draft.integration_uuid == "u"
