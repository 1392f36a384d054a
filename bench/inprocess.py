"""CPU per request of the hot paths, with the app called in-process as ASGI (no socket, no
load generator sharing the cores): the figure to compare two commits by on a busy machine.

    python -m bench.inprocess [--requests N] [--rounds R] [--only TEXT] [--profile TEXT]
                              [--uncached]

Starts the app under its lifespan on a fresh SQLite database seeded with the sandbox, as
`clopos serve` does (rate limits on, above the load; the collector settled as in a worker),
takes a v2 token, warms the response cache, then times each scenario (`venues, metrics
off`: the same call on a second app whose pipeline lacks the metrics piece, so that the
pair shows what the metrics cost): `--requests` requests
one after another, `--rounds` times, reporting the median and the least CPU microseconds per
request (`time.process_time`, so background tasks of the server, such as the audit trail's
flush, count too; on a shared machine the least is the steadier figure). `--profile TEXT`
runs the scenarios whose name contains TEXT under cProfile and prints the functions by own
time (`--sort cumulative`: by time within). Comparing commits: run it from this checkout
with `PYTHONPATH=<other checkout>/src` (it adapts to older layouts back to commit abc9454).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson

from bench import loop, postgres
from bench.__main__ import (
    LIMITS_ABOVE_LOAD,
    PRODUCTS_WITH_MODIFIERS,
    V2_AUTH,
    close_body,
    order_body,
)

Message = dict[str, Any]
JSON_HEADERS = [(b"content-type", b"application/json")]


@dataclass
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    query: bytes = b""
    body: bytes = b""
    authenticated: bool = True
    # On a second app whose pipeline lacks the metrics piece: what the metrics cost.
    without_metrics: bool = False
    # Each request closes another open receipt (`{receipt}` in the path), made before its
    # round by orders the venue accepts at once, and not timed: the close alone is measured.
    closes: bool = False
    # Each request creates an order the venue accepts at once (the body made from the demo
    # café's products before the first round, as for the closes).
    accepted_order: bool = False
    answers: int = 200  # the status each of its answers must have


SCENARIOS = (
    Scenario("venues", "GET", "/open-api/v2/venues"),
    Scenario("venues, metrics off", "GET", "/open-api/v2/venues", without_metrics=True),
    Scenario("products page", "GET", "/open-api/v2/products", b"limit=50"),
    # The bench's stock page (a page of the stock levels; with --uncached, its read runs).
    Scenario("stock page", "GET", "/open-api/v2/stock", b"limit=50"),
    Scenario("token issuance", "POST", "/open-api/v2/auth", body=orjson.dumps(V2_AUTH)),
    # The bench's receipt close (bench/__main__.py): recipes and a modifier's ingredient
    # deducted, half paid in cash and half by card in the open shift, taxes charged.
    Scenario("receipt close", "POST", "/open-api/v2/receipts/{receipt}/close", closes=True),
    # The orders the closes' receipts come from: two products, one with a modifier, accepted
    # at once (an open receipt of their lines).
    Scenario("order accepted", "POST", "/open-api/v2/orders", accepted_order=True, answers=201),
)


class Caller:
    """Calls an ASGI app as granian would for one HTTP/1.1 request on a kept-alive socket."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.token = ""

    def scope(self, scenario: Scenario) -> dict[str, Any]:
        headers = [
            (b"host", b"127.0.0.1:8080"),
            (b"user-agent", b"wrk"),
            (b"accept", b"*/*"),
        ]
        if scenario.authenticated and self.token:
            headers.append((b"x-token", self.token.encode()))
        if scenario.body:
            headers += [*JSON_HEADERS, (b"content-length", str(len(scenario.body)).encode())]
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "server": ("127.0.0.1", 8080),
            "client": ("127.0.0.1", 40000),
            "scheme": "http",
            "method": scenario.method,
            "root_path": "",
            "path": scenario.path,
            "raw_path": scenario.path.encode(),
            "query_string": scenario.query,
            "headers": headers,
            "extensions": {},
        }

    async def call(self, scenario: Scenario) -> Answer:
        sent_body = False

        async def receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": scenario.body, "more_body": False}
            return {"type": "http.disconnect"}

        answer = Answer(0, [], b"")

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.status = message["status"]
                answer.headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                answer.body += message.get("body", b"")

        await self.app(self.scope(scenario), receive, send)
        return answer


@contextlib.contextmanager
def _pipeline_without(name: str | None) -> Iterator[None]:
    """While an app is made: its pipeline without the piece of that class name."""
    from clopos.server import pipeline

    pieces = pipeline.PIECES
    if name is not None:
        pipeline.PIECES = tuple(p for p in pieces if p.__name__ != name)
    try:
        yield
    finally:
        pipeline.PIECES = pieces


@contextlib.asynccontextmanager
async def running_app(
    data_dir: Path, without: str | None = None, database_url: str | None = None
) -> AsyncIterator[Any]:
    """The app under its lifespan on a seeded SQLite database in `data_dir`, or on
    `database_url` (`without`: a pipeline piece left out)."""
    os.environ.update(LIMITS_ABOVE_LOAD, CLOPOS_DATA_DIR=str(data_dir))
    if database_url is not None:
        os.environ["CLOPOS_DATABASE_URL"] = database_url
    from clopos.server.app import create_app
    from clopos.server.bootstrap import initialise
    from clopos.server.settings import Settings

    try:
        from clopos.store.db import Database
    except ImportError:  # older layouts
        from clopos.server.store.db import Database  # type: ignore[import-not-found,no-redef]

    settings = Settings()
    # Settings.open_database() since the store stopped reading the server's settings.
    opened = getattr(settings, "open_database", None)
    db = opened() if opened is not None else Database.from_settings(settings)  # type: ignore[attr-defined]
    try:
        await initialise(settings, db)
    finally:
        await db.dispose()
    with _pipeline_without(without):
        app = create_app(settings)

    queue: asyncio.Queue[Message] = asyncio.Queue()
    await queue.put({"type": "lifespan.startup"})
    replies: asyncio.Queue[Message] = asyncio.Queue()

    async def send(message: Message) -> None:
        await replies.put(message)

    lifespan = asyncio.create_task(app({"type": "lifespan", "asgi": {}}, queue.get, send))
    started = await replies.get()
    if started["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"start-up failed: {started}")
    _as_a_worker(app, settings)
    try:
        yield app
    finally:
        await queue.put({"type": "lifespan.shutdown"})
        await replies.get()
        await lifespan


def _as_a_worker(app: Any, settings: Any) -> None:
    """What `clopos serve` adds in a worker: the connection reaper's notes of each request
    (without its sweep, which would add its own CPU to the figures) and the collector settled
    as `server/collector.py` does (here whatever the checkout, so that commits from before it
    compare by their request path alone)."""
    with contextlib.suppress(ImportError):
        from clopos.server.pipeline.connections import ConnectionReaper

        app.state.reaper = ConnectionReaper(
            settings.header_timeout,
            settings.keep_alive_timeout,
            getattr(settings, "max_silent_per_address", 128),
            exempt=lambda address: False,
        )
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)


class OpenReceipts:
    """Open receipts for a close scenario: orders the venue accepts at once, made through
    the API before a round (not timed), closed one a request."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.waiting: list[int] = []
        self.order = Scenario("order", "POST", "/open-api/v2/orders")
        self.body = b""

    async def accepted_order(self) -> Scenario:
        """The order each open receipt comes from, accepted at once."""
        if not self.order.body:
            path, query = PRODUCTS_WITH_MODIFIERS.split("?")
            page = await self.caller.call(Scenario("products", "GET", path, query.encode()))
            body = order_body(orjson.loads(page.body)["data"], accept=True)
            self.order = replace(self.order, body=body.encode())
        return self.order

    async def make(self, count: int) -> None:
        await self.accepted_order()
        for _ in range(count):
            answer = await self.caller.call(self.order)
            if answer.status != 201:
                raise RuntimeError(f"order: {answer.status} {answer.body!r}")
            self.waiting.append(orjson.loads(answer.body)["data"]["receipt_id"])
        if not self.body:
            path = f"/open-api/v2/receipts/{self.waiting[0]}"
            receipt = await self.caller.call(Scenario("receipt", "GET", path))
            self.body = close_body(orjson.loads(receipt.body)["data"]["total"]).encode()

    def next(self, scenario: Scenario) -> Scenario:
        """`scenario` closing the oldest waiting receipt."""
        path = scenario.path.replace("{receipt}", str(self.waiting.pop(0)))
        return replace(scenario, path=path, body=self.body)


async def _timed(
    run: Callable[[], Coroutine[Any, Any, Answer]], requests: int
) -> tuple[float, Answer]:
    answer = await run()
    begun = time.process_time()
    for _ in range(requests):
        answer = await run()
    return (time.process_time() - begun) / requests * 1e6, answer


async def measure(
    requests: int,
    closes: int,
    rounds: int,
    only: list[str],
    profile: list[str],
    sort: str = "tottime",
    lines: int = 35,
    cluster: Any = None,
) -> None:
    chosen = [s for s in SCENARIOS if not only or any(t in s.name for t in only)]
    with tempfile.TemporaryDirectory(prefix="clopos-inprocess-") as tmp:
        async with contextlib.AsyncExitStack() as stack:
            database = None
            if cluster is not None:
                database = cluster.new_database()
            app = running_app(Path(tmp), database_url=database)
            callers = {False: Caller(await stack.enter_async_context(app))}
            if any(s.without_metrics for s in chosen):
                # Beside the full one, in this process: its figures interleave with theirs.
                bare = running_app(
                    Path(tmp) / "without-metrics",
                    without="RequestMetrics",
                    database_url=cluster.new_database() if cluster is not None else None,
                )
                callers[True] = Caller(await stack.enter_async_context(bare))
            exchange = next(s for s in SCENARIOS if s.name == "token issuance")
            for caller in callers.values():
                answer = await caller.call(exchange)
                if answer.status != 200:
                    raise RuntimeError(f"token exchange answered {answer.status}: {answer.body!r}")
                caller.token = orjson.loads(answer.body)["token"]
            receipts = OpenReceipts(callers[False])

            async def prepared(scenario: Scenario, count: int) -> Callable[[], Any]:
                """The call of one request of `scenario`, `count` of them to come."""
                caller = callers[scenario.without_metrics]
                if scenario.accepted_order:
                    order = replace(await receipts.accepted_order(), name=scenario.name)
                    return lambda: caller.call(order)
                if not scenario.closes:
                    return lambda: caller.call(scenario)
                await receipts.make(count)
                return lambda: caller.call(receipts.next(scenario))

            for scenario in chosen:  # warm: the cache, the statements, the renders
                warm = 50 if scenario.closes else 200
                run = await prepared(scenario, warm)
                for _ in range(warm):
                    answer = await run()
                if answer.status != scenario.answers:
                    raise RuntimeError(f"{scenario.name}: {answer.status} {answer.body!r}")
            figures: dict[str, list[float]] = {s.name: [] for s in chosen}
            for _ in range(rounds):  # interleaved, so that drift affects all alike
                for scenario in chosen:
                    count = closes if scenario.closes else requests
                    run = await prepared(scenario, count + 1)
                    cost, answer = await _timed(run, count)
                    if answer.status != scenario.answers:
                        raise RuntimeError(f"{scenario.name}: {answer.status} {answer.body!r}")
                    figures[scenario.name].append(cost)
            print(f"{'scenario':<26}{'median us':>10}{'min us':>8}  rounds")
            for name, costs in figures.items():
                shown = " ".join(f"{c:.0f}" for c in costs)
                print(f"{name:<26}{statistics.median(costs):>10.1f}{min(costs):>8.1f}  {shown}")
            for scenario in [s for s in chosen if any(t in s.name for t in profile)]:
                count = closes if scenario.closes else requests
                run = await prepared(scenario, count + 1)
                profiler = cProfile.Profile()
                profiler.enable()
                await _timed(run, count)
                profiler.disable()
                print(f"\n== profile: {scenario.name}, {count} requests ==")
                stats = pstats.Stats(profiler, stream=sys.stdout)
                stats.sort_stats(sort).print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="requests per round")
    parser.add_argument("--closes", type=int, default=1000, help="closes per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", action="append", default=[], help="scenario name contains")
    parser.add_argument("--profile", action="append", default=[], help="profile these too")
    parser.add_argument("--sort", default="tottime", help="profile order: tottime, cumulative")
    parser.add_argument("--lines", type=int, default=35, help="profile lines shown")
    parser.add_argument(
        "--uncached", action="store_true", help="the response cache off (reads run their unit)"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="on a throwaway PostgreSQL cluster (bench/postgres.py) instead of SQLite",
    )
    args = parser.parse_args()
    # Read by the server's settings when the app starts.
    os.environ["CLOPOS_RESPONSE_CACHE_ENTRIES"] = "0" if args.uncached else "4096"
    with contextlib.ExitStack() as stack:
        cluster = stack.enter_context(postgres.Cluster.start()) if args.postgres else None
        loop.run(
            measure(
                args.requests,
                args.closes,
                args.rounds,
                args.only,
                args.profile,
                args.sort,
                args.lines,
                cluster,
            )
        )


if __name__ == "__main__":
    main()
