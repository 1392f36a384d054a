"""Real requests for every route of the app: each list and by-id read with and without each
`with[]` relation it accepts (asked of the app itself), `selects`, the writes, the operator
API, and the error answers each route gives. Every answer is recorded for the checks.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx
import orjson
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from tests.conformance.harness import ADMIN_TOKEN, SANDBOX, InProcess

PROBE = "__conformance_probe__"
_CHOICES = re.compile(r"must (?:be one of|be among) (.*)$")
_PARAM = re.compile(r"\{([^}]+)\}")
MISSING_ID = "999999999"
# Query variants a route documents beyond paging, relations and selects.
VARIANTS: dict[str, list[dict[str, str]]] = {
    "/categories": [
        {"include_children": "0"},
        {"include_inactive": "1"},
        {"include_children": "0", "include_inactive": "1"},
        {"type": "INGREDIENT"},
    ],
    "/categories/{category_id}": [{"include_children": "0"}],
    "/products": [{"filters[0][0]": "type", "filters[0][1][0]": "TIMER"}],
}


def route_keys(app: FastAPI) -> dict[str, Any]:
    """`{"GET /open-api/v2/products/{product_id}": route}` for every API route of the app.

    The routes of included routers are wrapped (`app.routes` lists the routers); FastAPI's
    `iter_route_contexts` unwraps them into objects that read like `APIRoute`s (`path`,
    `methods`, `response_model`, `include_in_schema`), as the OpenAPI generator reads them.
    """
    keys: dict[str, Any] = {}
    for route in iter_route_contexts(app.routes):
        if route.path == "/docs" or route.path.startswith("/docs/"):
            continue  # the documentation page and its script: HTML and JavaScript, not answers
        if isinstance(route.original_route, APIRoute):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    keys[f"{method} {route.path}"] = route
    return keys


@dataclass(frozen=True)
class Exchange:
    """One request and its answer."""

    route: str
    label: str
    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass(frozen=True)
class Caller:
    """Whose headers a request carries, and a name for the labels."""

    name: str
    headers: dict[str, str]


class Sweep:
    """Sends the requests and keeps every answer by route."""

    def __init__(self, live: InProcess, limited: InProcess) -> None:
        self.live = live
        self.limited = limited
        self.routes = route_keys(live.app)
        self.exchanges: dict[str, list[Exchange]] = defaultdict(list)

    def send(
        self,
        key: str,
        label: str,
        *,
        path_params: dict[str, str] | None = None,
        params: Iterable[tuple[str, str]] | dict[str, str] = (),
        headers: dict[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        app: InProcess | None = None,
    ) -> httpx.Response:
        method, template = key.split(" ", 1)
        values = path_params or {}
        url = _PARAM.sub(lambda m: values[m.group(1)], template)
        response = (app or self.live).request(
            method,
            url,
            params=list(params.items()) if isinstance(params, dict) else list(params),
            headers=headers,
            json=json,
            content=content,
        )
        self.exchanges[key].append(
            Exchange(
                route=key,
                label=f"{label}: {method} {_shown(response.request.url)}",
                status=response.status_code,
                content_type=response.headers.get("content-type", ""),
                body=response.content,
            )
        )
        return response

    # --- who calls ----------------------------------------------------------------------

    def callers(self, path: str) -> list[Caller]:
        """The sandbox and the imported brand, with the path's version of the headers."""
        v2 = path.startswith("/open-api/v2/")
        found = []
        for brand, body in (("openapitest", {}), ("other", self.live.other)):
            headers = self.live.v2_headers(**body) if v2 else self.live.v1_headers(**body)
            found.append(Caller(brand, headers))
        return found

    def unscoped(self, path: str) -> Caller:
        """A sandbox client granted only `venues:read` (403 on everything else)."""
        if not hasattr(self, "_narrow"):
            created = orjson.loads(
                self.live.admin(
                    "client", "create", "--brand", "openapitest", "--scope", "venues:read", "--json"
                )
            )
            self._narrow = {k: created[k] for k in ("client_id", "client_secret")}
        if path.startswith("/open-api/v2/"):
            return Caller("narrow", self.live.v2_headers(**self._narrow))
        return Caller("narrow", self.live.v1_headers(**self._narrow))

    # --- the whole run --------------------------------------------------------------------

    def run(self) -> dict[str, list[Exchange]]:
        operator = {"authorization": f"Bearer {ADMIN_TOKEN}"}
        self.stop_list_writes(operator)
        subscription = self.webhook_writes(operator)
        self.order_writes(operator)
        self.webhook_reads_and_deletes(operator, subscription)
        self.books_writes(operator)
        for key in self.routes:
            method, path = key.split(" ", 1)
            if method == "GET" and path.startswith("/open-api/") and "{" not in path:
                self.list_route(key, path)
        for key in self.routes:
            method, path = key.split(" ", 1)
            if method == "GET" and path.startswith("/open-api/") and "{" in path:
                self.by_id_route(key, path)
        self.customer_writes()
        self.waiter_calls()
        self.exchanges_of_tokens()
        self.operator_reads_and_deletes(operator)
        self.other_routes()
        self.guard_refusals()
        return self.exchanges

    # --- reads --------------------------------------------------------------------------

    def choices(
        self, key: str, headers: dict[str, str], name: str, at: dict[str, str] | None = None
    ) -> list[str]:
        """What the route accepts for `with[]` or `selects`, from its own 400 answer (none if
        it ignores the parameter)."""
        sent = {"with[]": PROBE} if name == "with" else {"selects": PROBE}
        answer = self.send(key, f"probe {name}", path_params=at, params=sent, headers=headers)
        if answer.status_code == 200:
            return []
        assert answer.status_code == 400, answer.text
        match = _CHOICES.search(answer.json()["message"])
        if match is None:  # "selects is not supported by this endpoint"
            return []
        listed = match.group(1)
        return [] if listed == "(none)" else [item.strip() for item in listed.split(",")]

    def list_route(self, key: str, path: str) -> None:
        short = path.removeprefix("/open-api/v2").removeprefix("/open-api")
        for caller in self.callers(path):
            label, headers = caller.name, caller.headers
            relations = self.choices(key, headers, "with")
            selects = self.choices(key, headers, "selects")
            self.pages(key, label, headers, {})
            for relation in relations:
                self.pages(key, f"{label} with {relation}", headers, {"with[]": [relation]})
            if relations:
                self.pages(key, f"{label} with all", headers, {"with[]": relations})
            if selects:
                self.send(key, f"{label} selects", params={"selects": selects[0]}, headers=headers)
                chosen = ",".join(selects)
                self.send(key, f"{label} selects all", params={"selects": chosen}, headers=headers)
            for variant in VARIANTS.get(short, []):
                self.send(key, f"{label} {variant}", params=variant, headers=headers)
            self.send(key, f"{label} past the end", params={"page": "100000"}, headers=headers)
        self.read_errors(key, path)
        self.send(key, "limit 0", params={"limit": "0"}, headers=self.callers(path)[0].headers)

    def pages(
        self, key: str, label: str, headers: dict[str, str], params: dict[str, list[str]]
    ) -> None:
        """Every page of the list (default limit), so that every record is answered."""
        items = [(name, value) for name, values in params.items() for value in values]
        for page in range(1, 1000):
            answer = self.send(
                key, label, params=[*items, ("page", str(page))], headers=headers
            ).json()
            assert answer.get("success") is True, answer
            if "pagination" in answer:
                if page >= answer["pagination"]["total_pages"]:
                    return
            elif not answer["data"] or "total" not in answer or page * 50 >= answer["total"]:
                return

    def read_errors(self, key: str, path: str) -> None:
        self.send(key, "no token", path_params=self.any_ids(key))
        self.send(key, "bad token", path_params=self.any_ids(key), headers={"x-token": "nope"})
        narrow = self.unscoped(path)
        self.send(key, "out of scope", path_params=self.any_ids(key), headers=narrow.headers)

    def any_ids(self, key: str) -> dict[str, str]:
        return {name: "1" for name in _PARAM.findall(key)}

    def ids_from(self, key: str, cids: bool, only_cids: bool = False) -> dict[str, list[str]]:
        """Ids (and `cid`s if asked) of every record the list route answered, per caller, with
        the nested ones (`children`, `modifications`)."""
        found: dict[str, list[str]] = defaultdict(list)
        for exchange in self.exchanges.get(key, []):
            if exchange.status != 200 or exchange.label.startswith("probe"):
                continue
            body = exchange.json()
            caller = exchange.label.split(" ", 1)[0].rstrip(":")
            for record in _records(body.get("data")):
                values = (
                    None if only_cids else record.get("id"),
                    record.get("cid") if cids else None,
                )
                for value in values:
                    if value is not None and str(value) not in found[caller]:
                        found[caller].append(str(value))
        return found

    def by_id_route(self, key: str, path: str) -> None:
        method, _ = key.split(" ", 1)
        parent = f"{method} {path.rsplit('/{', 1)[0]}"
        name = _PARAM.findall(path)[-1]
        if name == "cid":  # /receipts/cid/{cid}: the cids the list answered
            parent = f"{method} {path.rsplit('/cid/', 1)[0]}"
            ids = self.ids_from(parent, cids=True, only_cids=True)
        else:
            ids = self.ids_from(parent, cids=name == "product_id")
        short = path.removeprefix("/open-api/v2").removeprefix("/open-api")
        for caller in self.callers(path):
            label, headers = caller.name, caller.headers
            mine = ids[label]
            assert mine, f"{parent} answered no record for {label}"
            if short.startswith(_LEDGERS):  # many alike records: a few tell as much
                mine = mine[:_LEDGER_IDS]
            relations = self.choices(key, headers, "with", {name: mine[0]})
            seen_types: set[Any] = set()
            for record_id in mine:
                at = {name: record_id}
                answer = self.send(key, label, path_params=at, headers=headers)
                if relations:
                    self.send(
                        key,
                        f"{label} with all",
                        path_params=at,
                        params=[("with[]", r) for r in relations],
                        headers=headers,
                    )
                data = answer.json().get("data") if answer.is_success else None
                # (a type may be an object, such as a tax's `{id, name}`)
                kind = repr(data.get("type")) if isinstance(data, dict) else None
                if kind not in seen_types:  # each relation alone, once per kind of record
                    seen_types.add(kind)
                    for relation in relations:
                        self.send(
                            key,
                            f"{label} with {relation}",
                            path_params=at,
                            params={"with[]": relation},
                            headers=headers,
                        )
                for variant in VARIANTS.get(short, []):
                    self.send(
                        key, f"{label} {variant}", path_params=at, params=variant, headers=headers
                    )
            self.send(key, f"{label} unknown id", path_params={name: MISSING_ID}, headers=headers)
            self.send(key, f"{label} malformed id", path_params={name: "abc"}, headers=headers)
            if relations:
                at = {name: mine[0]}
                self.send(
                    key,
                    f"{label} unknown relation",
                    path_params=at,
                    params={"with[]": "x"},
                    headers=headers,
                )
        self.read_errors(key, path)

    # --- writes -------------------------------------------------------------------------

    def customer_writes(self) -> None:
        for key in self.routes:
            method, path = key.split(" ", 1)
            if method != "POST" or not path.endswith("/customers"):
                continue
            for caller in self.callers(path):
                label, headers = caller.name, caller.headers
                groups = self.send(
                    f"GET {path.removesuffix('/customers')}/customer-groups",
                    label,
                    headers=headers,
                ).json()["data"]
                tag = uuid.uuid4().hex[:10]
                full = {
                    "name": f"Conformance {tag}",
                    "email": f"{tag}@example.test",
                    "phone": f"+99450{int(tag, 16) % 10**7:07d}",
                    "code": f"C-{tag}",
                    "cid": str(uuid.uuid4()),
                    "description": "created by the conformance test",
                    "group_id": groups[0]["id"],
                    "gender": 2,
                    "date_of_birth": "1991-02-03",
                }
                self.send(key, f"{label} name only", json={"name": f"Only {tag}"}, headers=headers)
                keyed = {**headers, "Idempotency-Key": f"conformance-{tag}"}
                self.send(key, f"{label} every field", json=full, headers=keyed)
                self.send(key, f"{label} replayed", json=full, headers=keyed)
                self.send(key, f"{label} duplicate", json={**full, "cid": None}, headers=headers)
                self.send(
                    key, f"{label} no name", json={"email": "x@example.test"}, headers=headers
                )
                self.send(key, f"{label} not json", content=b"{", headers=headers)
                self.send(
                    key, f"{label} bad gender", json={"name": "x", "gender": 3}, headers=headers
                )
            self.read_errors(key, path)

    # --- orders and receipts ------------------------------------------------------------

    def order_writes(self, operator: dict[str, str]) -> None:
        """Orders in both versions and bodies, the venue's side (operator API) accepting,
        cooking and closing them, and the receipt writes: so the reads find records."""
        admin = "/admin/api/brands/{brand}"
        for brand, body in (("openapitest", {}), ("other", self.live.other)):
            v1 = self.live.v1_headers(**body)
            v2 = self.live.v2_headers(**body)
            at = {"brand": brand}
            setup = self.live.request
            sale_type = next(
                s["id"]
                for s in setup("GET", "/open-api/v2/sale-types", headers=v2).json()["data"]
                if s["status"].get("1") == 1
            )
            method = next(
                m["id"]
                for m in setup("GET", "/open-api/v2/payment-methods", headers=v2).json()["data"]
                if m["status"].get("1") == 1
            )
            dishes = setup(
                "GET",
                "/open-api/v2/products",
                headers=v2,
                params={
                    "filters[0][0]": "type",
                    "filters[0][1]": "DISH",
                    "with[]": "modificator_groups.modificators",
                    "limit": "100",
                },
            ).json()["data"]
            with_modifiers = [d for d in dishes if d["modificator_groups"]]
            chosen = (with_modifiers or dishes)[0]
            product = chosen["id"]
            modifier = next(
                (m["id"] for g in chosen["modificator_groups"] for m in g["modificators"]), None
            )
            customer = setup("GET", "/open-api/v2/customers", headers=v2).json()["data"][0]["id"]
            flat = {
                "sale_type_id": sale_type,
                "venue_id": 1,
                "customer": {"name": "Sweep", "phone": "+994700000000"},
                "products": [
                    {
                        "product_id": product,
                        "product_name": "Dish",
                        "count": 2,
                        "modifiers": [{"modifier_id": modifier, "modifier_name": "Extra"}]
                        if modifier
                        else [],
                    }
                ],
                "discount": {"discount_type": 1, "discount_value": 10},
                "service_charge": {"enabled": True, "value": 5},
                "delivery_fee": 1.5,
                "comment": "conformance",
            }
            legacy = {
                "customer_id": customer,
                "payload": {
                    "service": {
                        "sale_type_id": sale_type,
                        "sale_type_name": "Sale type",
                        "venue_id": 1,
                        "venue_name": "Main",
                    },
                    "products": [
                        {
                            "product_id": product,
                            "count": 1,
                            "product_modificators": [{"modificator_id": modifier, "count": 2}]
                            if modifier
                            else [],
                        }
                    ],
                },
            }
            created = []
            for key, headers, sent in (
                ("POST /open-api/orders", v1, legacy),
                ("POST /open-api/v2/orders", v2, flat),
                ("POST /open-api/v2/orders", v2, legacy),
            ):
                for copy in range(3):
                    answer = self.send(key, f"{brand} order {copy}", json=sent, headers=headers)
                    assert answer.status_code == 201, answer.text
                    created.append(answer.json()["data"]["id"])
                tag = uuid.uuid4().hex
                tracked = {**sent, "integration_uuid": tag, "integration_id": "sweep"}
                self.send(key, f"{brand} tracked", json=tracked, headers=headers)
                self.send(key, f"{brand} tracked again", json=tracked, headers=headers)
                self.send(key, f"{brand} empty", json={}, headers=headers)
                self.send(key, f"{brand} not json", content=b"{", headers=headers)
                wrong = (
                    {**sent, "venue_id": 99}
                    if "venue_id" in sent
                    else {**sent, "customer_id": 10**9}
                )
                self.send(key, f"{brand} unknown reference", json=wrong, headers=headers)
            self.send("GET " + admin + "/orders", brand, path_params=at, headers=operator)
            self.send(
                "GET " + admin + "/orders",
                f"{brand} pending",
                path_params=at,
                params={"status": "PENDING"},
                headers=operator,
            )
            self.send(
                "GET " + admin + "/orders",
                "bad status",
                path_params=at,
                params={"status": "x"},
                headers=operator,
            )
            accept = "POST " + admin + "/orders/{order_id}/accept"
            receipts = []
            for order_id in created[:6]:
                answer = self.send(
                    accept, brand, path_params={**at, "order_id": str(order_id)}, headers=operator
                )
                receipts.append(answer.json()["data"]["receipt"])
            self.send(
                accept, "again", path_params={**at, "order_id": str(created[0])}, headers=operator
            )
            self.send(
                accept, "unknown", path_params={**at, "order_id": MISSING_ID}, headers=operator
            )
            self.send(accept, "malformed", path_params={**at, "order_id": "x"}, headers=operator)
            self.send(accept, "no operator token", path_params={**at, "order_id": "1"})
            ignore = "POST " + admin + "/orders/{order_id}/ignore"
            self.send(
                ignore, brand, path_params={**at, "order_id": str(created[6])}, headers=operator
            )
            self.send(
                ignore,
                "accepted",
                path_params={**at, "order_id": str(created[0])},
                headers=operator,
            )
            for version, headers in (("/open-api", v1), ("/open-api/v2", v2)):
                put = f"PUT {version}/orders/{{order_id}}"
                pending = {"order_id": str(created[7 if version == "/open-api" else 8])}
                self.send(
                    put, brand, path_params=pending, json={"status": "IGNORE"}, headers=headers
                )
                self.send(
                    put,
                    "not allowed",
                    path_params=pending,
                    json={"status": "READY"},
                    headers=headers,
                )
                self.send(
                    put,
                    "accepted",
                    path_params={"order_id": str(created[0])},
                    json={"status": "IGNORE"},
                    headers=headers,
                )
                self.send(
                    put,
                    "unknown",
                    path_params={"order_id": MISSING_ID},
                    json={"status": "IGNORE"},
                    headers=headers,
                )
                patch = f"PATCH {version}/receipts/{{receipt_id}}"
                first = {"receipt_id": str(receipts[0]["id"])}
                for status in ("IN_PROGRESS", "READY"):
                    self.send(
                        patch,
                        brand,
                        path_params=first,
                        json={
                            "order_status": status,
                            "fiscal_id": "F-1",
                            "lock": False,
                            "order_number": "RPO-1",
                        },
                        headers=headers,
                    )
                self.send(
                    patch,
                    "backwards",
                    path_params=first,
                    json={"order_status": "NEW"},
                    headers=headers,
                )
                self.send(
                    patch,
                    "bad value",
                    path_params=first,
                    json={"order_status": "SOON"},
                    headers=headers,
                )
                self.send(
                    patch,
                    "unknown",
                    path_params={"receipt_id": MISSING_ID},
                    json={"lock": True},
                    headers=headers,
                )
            status = "PUT " + admin + "/receipts/{receipt_id}/status"
            second = {**at, "receipt_id": str(receipts[1]["id"])}
            self.send(
                status, brand, path_params=second, json={"order_status": "READY"}, headers=operator
            )
            self.send(
                status,
                "backwards",
                path_params=second,
                json={"order_status": "NEW"},
                headers=operator,
            )
            self.send(
                status,
                "bad value",
                path_params=second,
                json={"order_status": "x"},
                headers=operator,
            )
            venue_close = "POST " + admin + "/receipts/{receipt_id}/close"
            self.send(venue_close, brand, path_params=second, json={}, headers=operator)
            self.send(venue_close, "again", path_params=second, json={}, headers=operator)
            third = {**at, "receipt_id": str(receipts[2]["id"])}
            self.send(
                venue_close,
                "unknown method",
                path_params=third,
                json={"payment_method": "none"},
                headers=operator,
            )
            close = "POST /open-api/v2/receipts/{receipt_id}/close"
            fourth = {"receipt_id": str(receipts[3]["id"])}
            paid = {"payment_methods": [{"id": method, "amount": receipts[3]["total"]}]}
            self.send(
                close,
                f"{brand} too little",
                path_params=fourth,
                json={"payment_methods": [{"id": method, "amount": 0}]},
                headers=v2,
            )
            self.send(
                close,
                f"{brand} too early",
                path_params=fourth,
                json={**paid, "closed_at": "2000-01-01 00:00:00"},
                headers=v2,
            )
            self.send(
                close,
                f"{brand} bad time",
                path_params=fourth,
                json={**paid, "closed_at": "soon"},
                headers=v2,
            )
            self.send(close, brand, path_params=fourth, json=paid, headers=v2)
            self.send(close, f"{brand} again", path_params=fourth, json=paid, headers=v2)
            self.send(
                close,
                f"{brand} unknown",
                path_params={"receipt_id": MISSING_ID},
                json=paid,
                headers=v2,
            )
            self.send(close, f"{brand} no body", path_params=fourth, headers=v2)
            cid = str(uuid.uuid4())
            made = {
                "cid": cid,
                "payment_methods": [{"id": method, "name": "Cash", "amount": 20}],
                "sale_type_id": sale_type,
                "receipt_products": [{"product_id": product, "count": 2, "price": 10}],
                "closed_at": "2026-01-02 10:00:00",
                "created_at": "2026-01-02 09:30:00",
            }
            created_receipt = self.send("POST /open-api/receipts", brand, json=made, headers=v1)
            self.send("POST /open-api/receipts", f"{brand} duplicate", json=made, headers=v1)
            self.send(
                "POST /open-api/receipts",
                f"{brand} unpaid",
                json={
                    **made,
                    "cid": str(uuid.uuid4()),
                    "payment_methods": [{"id": method, "amount": 1}],
                },
                headers=v1,
            )
            self.send(
                "POST /open-api/receipts",
                f"{brand} minimal",
                json={
                    "cid": str(uuid.uuid4()),
                    "payment_methods": [{"id": method, "amount": 5}],
                    "subtotal": 5,
                    "total": 5,
                },
                headers=v1,
            )
            self.send("POST /open-api/receipts", f"{brand} empty", json={}, headers=v1)
            made_id = created_receipt.json()["data"]["id"]
            put = "PUT /open-api/receipts/{receipt_id}"
            open_one = receipts[4]
            self.send(
                put,
                brand,
                path_params={"receipt_id": str(open_one["id"])},
                json={
                    "id": open_one["id"],
                    "cid": open_one["cid"],
                    "delivery_fee": 2,
                    "description": "updated",
                    "order_status": "IN_PROGRESS",
                },
                headers=v1,
            )
            self.send(
                put,
                f"{brand} close",
                path_params={"receipt_id": str(open_one["id"])},
                json={
                    "id": open_one["id"],
                    "cid": open_one["cid"],
                    "closed_at": "2099-01-01 00:00:00",
                    "payment_methods": [{"id": method, "amount": 1000}],
                },
                headers=v1,
            )
            self.send(
                put,
                f"{brand} other id",
                path_params={"receipt_id": str(open_one["id"])},
                json={"id": made_id, "cid": open_one["cid"]},
                headers=v1,
            )
            self.send(
                put,
                f"{brand} other cid",
                path_params={"receipt_id": str(open_one["id"])},
                json={"id": open_one["id"], "cid": str(uuid.uuid4())},
                headers=v1,
            )
            self.send(
                put,
                f"{brand} closed amounts",
                path_params={"receipt_id": str(made_id)},
                json={"id": made_id, "cid": cid, "delivery_fee": 3},
                headers=v1,
            )
            delete = "DELETE /open-api/receipts/{receipt_id}"
            doomed = self.send(
                "POST /open-api/receipts",
                f"{brand} to delete",
                json={**made, "cid": str(uuid.uuid4())},
                headers=v1,
            ).json()["data"]["id"]
            self.send(delete, brand, path_params={"receipt_id": str(doomed)}, headers=v1)
            self.send(delete, f"{brand} again", path_params={"receipt_id": str(doomed)}, headers=v1)
            self.send(delete, f"{brand} malformed", path_params={"receipt_id": "x"}, headers=v1)
            mode = admin + "/venues/{venue_id}/order-mode"
            venue = {**at, "venue_id": "1"}
            for wanted in (
                {"mode": "accept-after", "accept_after_seconds": 3600},
                {"mode": "manual"},
            ):
                self.send("PUT " + mode, brand, path_params=venue, json=wanted, headers=operator)
            self.send(
                "PUT " + mode,
                "no seconds",
                path_params=venue,
                json={"mode": "accept-after"},
                headers=operator,
            )
            self.send(
                "PUT " + mode,
                "unknown mode",
                path_params=venue,
                json={"mode": "x"},
                headers=operator,
            )
            self.send(
                "PUT " + mode,
                "unknown venue",
                path_params={**at, "venue_id": "99"},
                json={"mode": "accept"},
                headers=operator,
            )
            self.send("GET " + mode, brand, path_params=venue, headers=operator)
            self.send("GET " + mode, "no operator token", path_params=venue)

    def exchanges_of_tokens(self) -> None:
        production = orjson.loads(
            self.live.admin("brand", "create", "live-brand", "--mode", "production", "--json")
        )
        credential = orjson.loads(
            self.live.admin("client", "create", "--brand", production["slug"], "--json")
        )
        for version, key in ((1, "POST /open-api/auth"), (2, "POST /open-api/v2/auth")):
            fields = ("venue_id",) if version == 1 else ("integrator_id",)
            body = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", *fields)}
            self.send(key, "sandbox", json=body)
            other = {**body, **self.live.other}
            self.send(key, "other brand", json=other)
            self.send(key, "wrong secret", json={**body, "client_secret": "wrong"})
            self.send(key, "missing fields", json={"client_id": body["client_id"]})
            self.send(key, "not an object", json=[1])
            self.send(key, "not json", content=b"{")
            self.send(key, "unknown brand", json={**body, "brand": "nope"})
            on_production = {
                **body,
                "client_id": credential["client_id"],
                "client_secret": credential["client_secret"],
                "brand": production["slug"],
            }
            # v2: a test integrator on a production brand is a 200 with success false.
            self.send(key, "test integrator on a production brand", json=on_production)

    # --- the operator API ---------------------------------------------------------------

    def operator_key(self, method: str, suffix: str) -> str:
        return f"{method} /admin/api/brands/{{brand}}/stop-list{suffix}"

    def books_writes(self, operator: dict[str, str]) -> None:
        """The till and stock documents on the operator API: each write answered once with
        success, and refused once."""
        base = "/admin/api/brands/{brand}"
        at = {"brand": "openapitest", "venue_id": "1"}
        close = f"POST {base}/venues/{{venue_id}}/shift/close"
        opening = f"POST {base}/venues/{{venue_id}}/shift/open"
        cash = f"POST {base}/venues/{{venue_id}}/shift/cash"
        self.send(close, "close the seeded shift", path_params=at, json={}, headers=operator)
        self.send(close, "none open", path_params=at, json={}, headers=operator)
        self.send(opening, "open", path_params=at, json={"amount": 50}, headers=operator)
        self.send(opening, "already open", path_params=at, json={}, headers=operator)
        self.send(cash, "in", path_params=at, json={"amount": 5}, headers=operator)
        self.send(cash, "zero", path_params=at, json={"amount": 0}, headers=operator)
        brand = {"brand": "openapitest"}
        supplier = self.send(
            f"POST {base}/suppliers", "add", path_params=brand, json={"name": "S"}, headers=operator
        ).json()["data"]
        self.send(f"POST {base}/suppliers", "no name", path_params=brand, json={}, headers=operator)
        deposit = f"POST {base}/customers/{{customer_id}}/deposit"
        who = {**brand, "customer_id": "1"}
        for label, method in (("in cash", 1), ("unknown method", int(MISSING_ID))):
            self.send(
                deposit,
                label,
                path_params=who,
                json={"amount": 10, "payment_method_id": method},
                headers=operator,
            )
        self.send(
            f"POST {base}/storages",
            "add",
            path_params=brand,
            json={"name": "Cellar", "venue_id": 1},
            headers=operator,
        )
        self.send(
            f"POST {base}/storages",
            "unknown venue",
            path_params=brand,
            json={"name": "Cellar", "venue_id": 99},
            headers=operator,
        )
        documents = f"POST {base}/operations"
        supply = {
            "type": 1,
            "storage_id": 1,
            "supplier_id": supplier["id"],
            "items": [{"product_id": 1, "quantity": 2, "cost": 3}],
        }
        self.send(documents, "supply", path_params=brand, json=supply, headers=operator)
        draft = self.send(
            documents,
            "draft",
            path_params=brand,
            json={**supply, "type": 4, "supplier_id": None, "status": 2},
            headers=operator,
        ).json()["data"]
        self.send(documents, "no items", path_params=brand, json={"type": 4}, headers=operator)
        publish = f"POST {base}/operations/{{operation_id}}/publish"
        at = {**brand, "operation_id": str(draft["id"])}
        self.send(publish, "publish", path_params=at, headers=operator)
        self.send(publish, "published", path_params=at, headers=operator)

    def stop_list_writes(self, operator: dict[str, str]) -> None:
        key = self.operator_key("PUT", "/{product_id}")
        for product_id, limit in (("2", 0), ("3", 5), ("6", 12)):
            self.send(
                key,
                "set",
                path_params={"brand": "openapitest", "product_id": product_id},
                json={"limit": limit},
                headers=operator,
            )
        at = {"brand": "openapitest", "product_id": "2"}
        self.send(key, "negative", path_params=at, json={"limit": -1}, headers=operator)
        self.send(key, "no body", path_params=at, headers=operator)
        self.send(key, "no operator token", path_params=at, json={"limit": 1})
        self.send(
            key,
            "unknown product",
            path_params={"brand": "openapitest", "product_id": MISSING_ID},
            json={"limit": 1},
            headers=operator,
        )
        self.send(
            key,
            "unknown brand",
            path_params={"brand": "nope", "product_id": "2"},
            json={"limit": 1},
            headers=operator,
        )

    _WEBHOOKS = "/admin/api/brands/{brand}/webhooks"

    def webhook_writes(self, operator: dict[str, str]) -> str:
        """A subscription (its deliveries fail: nothing listens there), a rotation."""
        key, at = f"POST {self._WEBHOOKS}", {"brand": "openapitest"}
        hook = {"url": "http://127.0.0.1:9/hook", "events": ["*"]}
        made = self.send(key, "subscribe", path_params=at, json=hook, headers=operator)
        self.send(
            key, "unknown event", path_params=at, json={**hook, "events": ["x"]}, headers=operator
        )
        self.send(key, "not a URL", path_params=at, json={**hook, "url": "x"}, headers=operator)
        self.send(key, "no operator token", path_params=at, json=hook)
        subscription = str(made.json()["data"]["id"])
        rotate = f"POST {self._WEBHOOKS}/{{subscription_id}}/rotate-secret"
        one = {**at, "subscription_id": subscription}
        self.send(rotate, "rotate", path_params=one, json={"overlap_hours": 1}, headers=operator)
        self.send(
            rotate, "unknown", path_params={**at, "subscription_id": "wh_nope"}, headers=operator
        )
        return subscription

    def webhook_reads_and_deletes(self, operator: dict[str, str], subscription: str) -> None:
        at = {"brand": "openapitest"}
        state = self.live.app.state.server
        deadline = time.monotonic() + 10
        log = f"GET {self._WEBHOOKS}/deliveries"
        while True:  # the orders' events made and tried once
            self.live.portal.call(state.webhooks.round)
            rows = self.live.request(
                "GET", "/admin/api/brands/openapitest/webhooks/deliveries", headers=operator
            ).json()["data"]
            if any(row["attempts"] for row in rows) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.send(log, "log", path_params=at, headers=operator)
        self.send(log, "dead only", path_params=at, params={"status": "dead"}, headers=operator)
        self.send(log, "bad status", path_params=at, params={"status": "x"}, headers=operator)
        self.send(f"GET {self._WEBHOOKS}", "openapitest", path_params=at, headers=operator)
        replay = f"POST {self._WEBHOOKS}/deliveries/replay"
        self.send(
            replay,
            "a subscription's",
            path_params=at,
            json={"subscription_id": subscription},
            headers=operator,
        )
        self.send(replay, "nothing named", path_params=at, json={}, headers=operator)
        remove = f"DELETE {self._WEBHOOKS}/{{subscription_id}}"
        one = {**at, "subscription_id": subscription}
        self.send(remove, "remove", path_params=one, headers=operator)
        self.send(remove, "again", path_params=one, headers=operator)

    def operator_reads_and_deletes(self, operator: dict[str, str]) -> None:
        listing = self.operator_key("GET", "")
        for brand in ("openapitest", "other"):
            self.send(listing, brand, path_params={"brand": brand}, headers=operator)
        self.send(listing, "no operator token", path_params={"brand": "openapitest"})
        self.send(listing, "unknown brand", path_params={"brand": "nope"}, headers=operator)
        one = self.operator_key("DELETE", "/{product_id}")
        for product_id in ("3", "3", MISSING_ID):
            at = {"brand": "openapitest", "product_id": product_id}
            self.send(one, f"product {product_id}", path_params=at, headers=operator)
        self.send(one, "no operator token", path_params={"brand": "openapitest", "product_id": "2"})
        every = self.operator_key("DELETE", "")
        self.send(every, "openapitest", path_params={"brand": "openapitest"}, headers=operator)
        self.send(every, "again", path_params={"brand": "openapitest"}, headers=operator)
        self.send(every, "no operator token", path_params={"brand": "openapitest"})

    def guard_refusals(self) -> None:
        """429s (auth, v1 and v2 tiers) and 401s for expired tokens, from the limited app."""
        app = self.limited
        v1 = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "venue_id")}
        v2 = {k: SANDBOX[k] for k in ("client_id", "client_secret", "brand", "integrator_id")}
        tokens = [
            self.send("POST /open-api/auth", "limited", json=v1, app=app).json(),
            self.send("POST /open-api/v2/auth", "limited", json=v2, app=app).json(),
        ]
        for _ in range(2):  # the third exchange of the minute is refused
            self.send("POST /open-api/v2/auth", "limited: too many", json=v2, app=app)
        v1_headers = {"x-token": tokens[0]["token"], "x-brand": v1["brand"], "x-venue": "1"}
        v2_headers = {"x-token": tokens[1]["token"]}
        for key, headers in (
            ("GET /open-api/venues", v1_headers),
            ("GET /open-api/v2/venues", v2_headers),
        ):
            for _ in range(3):  # two a minute
                self.send(key, "limited: too many", headers=headers, app=app)
        # The tokens live one second: wait for them to expire.
        time.sleep(max(0.0, tokens[1]["expires_at"] - time.time()) + 0.05)
        for key, headers in (
            ("GET /open-api/stations", v1_headers),
            ("GET /open-api/v2/stations", v2_headers),
        ):
            self.send(key, "limited: expired token", headers=headers, app=app)

    def waiter_calls(self) -> None:
        key = "POST /open-api/v2/waiter-call"
        headers = self.callers("/open-api/v2/")[0].headers
        self.send(key, "waiter", json={"table_id": 1, "type": "WAITER"}, headers=headers)
        self.send(
            key, "pay", json={"table_id": 1, "type": "PAY", "payment_method": 1}, headers=headers
        )
        self.send(key, "unknown table", json={"table_id": 999, "type": "WAITER"}, headers=headers)
        self.send(key, "no token", json={"table_id": 1, "type": "WAITER"})

    def other_routes(self) -> None:
        """Routes outside the API (`/health`)."""
        for key in self.routes:
            path = key.split(" ", 1)[1]
            if not path.startswith(("/open-api", "/admin/api")):
                self.send(key, "plain")


# Finance and inventory paths: their records are alike (a ledger's rows), and the sandbox's
# history has a hundred of them; by id, the sweep asks for the first few.
_LEDGERS = ("/finance/", "/stock", "/operation", "/storages", "/suppliers")
_LEDGER_IDS = 8


def _shown(url: httpx.URL) -> str:
    """The path, and the query when it is short enough to read."""
    query = unquote(url.query.decode())
    return f"{url.path}?{query}" if query and len(query) <= 60 else url.path


def _records(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _records(item)
    elif isinstance(data, dict):
        yield data
        for nested in ("children", "modifications"):
            yield from _records(data.get(nested))
