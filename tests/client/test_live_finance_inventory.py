"""The client's finance and inventory methods against the real server, sync and async: the
totals and summaries agree with the lists they sum, a document's items are its own, a
waiter is called; and every operation the served OpenAPI document lists has a client method
answering the route's model."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from clopos import AsyncClient, Client
from clopos.client import BadRequestError
from clopos.client._endpoints import Resource, _Spec
from clopos.schemas.finance import TaxTotal
from clopos.schemas.inventory import StockInfo
from tests.client.conftest import sandbox
from tests.support import LiveServer

PREFIXES = {2: "/open-api/v2", 1: "/open-api"}


def count(pager: Any) -> int:
    total: int = pager.page().total
    return total


def test_totals_agree_with_the_lists_they_sum(server: LiveServer) -> None:
    with Client(**sandbox(server.url)) as client:
        stock = client.stock.total()
        assert stock.count == count(client.stock.list())
        beans = next(p.id for p in client.products.list() if p.name == "Coffee beans")
        one = client.stock.total(params={"filters": [["product_id", beans]]})
        levels = list(client.stock.list(params={"filters": [["product_id", beans]]}))
        assert one.count == len(levels) and one.quantity == pytest.approx(
            sum(s.quantity for s in levels)
        )
        info = client.stock.info()
        assert isinstance(info, StockInfo)
        assert info.storages_count == count(client.storages.list())
        assert info.total_cost == pytest.approx(stock.total_cost)

        moves = client.stock_operations.total()
        assert moves.count == count(client.stock_operations.list())
        documents = list(client.operations.list(limit=200))
        summed = client.operations.total()
        assert summed.count == len(documents)
        assert summed.total == pytest.approx(sum(o.total for o in documents))
        items = client.operations.items_total()
        assert items.count == count(client.operations.items())
        suppliers = client.suppliers.total()
        assert suppliers.count == count(client.suppliers.list())
        assert suppliers.spent == pytest.approx(sum(s.spent for s in client.suppliers.list()))

        taxes = client.finance.taxes.total()
        assert isinstance(taxes, TaxTotal)
        assert taxes.amount == pytest.approx(sum(t.amount for t in client.finance.taxes.report()))

        supply = next(o for o in documents if o.type_name == "IN")
        own = list(client.operations.items_of(supply.id, limit=1))
        assert own and {i.operation_id for i in own} == {supply.id}
        everywhere = client.operations.items(params={"filters": [["operation_id", supply.id]]})
        assert [i.id for i in own] == [i.id for i in everywhere]


@pytest.mark.anyio
async def test_the_same_awaited(server: LiveServer) -> None:
    async with AsyncClient(**sandbox(server.url)) as client:
        stock = await client.stock.total()
        first = await client.stock.list().page()
        assert stock.count == first.total
        assert (await client.stock.info()).storages_count >= 1
        assert (await client.stock_operations.total()).count >= 1
        assert (await client.operations.total()).count >= 1
        assert (await client.operations.items_total()).count >= 1
        assert (await client.suppliers.total()).count >= 1
        assert (await client.finance.taxes.total()).receipts_count >= 1
        document = (await client.operations.list(limit=1).page()).items[0]
        own = [i async for i in client.operations.items_of(document.id)]
        assert own and {i.operation_id for i in own} == {document.id}


def test_a_waiter_is_called(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()  # writes: kept off the shared server
    with Client(**sandbox(live.url)) as client:
        cash = next(m.id for m in client.payment_methods.list() if m.name == "Cash")
        assert client.waiter_calls.create({"table_id": 1, "type": "WAITER"}).success is True
        paying = client.waiter_calls.create({"table_id": 2, "type": "PAY", "payment_method": cash})
        assert paying.success is True
        with pytest.raises(BadRequestError):
            client.waiter_calls.create({"table_id": 999, "type": "WAITER"})


@pytest.mark.anyio
async def test_a_waiter_is_called_awaited(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()
    async with AsyncClient(**sandbox(live.url)) as client:
        called = await client.waiter_calls.create({"table_id": 3, "type": "WAITER"})
        assert called.success is True


def _specs(resource: Resource[Any]) -> Iterator[_Spec[Any]]:
    """Every endpoint of a mounted resource and of the resources mounted on it."""
    for value in vars(type(resource)).values():
        if isinstance(value, _Spec):
            yield value
    for value in vars(resource).values():
        if isinstance(value, Resource):
            yield from _specs(value)


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _answer_name(document: dict[str, Any], operation: dict[str, Any]) -> str | None:
    """The name of the model a route answers: its envelope's `data` (an item of it for a
    list), or the body itself when it has no envelope."""
    schemas = document["components"]["schemas"]
    code = next(c for c in operation["responses"] if c.startswith("2"))
    schema = operation["responses"][code]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    data = schemas[name].get("properties", {}).get("data")
    if data is None:
        return str(name)
    item = data.get("items", data)
    return str(item["$ref"].rsplit("/", 1)[1]) if "$ref" in item else None


def _model_names(model: Any) -> set[str]:
    """The names a model may have in the document (a qualified one when two share a name)."""
    args = getattr(model, "__args__", ())
    if args:  # list[X]
        model = args[0]
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return {model.__name__, f"{model.__module__.replace('.', '__')}__{model.__name__}"}


def _offered(client: Client | AsyncClient) -> dict[tuple[str, int, str], Any]:
    """`(method, version, path shape)` -> the model answered, for every method of `client`."""
    offered = {}
    for resource in vars(client).values():
        if not isinstance(resource, Resource):
            continue
        for spec in _specs(resource):
            for version in spec.versions:
                model = spec.per_version.get(version, spec.model)
                offered[(spec.method, version, _shape(spec.path))] = model
    return offered


@pytest.mark.anyio
async def test_every_served_operation_has_a_client_method(server: LiveServer) -> None:
    """Derived from the served document: each operation of v1 and v2 (the token exchange
    aside, which the client does itself) has a method on both clients, on that version,
    answering the route's model."""
    document = server.http.get("/openapi.json").json()
    with Client(**sandbox(server.url)) as client:
        offered = _offered(client)
    async with AsyncClient(**sandbox(server.url)) as awaited:
        assert _offered(awaited) == offered
    missing, mistyped = [], []
    for path, operations in sorted(document["paths"].items()):
        version = 2 if path.startswith(PREFIXES[2]) else 1 if path.startswith("/open-api/") else 0
        if not version:
            continue  # the operator API and the probes: not the client's
        for method, operation in operations.items():
            if "Authentication" in operation.get("tags", ()):
                continue
            key = (method.upper(), version, _shape(path[len(PREFIXES[version]) :]))
            if key not in offered:
                missing.append(f"{method.upper()} {path}")
            elif _answer_name(document, operation) not in _model_names(offered[key]):
                mistyped.append(f"{method.upper()} {path}: {offered[key]}")
    assert document["paths"] and len(offered) > 50
    assert not missing, f"served operations without a client method: {missing}"
    assert not mistyped, f"client methods answering another model: {mistyped}"
