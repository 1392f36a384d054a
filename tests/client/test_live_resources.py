"""Resources, pagination and the CLI against the real server's demo catalogue."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from clopos import AsyncClient, Client
from clopos.cli.client_commands import register
from tests.client.conftest import issued, sandbox
from tests.support import SANDBOX, LiveServer


def test_three_lines_list_venues(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in sandbox(server.url).items():
        monkeypatch.setenv(f"CLOPOS_{name.upper()}", str(value))
    from clopos import Client as FromPackage

    names = [venue.name for venue in FromPackage().venues.list()]
    assert names == ["Main"]


def test_iterating_walks_every_page(server: LiveServer) -> None:
    with Client(**sandbox(server.url)) as client:
        everything = client.products.list(limit=100).page()
        assert everything.total is not None and everything.total > 6
        walked = list(client.products.list(limit=3))
        pages = list(client.products.list(limit=3).pages())
    assert [p.id for p in walked] == [p.id for p in everything.items]
    assert len(pages) == -(-everything.total // 3)
    assert all(len(page) == 3 for page in pages[:-1])


@pytest.mark.anyio
async def test_async_iteration_walks_every_page(server: LiveServer) -> None:
    async with AsyncClient(**sandbox(server.url)) as client:
        first = await client.customers.list(limit=1).page()
        walked = [c.id async for c in client.customers.list(limit=2)]
    assert first.total is not None and len(walked) == first.total


def test_each_resource_answers_its_model(server: LiveServer) -> None:
    with Client(**sandbox(server.url)) as client:
        product = client.products.list(limit=1).page().items[0]
        assert client.products.get(product.id).id == product.id
        category = client.categories.list(limit=1).page().items[0]
        assert client.categories.get(category.id).name == category.name
        station = client.stations.list().page().items[0]
        assert client.stations.get(station.id).id == station.id
        user = client.users.list().page().items[0]
        assert client.users.get(user.id).username == user.username
        assert client.customer_groups.list().page().items
        assert client.sale_types.list().page().items
        assert client.payment_methods.list().page().items
        client.products.stop_list.list().page()
        client.price_lists.list().page()
        client.price_lists.prices.list().page()


def test_created_customers_can_be_read_back(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()  # writes: kept off the shared server
    with Client(**sandbox(live.url)) as client:
        made = client.customers.create({"name": "Grace", "phone": "+994500000303"})
        assert client.customers.get(made.id).name == "Grace"


def test_filters_use_bracket_notation(server: LiveServer) -> None:
    with Client(**sandbox(server.url)) as client:
        goods = list(client.products.list(params={"filters": [["type", ["GOODS"]]]}))
    assert goods and {p.type for p in goods} == {"GOODS"}


def cli() -> click.Group:
    @click.group()
    def main() -> None:
        pass

    register(main)
    return main


def cli_env(url: str) -> dict[str, str]:
    return {f"CLOPOS_{k.upper()}": str(v) for k, v in sandbox(url).items()}


def test_cli_token_prints_a_token_the_server_accepts(server: LiveServer) -> None:
    result = CliRunner().invoke(cli(), ["token"], env=cli_env(server.url))
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    answer = server.http.get("/open-api/v2/venues", headers={"x-token": token})
    assert answer.status_code == 200


def test_cli_call_prints_json_for_v1_and_v2(server: LiveServer) -> None:
    runner = CliRunner()
    v2 = runner.invoke(cli(), ["call", "GET", "/v2/venues"], env=cli_env(server.url))
    v1 = runner.invoke(cli(), ["call", "GET", "/venues"], env=cli_env(server.url))
    assert v2.exit_code == 0 and v1.exit_code == 0, v2.output + v1.output
    assert json.loads(v2.output)["data"][0]["name"] == json.loads(v1.output)["data"][0]["name"]


def test_cli_call_sends_query_items_and_bodies(make_server: Callable[..., LiveServer]) -> None:
    live = make_server()  # writes: kept off the shared server
    runner = CliRunner()
    env = cli_env(live.url)
    listed = runner.invoke(
        cli(), ["call", "GET", "/v2/products", "-q", "limit=2", "-q", "page=2"], env=env
    )
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.output)["data"]) == 2
    body = json.dumps({"name": "Cli Customer", "phone": "+994500000404"})
    made = runner.invoke(cli(), ["call", "POST", "/v2/customers", "-d", body], env=env)
    assert made.exit_code == 0, made.output
    assert json.loads(made.output)["data"]["name"] == "Cli Customer"
    again = runner.invoke(cli(), ["call", "POST", "/v2/customers", "-d", body], env=env)
    assert again.exit_code == 4 and "409" in again.output


def test_cli_errors_are_one_line_without_secrets(server: LiveServer) -> None:
    env = {**cli_env(server.url), "CLOPOS_CLIENT_SECRET": "wrong-secret"}
    result = CliRunner().invoke(cli(), ["call", "GET", "/v2/venues"], env=env)
    assert result.exit_code == 1
    assert "authentication_failed" in result.output and "wrong-secret" not in result.output
    missing = CliRunner().invoke(cli(), ["token"], env={"CLOPOS_BASE_URL": server.url})
    assert missing.exit_code == 2 and "CLOPOS_CLIENT_ID" in missing.output


def test_cli_token_cache_reuses_the_token(
    make_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    live = make_server()
    cache = str(tmp_path / "tokens.json")
    runner = CliRunner()
    first = runner.invoke(cli(), ["token", "--token-cache", cache], env=cli_env(live.url))
    second = runner.invoke(cli(), ["token", "--token-cache", cache], env=cli_env(live.url))
    assert first.exit_code == second.exit_code == 0
    assert first.output == second.output
    assert issued(live, SANDBOX["client_id"]) == 1
