"""Durability, with real processes: every write the server acknowledged survives its SIGKILL.

A `clopos serve` process takes a burst of concurrent customer (or order) creations; it is
killed with SIGKILL (no shutdown handler runs) while requests are in flight, started again on
the same data, and every customer (order) it acknowledged must be there. On SQLite this holds with
either `synchronous` level (a killed process leaves its writes to the operating system);
power loss, which only `full` survives, cannot be staged in a test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.store import process

WRITERS = 8
MIN_SECONDS, MIN_ACKNOWLEDGED, MAX_SECONDS = 1.5, 50, 10.0


def customer(client: httpx.Client, writer: int, count: int) -> str:
    """Create a customer; answers its phone once acknowledged."""
    phone = f"+99450{writer:02d}{count:06d}"
    answer = client.post(
        "/open-api/v2/customers", json={"name": f"Storm {writer}-{count}", "phone": phone}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["phone"] == phone
    return phone


def storm(
    server: process.ServerProcess,
    create: Callable[[httpx.Client, int, int], str] = customer,
) -> tuple[list[str], int]:
    """Create records from WRITERS threads until the server dies; SIGKILL it mid-storm.
    Answers the keys of the acknowledged records and the number of requests in doubt
    (sent, but no answer came)."""
    token = server.token()
    acknowledged: list[str] = []
    in_doubt = 0
    lock = threading.Lock()
    stop = threading.Event()

    def write(writer: int) -> None:
        nonlocal in_doubt
        with httpx.Client(base_url=server.url, headers={"x-token": token}, timeout=10) as client:
            count = 0
            while not stop.is_set():
                count += 1
                try:
                    key = create(client, writer, count)
                except httpx.TransportError:
                    with lock:
                        in_doubt += 1
                    return
                with lock:
                    acknowledged.append(key)

    threads = [threading.Thread(target=write, args=(n,), daemon=True) for n in range(WRITERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while time.monotonic() - started < MAX_SECONDS:
        time.sleep(0.05)
        with lock:
            enough = len(acknowledged) >= MIN_ACKNOWLEDGED
        if enough and time.monotonic() - started >= MIN_SECONDS:
            break
    server.kill()  # while the writers are still sending
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    assert not any(thread.is_alive() for thread in threads)
    return acknowledged, in_doubt


def stored_phones(server: process.ServerProcess) -> set[str]:
    headers = {"x-token": server.token()}
    phones: set[str] = set()
    page = 1
    while True:
        answer = httpx.get(
            f"{server.url}/open-api/v2/customers",
            params={"limit": 999, "page": page},
            headers=headers,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        rows = answer.json()["data"]
        phones |= {row["phone"] for row in rows}
        if len(rows) < 999:
            return phones
        page += 1


def test_acknowledged_customers_survive_sigkill(
    backend_name: str, database_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "server"
    settings = {} if backend_name == "sqlite" else {"database_url": database_url}
    env = process.server_env(data, **settings)
    log = tmp_path / "server.log"

    with process.serve(env, log) as server:
        acknowledged, in_doubt = storm(server)
        assert server.process.returncode is not None  # it is dead
    print(f"{backend_name}: {len(acknowledged)} acknowledged, {in_doubt} in doubt at the kill")
    assert len(acknowledged) >= MIN_ACKNOWLEDGED, log.read_text()[-2000:]
    assert in_doubt > 0, "the kill came after the writes: no request was in flight"

    with process.serve(env, log) as restarted:
        stored = stored_phones(restarted)
    missing = sorted(set(acknowledged) - stored)
    assert missing == [], f"{len(missing)} of {len(acknowledged)} acknowledged writes lost"


def order_maker(server: process.ServerProcess) -> Callable[[httpx.Client, int, int], str]:
    """Create v2 orders of two products, each with its own integration uuid."""
    headers = {"x-token": server.token()}
    products = httpx.get(
        f"{server.url}/open-api/v2/products", params={"limit": 100}, headers=headers
    ).json()["data"]
    ids = {product["name"]: product["id"] for product in products}
    sale_types = httpx.get(f"{server.url}/open-api/v2/sale-types", headers=headers).json()["data"]
    sale_type = next(s["id"] for s in sale_types if s["status"].get("1") == 1)

    def create(client: httpx.Client, writer: int, count: int) -> str:
        key = f"storm-{writer}-{count}"
        body: dict[str, Any] = {
            "sale_type_id": sale_type,
            "venue_id": 1,
            "integration_uuid": key,
            "customer": {"name": "Storm", "phone": "+994500000000"},
            "products": [
                {"product_id": ids["Espresso"], "product_name": "Espresso", "count": 2},
                {"product_id": ids["Cappuccino"], "product_name": "Cappuccino"},
            ],
        }
        answer = client.post("/open-api/v2/orders", json=body)
        assert answer.status_code == 201, answer.text
        assert answer.json()["data"]["integration_uuid"] == key
        return key

    return create


def stored_orders(server: process.ServerProcess) -> set[str]:
    headers = {"x-token": server.token()}
    found: set[str] = set()
    page = 1
    while True:
        answer = httpx.get(
            f"{server.url}/open-api/v2/orders",
            params={"limit": 100, "page": page},
            headers=headers,
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        rows = answer.json()["data"]
        found |= {row["integration_uuid"] for row in rows}
        if len(rows) < 100:
            return found
        page += 1


def test_acknowledged_orders_survive_sigkill(
    backend_name: str, database_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "server"
    settings = {} if backend_name == "sqlite" else {"database_url": database_url}
    env = process.server_env(data, **settings)
    log = tmp_path / "server.log"

    with process.serve(env, log) as server:
        acknowledged, in_doubt = storm(server, order_maker(server))
        assert server.process.returncode is not None
    print(f"{backend_name}: {len(acknowledged)} orders acknowledged, {in_doubt} in doubt")
    assert len(acknowledged) >= MIN_ACKNOWLEDGED, log.read_text()[-2000:]
    assert in_doubt > 0, "the kill came after the writes: no request was in flight"

    with process.serve(env, log) as restarted:
        stored = stored_orders(restarted)
    missing = sorted(set(acknowledged) - stored)
    assert missing == [], f"{len(missing)} of {len(acknowledged)} acknowledged orders lost"
