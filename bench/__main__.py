"""Throughput of the API against bare-framework baselines, all on the same ASGI server.

Every server runs as one granian worker; the load generator is wrk (one thread, 64
connections), sharing the machine's cores with it. Each scenario is measured `--rounds`
times, interleaved with the others so that drift affects all alike, and the median is
reported with its ratio to the Starlette hello measured in the same run. Our server's
scenarios run on SQLite and on PostgreSQL (`--backend`); for PostgreSQL the benchmark starts
a throwaway cluster with its durability defaults, one fresh database per server.

The webhook scenarios (`--only webhooks`) create orders on servers whose every event goes
to a receiver (bench/receiver.py): the sender as shipped (a process `clopos serve` starts),
and inside the worker. After each of their measurements the harness waits until that
sender has caught up (every change made into events, every event delivered), so no
backlog runs into the next measurement, and reports the events delivered during the load,
the time to catch up, and the order rate's ratio to the plain order load in the same round
(which always runs beside them).

With PostgreSQL, the scaling scenarios (named `..., Redis, N worker(s)`: `--only Redis`)
run one server with one worker and one with two (what two instances behind a balancer do,
on one port), both sharing their rate limits through a throwaway Redis, against one
database each; their p99 sets one against the other.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import postgres
from bench import redis as redis_server

SANDBOX = {
    "client_id": "6553676e0d265ac837e8f79fc",
    "client_secret": "seCyF_4vja6yddQxE2PlerET0Uhy8ASbJ36hO68PD3JM=",
    "brand": "openapitest",
}
V1_AUTH = {**SANDBOX, "venue_id": "1"}
V2_AUTH = {**SANDBOX, "integrator_id": "1"}
JSON_TYPE = {"content-type": "application/json"}
PRODUCTS = "/open-api/v2/products?limit=50"
ORDERS = "/open-api/v2/orders?limit=50"
RECEIPTS = "/open-api/v2/receipts?limit=50"
STOCK = "/open-api/v2/stock?limit=50"
# The order load without a subscription: the webhook scenarios' ratios are to it.
PLAIN_ORDERS = "POST /v2/orders, 2 products (durable)"


@dataclass(frozen=True)
class Server:
    # "starlette" | "fastapi" | "webhook" (a webhook receiver: bench/receiver.py) |
    # "clopos" | "clopos-uncached" (response cache off) | "clopos-webhooks" (every event
    # subscribed to the receiver, sent as shipped: by the sender process `clopos serve`
    # starts) | "clopos-webhooks-worker" (the same, the sender inside the worker:
    # CLOPOS_WEBHOOK_SENDER_PROCESS=false)
    app: str
    backend: str = "-"  # our server's database: "sqlite" | "postgres"
    workers: int = 1
    redis: bool = False  # rate limits shared through Redis (CLOPOS_REDIS_URL)

    @property
    def label(self) -> str:
        label = self.app if self.backend == "-" else f"{self.app} on {self.backend}"
        if self.redis:
            label += f" with Redis, {self.workers} worker(s)"
        return label


@dataclass
class Scenario:
    """One load: a fixed request, or `request`, the Lua body of wrk's `request()` function
    (it returns each request, built with `wrk.format`; see `_LUA` for its helpers).
    `script` is more Lua, loaded after the helpers (it may define `response()`); with
    `counts`, the figure is not requests per second but the script's `counted` events per
    second (e.g. receipts closed)."""

    name: str
    server: Server
    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    request: str | None = None
    script: str | None = None
    counts: str | None = None
    # Run before each measurement (warm-up included) with its seconds: what the load uses up
    # made beforehand, outside the measurement (it may set `script`).
    prepare: Callable[[Scenario, int], None] | None = None
    results: list[float] = field(default_factory=list)
    latency_p99_ms: list[float] = field(default_factory=list)
    # Webhook scenarios only: events delivered per second during each measurement, and the
    # seconds the sender took after it to deliver the rest (the next measurement starts
    # with no backlog).
    events_per_second: list[float] = field(default_factory=list)
    drain_seconds: list[float] = field(default_factory=list)
    drained_events: list[int] = field(default_factory=list)


# Prepended to every wrk script. Each wrk thread runs its own Lua state: `setup` (in the
# main state) numbers the threads, and `done` (main state again) sums their counts.
_LUA = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

-- Non-2xx answers are counted: a fast error is not throughput. A scenario that counts
-- something else than requests (`Scenario.counts`) adds to `counted` in its `response()`.
bad = 0
counted = 0
ran_out = 0
function response(status, headers, body)
  if status >= 300 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total, events, out = 0, 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
    events = events + thread:get("counted")
    out = out + thread:get("ran_out")
  end
  io.write(string.format("non2xx=%d\\n", total))
  io.write(string.format("counted=%d duration_us=%d ran_out=%d\\n", events, summary.duration, out))
end

function init(args)
  json_headers = {["content-type"] = "application/json"}
  for name, value in pairs(wrk.headers) do json_headers[name] = value end
end

-- A customer with a phone no other request of this benchmark run uses: the invocation
-- number (one per wrk run), the thread's number, then a counter, in fixed widths.
created = 0
function create_customer()
  created = created + 1
  local phone = string.format("+99450%06d%02d%d", invocation, thread_number, created)
  local body = string.format('{"name": "Bench %d", "phone": "%s"}', created, phone)
  return wrk.format("POST", "/open-api/v2/customers", json_headers, body)
end
"""

CREATE_CUSTOMER = "return create_customer()"

# 19 product pages, then one customer creation, cycling.
PRODUCTS_AND_1_IN_20_WRITES = f"""
  step = (step or 0) % 20 + 1
  if step == 20 then return create_customer() end
  products = products or wrk.format("GET", "{PRODUCTS}")
  return products
"""


# Receipt closes with their stock and money effects. Each connection creates an order the
# venue accepts at once (`auto_order_accept`: an open receipt) and, once a receipt is
# waiting, closes it: `response()` queues the receipt id of each order answered, `request()`
# closes the oldest waiting receipt or else creates an order. (wrk may call `request()` for
# another connection than the one just answered, hence a queue, shared by the thread's
# connections, rather than a receipt per connection.) A close's answer counts; so about half
# the requests are the orders the closes need. `order_body` and `close_body` are set before.
RECEIPT_CLOSES = """
waiting, first, last = {}, 1, 0
function response(status, headers, body)
  if status >= 300 then bad = bad + 1 return end
  local receipt = body:match('"receipt_id":(%d+)')
  if receipt then
    last = last + 1
    waiting[last] = receipt
  elseif body:find('"Receipt closed"', 1, true) then
    counted = counted + 1
  end
end
"""
CLOSE_OR_CREATE = """
  if first <= last then
    local receipt = waiting[first]
    waiting[first] = nil
    first = first + 1
    local path = "/open-api/v2/receipts/" .. receipt .. "/close"
    return wrk.format("POST", path, json_headers, close_body)
  end
  return wrk.format("POST", "/open-api/v2/orders", json_headers, order_body)
"""


# Receipt closes alone: each request closes the next of the open receipts made before the
# measurement, outside it (`receipts`: their ids; `close_body`). Should they run out, the
# thread stops, and the closes are counted until then.
SEEDED_CLOSES = """
next_receipt = 1
function response(status, headers, body)
  if status >= 300 then bad = bad + 1 return end
  if body:find('"Receipt closed"', 1, true) then counted = counted + 1 end
end
"""
CLOSE_NEXT = """
  local receipt = receipts[next_receipt]
  if receipt == nil then
    ran_out = 1
    wrk.thread:stop()
    return wrk.format("GET", "/health")
  end
  next_receipt = next_receipt + 1
  local path = "/open-api/v2/receipts/" .. receipt .. "/close"
  return wrk.format("POST", path, json_headers, close_body)
"""


@dataclass
class _OpenReceipts:
    """The open receipts of the closes alone: before each measurement, orders the venue
    accepts at once, enough for 1.5 times the best rate measured so far over its seconds,
    made through the API with 32 requests in flight."""

    url: str
    headers: dict[str, str]
    order: str
    close: str
    expected: float = 1000.0  # closes/s the first measurement (the warm-up) is given for

    def __call__(self, scenario: Scenario, seconds: int) -> None:
        if scenario.results:
            self.expected = max(scenario.results)
        ids = asyncio.run(self._make(int(self.expected * seconds * 1.5) + 100))
        scenario.script = (
            f"close_body = {json.dumps(self.close)}\n"
            f"receipts = {{{','.join(map(str, ids))}}}\n{SEEDED_CLOSES}"
        )

    async def _make(self, count: int) -> list[int]:
        made: list[int] = []
        body = json.loads(self.order)

        async def worker(client: httpx.AsyncClient, share: int) -> None:
            for _ in range(share):
                answer = await client.post("/open-api/v2/orders", json=body)
                answer.raise_for_status()
                made.append(answer.json()["data"]["receipt_id"])

        limits = httpx.Limits(max_connections=32)
        async with httpx.AsyncClient(
            base_url=self.url, headers=self.headers, timeout=60, limits=limits
        ) as client:
            await asyncio.gather(*(worker(client, count // 32 + 1) for _ in range(32)))
        return made


def _receipt_close_scenarios(server: Server, url: str, headers: dict[str, str]) -> list[Scenario]:
    """Auto-accepted orders of two products (a recipe's ingredients and a modifier's to
    deduct), each receipt closed paying its total part in cash, part by card (two balances
    moved, in the venue's open shift, taxes charged): the closes alone, on receipts made
    before each measurement, and each connection creating the orders it closes."""
    order = _order_body(url, headers, accept=True)
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        receipt = client.post("/open-api/v2/orders", json=json.loads(order)).json()["data"]
        total = client.get(f"/open-api/v2/receipts/{receipt['receipt_id']}").json()["data"]["total"]
        close = close_body(total)
        client.post(
            f"/open-api/v2/receipts/{receipt['receipt_id']}/close", content=close
        ).raise_for_status()
    return [
        Scenario(
            "receipt closes, closes/s",
            server,
            headers={**headers, **JSON_TYPE},
            request=CLOSE_NEXT,
            counts="closes",
            prepare=_OpenReceipts(url, headers, order, close),
        ),
        Scenario(
            "receipt closes (order + close), closes/s",
            server,
            headers={**headers, **JSON_TYPE},
            request=CLOSE_OR_CREATE,
            script=f"order_body = {json.dumps(order)}\nclose_body = {json.dumps(close)}\n"
            + RECEIPT_CLOSES,
            counts="closes",
        ),
    ]


def close_body(total: float) -> str:
    """A close paying `total` half in cash (method 1), half by card (method 2)."""
    cash = round(total / 2, 2)
    payments = [{"id": 1, "amount": cash}, {"id": 2, "amount": round(total - cash, 2)}]
    return json.dumps({"payment_methods": payments})


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


OPERATOR_TOKEN = "bench-operator"

# The rate-limit tiers stay on (their cost is part of the request path), set above the load.
LIMITS_ABOVE_LOAD = {
    "CLOPOS_AUTH_PER_MINUTE": "100000000",
    "CLOPOS_TENANT_PER_MINUTE": "100000000",
    "CLOPOS_V1_PER_MINUTE": "100000000",
    "CLOPOS_V1_PER_HOUR": "100000000",
    "CLOPOS_FAILED_PER_MINUTE": "100000000",
}


@contextlib.contextmanager
def _serve(
    server: Server, data_dir: Path, database_url: str | None, redis_url: str | None = None
) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    if server.app.startswith("clopos"):
        env.update(
            LIMITS_ABOVE_LOAD,
            CLOPOS_DATA_DIR=str(data_dir),
            CLOPOS_RESPONSE_CACHE_ENTRIES="0" if server.app == "clopos-uncached" else "4096",
            CLOPOS_ADMIN_TOKEN=OPERATOR_TOKEN,
        )
        if database_url:
            env["CLOPOS_DATABASE_URL"] = database_url
        if server.redis:
            assert redis_url is not None
            env["CLOPOS_REDIS_URL"] = redis_url
        if server.app == "clopos-webhooks-worker":
            env["CLOPOS_WEBHOOK_SENDER_PROCESS"] = "false"
        command = [sys.executable, "-m", "clopos", "serve", "--port", str(port)]
        command += ["--workers", str(server.workers)]
    elif server.app == "webhook":
        command = [sys.executable, "-m", "bench.receiver", str(port)]
    else:
        command = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-ws",
            f"bench.baseline_apps:{server.app}_hello",
        ]
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        probe = "/health" if server.app.startswith("clopos") else "/hello"
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url + probe, timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{server.label} server did not start:\n{tail}")
            time.sleep(0.1)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


_invocations = itertools.count(1)


def _wrk(url: str, scenario: Scenario, seconds: int, connections: int) -> tuple[float, float]:
    script = f"invocation = {next(_invocations)}\n{_LUA}\n"
    script += f"wrk.method = {json.dumps(scenario.method)}\n"
    for name, value in scenario.headers.items():
        script += f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
    if scenario.body is not None:
        script += f"wrk.body = {json.dumps(scenario.body)}\n"
    if scenario.script is not None:
        script += scenario.script
    if scenario.request is not None:
        script += f"function request()\n{scenario.request}\nend\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                # Slow answers are measured, not dropped from the latencies as timeouts.
                "--timeout",
                "60s",
                "--latency",
                "-s",
                handle.name,
                url + scenario.path,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    bad = int(re.search(r"non2xx=(\d+)", output).group(1))  # type: ignore[union-attr]
    if scenario.counts is not None:
        found = re.search(r"counted=(\d+) duration_us=(\d+) ran_out=(\d+)", output)
        assert found is not None, output
        # Counted over the run's own duration: one that ran out of what it uses up (and
        # stopped) is counted until then.
        rate = int(found.group(1)) / (int(found.group(2)) / 1e6)
        if int(found.group(3)):
            print(
                f"{scenario.name}: ran out of what it was given; rate counted until then",
                file=sys.stderr,
            )
    if bad or "Non-2xx" in output:
        raise RuntimeError(f"{scenario.name} ({scenario.server.label}): non-2xx answers\n{output}")
    if "Socket errors" in output:
        print(f"{scenario.name} ({scenario.server.label}): {output}", file=sys.stderr)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    return rate, latency


def _ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk not found: installing Debian's package ...", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], check=False, stdout=subprocess.DEVNULL
        )
    if not shutil.which("wrk"):
        sys.exit("the benchmarks need wrk (Debian/Ubuntu: apt-get install wrk)")


def _v1_headers(url: str) -> dict[str, str]:
    token = httpx.post(url + "/open-api/auth", json=V1_AUTH).json()["token"]
    return {"x-token": token, "x-brand": "openapitest", "x-venue": "1"}


def _v2_headers(url: str) -> dict[str, str]:
    token = httpx.post(url + "/open-api/v2/auth", json=V2_AUTH).json()["token"]
    return {"x-token": token}


def _order_body(url: str, headers: dict[str, str], accept: bool = False) -> str:
    """A v2 order of two products (a cappuccino with oat milk, two espressos)."""
    products = httpx.get(url + PRODUCTS_WITH_MODIFIERS, headers=headers).json()["data"]
    return order_body(products, accept)


# The products page `order_body` reads its ids from.
PRODUCTS_WITH_MODIFIERS = "/open-api/v2/products?limit=100&with[]=modificator_groups.modificators"


def order_body(products: list[dict[str, Any]], accept: bool = False) -> str:
    """The order of `_order_body` from a page of `products` (PRODUCTS_WITH_MODIFIERS)."""
    ids = {product["name"]: product for product in products}
    oat = next(
        m["id"]
        for g in ids["Cappuccino"]["modificator_groups"]
        for m in g["modificators"]
        if m["name"] == "Oat milk"
    )
    body = {
        "sale_type_id": 3,
        "venue_id": 1,
        "auto_order_accept": accept,
        "customer": {"name": "Bench", "phone": "+994500000000", "address": "1 Main St"},
        "products": [
            {
                "product_id": ids["Cappuccino"]["id"],
                "product_name": "Cappuccino",
                "modifiers": [{"modifier_id": oat, "modifier_name": "Oat milk"}],
            },
            {"product_id": ids["Espresso"]["id"], "product_name": "Espresso", "count": 2},
        ],
    }
    return json.dumps(body)


def _seed_receipts(url: str, headers: dict[str, str], count: int = 60) -> None:
    """Accepted orders, half of their receipts closed: something to list."""
    body = json.loads(_order_body(url, headers, accept=True))
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for number in range(count):
            order = client.post("/open-api/v2/orders", json=body).json()["data"]
            if number % 2:
                client.post(
                    f"/open-api/v2/receipts/{order['receipt_id']}/close",
                    json={"payment_methods": [{"id": 1, "amount": 1000}]},
                )


def _subscribe(url: str, receiver: str) -> None:
    """Every event of the sandbox brand to `receiver` (one `order.created` per order)."""
    answer = httpx.post(
        url + "/admin/api/brands/openapitest/webhooks",
        json={"url": receiver, "events": ["*"]},
        headers={"authorization": f"Bearer {OPERATOR_TOKEN}"},
        timeout=30,
    )
    answer.raise_for_status()


@dataclass(frozen=True)
class Progress:
    """A webhook server's sender: deliveries done, deliveries waiting, and whether the
    change log holds changes it has not made into events yet."""

    delivered: int
    pending: int
    behind: bool

    @property
    def caught_up(self) -> bool:
        return not self.pending and not self.behind


_PROGRESS = (
    "SELECT count(*) FILTER (WHERE status = 'delivered'),"
    " count(*) FILTER (WHERE status = 'pending') FROM webhook_deliveries"
)


def _progress(data_dir: Path, database_url: str | None) -> Progress:
    if database_url is None:
        with contextlib.closing(sqlite3.connect(data_dir / "clopos.db")) as connection:
            delivered, pending = connection.execute(_PROGRESS).fetchone()
            behind = connection.execute(
                "SELECT EXISTS (SELECT 1 FROM change_log"
                " WHERE seq > coalesce((SELECT seq FROM webhook_sender), 0))"
            ).fetchone()[0]
        return Progress(int(delivered), int(pending), bool(behind))

    async def read() -> Progress:
        import asyncpg

        dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
        connection = await asyncpg.connect(dsn)
        try:
            delivered, pending = await connection.fetchrow(_PROGRESS)
            place = await connection.fetchrow("SELECT horizon, handed FROM webhook_sender")
            horizon, handed = (0, []) if place is None else (place[0], json.loads(place[1]))
            behind = await connection.fetchval(
                "SELECT EXISTS (SELECT 1 FROM change_log WHERE txid >= $1"
                " AND txid <> ALL($2::bigint[]))",
                horizon,
                handed,
            )
        finally:
            await connection.close()
        return Progress(int(delivered), int(pending), bool(behind))

    return asyncio.run(read())


def _drain(home: tuple[Path, str | None], limit: float = 600) -> tuple[float, int]:
    """Wait until the server's sender has caught up (every change made into events, every
    event delivered): answers the seconds it took and the events delivered meanwhile."""
    started = time.monotonic()
    first = _progress(*home)
    now = first
    while not now.caught_up:
        if time.monotonic() - started > limit:
            print(f"the webhook sender did not catch up in {limit:g} s: {now}", file=sys.stderr)
            break
        time.sleep(0.1)
        now = _progress(*home)
    return time.monotonic() - started, now.delivered - first.delivered


def _clopos_scenarios(backend: str, urls: dict[Server, str]) -> list[Scenario]:
    """Our server's scenarios on one database (the v1 variants on SQLite only)."""
    cached, uncached = Server("clopos", backend), Server("clopos-uncached", backend)
    hooked = Server("clopos-webhooks", backend)
    in_worker = Server("clopos-webhooks-worker", backend)
    v2, v2_uncached = _v2_headers(urls[cached]), _v2_headers(urls[uncached])
    v2_hooked, v2_worker = _v2_headers(urls[hooked]), _v2_headers(urls[in_worker])
    for subscribed in (hooked, in_worker):
        _subscribe(urls[subscribed], urls[Server("webhook")] + "/hooks")
    _seed_receipts(urls[uncached], v2_uncached)
    scenarios = [
        Scenario(
            "POST /v2/auth (token issuance)",
            cached,
            "POST",
            "/open-api/v2/auth",
            JSON_TYPE,
            json.dumps(V2_AUTH),
        )
    ]
    if backend == "sqlite":
        scenarios.append(
            Scenario(
                "POST /auth (v1 token issuance)",
                cached,
                "POST",
                "/open-api/auth",
                JSON_TYPE,
                json.dumps(V1_AUTH),
            )
        )
    scenarios.append(Scenario("GET /v2/venues", cached, "GET", "/open-api/v2/venues", v2))
    if backend == "sqlite":
        v1 = _v1_headers(urls[cached])
        scenarios.append(Scenario("GET /venues (v1)", cached, "GET", "/open-api/venues", v1))
    scenarios += [
        Scenario("GET /v2/products?limit=50", cached, "GET", PRODUCTS, v2),
        Scenario("GET /v2/venues, cache off", uncached, "GET", "/open-api/v2/venues", v2_uncached),
        Scenario("GET /v2/products?limit=50, cache off", uncached, "GET", PRODUCTS, v2_uncached),
        Scenario("POST /v2/customers (durable)", cached, headers=v2, request=CREATE_CUSTOMER),
        Scenario(
            "products, 1 in 20 creates a customer",
            cached,
            headers=v2,
            request=PRODUCTS_AND_1_IN_20_WRITES,
        ),
        Scenario(
            PLAIN_ORDERS,
            cached,
            "POST",
            "/open-api/v2/orders",
            {**v2, **JSON_TYPE},
            _order_body(urls[cached], v2),
        ),
        Scenario(
            "POST /v2/orders, 2 products, webhooks on",
            hooked,
            "POST",
            "/open-api/v2/orders",
            {**v2_hooked, **JSON_TYPE},
            _order_body(urls[hooked], v2_hooked),
        ),
        Scenario(
            "POST /v2/orders, 2 products, webhooks on, sender in the serving process",
            in_worker,
            "POST",
            "/open-api/v2/orders",
            {**v2_worker, **JSON_TYPE},
            _order_body(urls[in_worker], v2_worker),
        ),
        Scenario("GET /v2/orders?limit=50, cache off", uncached, "GET", ORDERS, v2_uncached),
        Scenario("GET /v2/receipts?limit=50, cache off", uncached, "GET", RECEIPTS, v2_uncached),
        Scenario("GET /v2/stock?limit=50, cache off", uncached, "GET", STOCK, v2_uncached),
        *_receipt_close_scenarios(cached, urls[cached], v2),
    ]
    return scenarios


SCALING = (Server("clopos", "postgres", 1, True), Server("clopos", "postgres", 2, True))


def _scaling_scenarios(urls: dict[Server, str]) -> list[Scenario]:
    """The same loads on one worker and on two, rate limits in Redis (PostgreSQL)."""
    scenarios = []
    for server in SCALING:
        url, workers = urls[server], f"Redis, {server.workers} worker(s)"
        v2 = _v2_headers(url)
        scenarios += [
            Scenario(f"GET /v2/venues, {workers}", server, "GET", "/open-api/v2/venues", v2),
            Scenario(f"GET /v2/products?limit=50, {workers}", server, "GET", PRODUCTS, v2),
            Scenario(
                f"POST /v2/orders, {workers}",
                server,
                "POST",
                "/open-api/v2/orders",
                {**v2, **JSON_TYPE},
                _order_body(url, v2),
            ),
        ]
    return scenarios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgres", "both"),
        default="both",
        help="database(s) our server runs on",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help="run only the scenarios whose name contains TEXT (repeatable; the hellos always run)",
    )
    args = parser.parse_args()
    _ensure_wrk()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if "postgres" in backends and postgres.binaries() is None:
        sys.exit("--backend postgres needs PostgreSQL's server binaries (initdb, pg_ctl)")

    servers = [Server("starlette"), Server("fastapi"), Server("webhook")]
    for backend in backends:
        servers += [
            Server("clopos", backend),
            Server("clopos-uncached", backend),
            Server("clopos-webhooks", backend),
            Server("clopos-webhooks-worker", backend),
        ]
    scaling = "postgres" in backends and (
        not args.only or any("Redis" in text or "worker" in text for text in args.only)
    )
    if scaling:
        if redis_server.binary() is None:
            sys.exit(
                "the scaling scenarios need redis-server (Debian: apt-get install redis-server)"
            )
        servers += SCALING

    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        # Entered first, so left last: the cluster outlives the servers using it.
        cluster = stack.enter_context(postgres.Cluster.start()) if "postgres" in backends else None
        redis_url = stack.enter_context(redis_server.running()) if scaling else None
        urls: dict[Server, str] = {}
        homes: dict[Server, tuple[Path, str | None]] = {}
        for index, server in enumerate(servers):
            database_url = (
                cluster.new_database() if cluster and server.backend == "postgres" else None
            )
            data_dir = Path(tmp) / f"{index}-{server.app}-{server.backend}"
            urls[server] = stack.enter_context(_serve(server, data_dir, database_url, redis_url))
            homes[server] = (data_dir, database_url)

        scenarios = [
            Scenario("starlette hello (baseline)", Server("starlette"), "GET", "/hello"),
            Scenario("fastapi hello", Server("fastapi"), "GET", "/hello"),
        ]
        for backend in backends:
            available = _clopos_scenarios(backend, urls)
            chosen = [
                scenario
                for scenario in available
                if not args.only or any(text in scenario.name for text in args.only)
            ]
            if any(_hooked(scenario) for scenario in chosen):
                # Their ratio is to the same order load without a subscription, measured in
                # the same rounds.
                chosen += [s for s in available if s.name == PLAIN_ORDERS and s not in chosen]
            scenarios += [scenario for scenario in available if scenario in chosen]
        if scaling:
            scenarios += [
                scenario
                for scenario in _scaling_scenarios(urls)
                if not args.only or any(text in scenario.name for text in args.only)
            ]

        for scenario in scenarios:  # warm-up: imports, caches, connection pools
            if scenario.prepare is not None:
                scenario.prepare(scenario, 1)
            _wrk(urls[scenario.server], scenario, 1, args.connections)
            if _hooked(scenario):
                _drain(homes[scenario.server])
        for round_number in range(args.rounds):
            for scenario in scenarios:
                hooked = _hooked(scenario)
                before = _progress(*homes[scenario.server]).delivered if hooked else 0
                if scenario.prepare is not None:
                    scenario.prepare(scenario, args.seconds)
                rate, p99 = _wrk(urls[scenario.server], scenario, args.seconds, args.connections)
                scenario.results.append(rate)
                scenario.latency_p99_ms.append(p99)
                if hooked:
                    done = _progress(*homes[scenario.server]).delivered - before
                    scenario.events_per_second.append(done / args.seconds)
                    # No backlog left to the next measurement: the sender catches up first.
                    seconds, drained = _drain(homes[scenario.server])
                    scenario.drain_seconds.append(seconds)
                    scenario.drained_events.append(drained)
            print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr, flush=True)

    baseline = statistics.median(scenarios[0].results)
    width = max(38, *(len(scenario.name) for scenario in scenarios))
    print(
        f"\n{'scenario':<{width}} {'backend':<9} {'req/s':>9} {'ratio':>7} {'p99 ms':>8}   (median "
        f"of {args.rounds} x {args.seconds}s, {args.connections} connections, 1 worker "
        "unless named)"
    )
    for scenario in scenarios:
        rate = statistics.median(scenario.results)
        p99 = statistics.median(scenario.latency_p99_ms)
        print(
            f"{scenario.name:<{width}} {scenario.server.backend:<9} {rate:>9.0f} "
            f"{rate / baseline:>7.3f} {p99:>8.2f}"
        )
    # Webhooks: the events one sender delivered while orders were created on its server, how
    # long it took to deliver the rest once the load stopped, and order creation with a
    # subscription on against the same load without one, round by round.
    plain = {s.server.backend: s for s in scenarios if s.name == PLAIN_ORDERS}
    for scenario in scenarios:
        if not _hooked(scenario):
            continue
        backend = scenario.server.backend
        apart = scenario.server.app == "clopos-webhooks"
        where = f"{backend}, sender {'a process of its own' if apart else 'in the serving process'}"
        during = statistics.median(scenario.events_per_second)
        print(f"\nwebhooks ({where}):")
        print(f"  events delivered/s while orders are created: {during:.0f} (median)")
        drains = ", ".join(
            f"{seconds:.1f} s for {events}"
            for seconds, events in zip(scenario.drain_seconds, scenario.drained_events, strict=True)
        )
        print(f"  then caught up in: {drains}")
        caught = [
            events / seconds
            for seconds, events in zip(scenario.drain_seconds, scenario.drained_events, strict=True)
            if events and seconds
        ]
        if caught:
            print(f"  events delivered/s catching up: {statistics.median(caught):.0f} (median)")
        without = plain.get(backend)
        if without is not None:
            pairs = zip(scenario.results, without.results, strict=True)
            ratios = [hooked / bare for hooked, bare in pairs]
            shown = " ".join(f"{ratio:.3f}" for ratio in ratios)
            print(
                f"  order creation with a subscription on / without: "
                f"{statistics.median(ratios):.3f} (median; rounds: {shown})"
            )


def _hooked(scenario: Scenario) -> bool:
    """A webhook scenario: its server's sender delivers every event to the receiver."""
    return scenario.server.app.startswith("clopos-webhooks")


if __name__ == "__main__":
    main()
