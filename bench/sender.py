"""CPU per delivered webhook event of one sender, in-process: the figure to compare two
commits of the sender by on a busy machine (the wrk scenarios share two cores with the
receiver, wrk and the server).

    python -m bench.sender [--events N] [--rounds R] [--postgres]

Starts the app under its lifespan on a fresh SQLite database (`--postgres`: a database of
a throwaway PostgreSQL cluster, bench/postgres.py; its own sender off), a
receiver as a process of its own (bench/receiver.py, so its CPU is not counted), and
subscribes the sandbox brand to every event. Each round creates `--events` orders through
the app (not timed: one `order.created` each), then starts a sender and times it until
every event is made and delivered: CPU microseconds of this
process per event (`time.process_time`: every thread, the sender's reads and writes
included) and events per second (wall). The median and the least of the rounds are
reported. Comparing commits: run it from this checkout with `PYTHONPATH=<other
checkout>/src`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench import loop, postgres
from bench.__main__ import V2_AUTH, _free_port
from bench.inprocess import Caller, Scenario, running_app

ORDERS = "/open-api/v2/orders"


@contextlib.contextmanager
def receiver() -> Iterator[str]:
    """The bench's webhook receiver (bench/receiver.py), in a process of its own."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.receiver", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/hello", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the receiver did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/hooks"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def _progress(session: Any, position_of: Any, past: int) -> tuple[int, int, int, bool]:
    """Deliveries made after the delivery `past` and how many are delivered, the last
    delivery's id, and whether the log holds changes the sender has not read (only the
    round's rows are counted: the bench's own reads stay small)."""
    from sqlalchemy import func, select

    from clopos.core.webhooks.table import WebhookDelivery, WebhookSender
    from clopos.store.changes import read_log

    made, delivered, last = session.execute(
        select(
            func.count(),
            func.count().filter(WebhookDelivery.status == "delivered"),
            func.max(WebhookDelivery.id),
        ).where(WebhookDelivery.id > past)
    ).one()
    row = session.get(WebhookSender, "sender", populate_existing=True)
    behind = row is None or bool(read_log(session, position_of(row), 1)[0])
    return int(made), int(delivered), int(last or past), behind


async def measure(events: int, rounds: int, database_url: str | None = None) -> None:
    os.environ["CLOPOS_WEBHOOKS"] = "false"  # the app's own sender: this bench starts one
    from clopos.core.access.brands import brand_id_of
    from clopos.core.webhooks import lease, subscriptions
    from clopos.server.webhook_sender import WebhookSender

    with receiver() as url, tempfile.TemporaryDirectory(prefix="clopos-sender-") as tmp:
        async with running_app(Path(tmp), database_url=database_url) as app:
            state = app.state.server
            db, seal, settings = state.db, state.seal, state.settings.webhook_sender()
            caller = Caller(app)
            auth = await caller.call(
                Scenario("auth", "POST", "/open-api/v2/auth", body=orjson.dumps(V2_AUTH))
            )
            caller.token = orjson.loads(auth.body)["token"]
            products = await caller.call(
                Scenario("products", "GET", "/open-api/v2/products", b"limit=100")
            )
            espresso = next(
                p["id"] for p in orjson.loads(products.body)["data"] if p["name"] == "Espresso"
            )
            order = Scenario(
                "order",
                "POST",
                ORDERS,
                body=orjson.dumps(
                    {
                        "sale_type_id": 3,
                        "venue_id": 1,
                        "customer": {"name": "Bench", "phone": "+994500000000"},
                        "products": [
                            {"product_id": espresso, "product_name": "Espresso", "count": 2}
                        ],
                    }
                ),
            )
            brand = await db.read(brand_id_of, "openapitest")
            await db.write(subscriptions.add, brand, url, ["*"], seal)
            first = WebhookSender(db, seal, settings)
            await first.start()  # the sender's place: the log's end, before the orders
            await first.stop()
            costs, rates = [], []
            past = 0
            for _ in range(rounds):
                _, _, past, _ = await db.read(_progress, lease._position, past)
                for _ in range(events):
                    answer = await caller.call(order)
                    if answer.status not in (200, 201):
                        raise RuntimeError(f"order: {answer.status} {answer.body!r}")
                sender = WebhookSender(db, seal, settings)
                begun, started = time.process_time(), time.perf_counter()
                await sender.start()
                while True:
                    made, delivered, _, behind = await db.read(_progress, lease._position, past)
                    if not behind and made and delivered == made:
                        break
                    await asyncio.sleep(0.05)
                cpu, wall = time.process_time() - begun, time.perf_counter() - started
                await sender.stop()
                count = made
                costs.append(cpu / count * 1e6)
                rates.append(count / wall)
            shown = " ".join(f"{c:.0f}" for c in costs)
            print(f"events per round: {count}")
            print(
                f"CPU per delivered event: median {statistics.median(costs):.0f} us, "
                f"least {min(costs):.0f} us  ({shown})"
            )
            print(
                f"events delivered per second: median {statistics.median(rates):.0f}, "
                f"most {max(rates):.0f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000, help="orders (events) per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="on a throwaway PostgreSQL cluster (bench/postgres.py) instead of SQLite",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        cluster = stack.enter_context(postgres.Cluster.start()) if args.postgres else None
        loop.run(measure(args.events, args.rounds, cluster.new_database() if cluster else None))


if __name__ == "__main__":
    main()
