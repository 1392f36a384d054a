"""What the server counts, and its Prometheus exposition (`GET /metrics`).

The request path only adds to plain dicts and lists (a few hundred nanoseconds); the
`prometheus-client` library turns them into its text format when Prometheus scrapes, from
this collector. Its own metric objects take a lock and look labels up at every update:
about twice the cost, on a cached answer of some 40 microseconds (docs/performance.md).

Each server (each worker process) counts its own requests: Prometheus scrapes every
instance and sums them (docs/deployment.md). The workers of one `clopos serve --workers N`
also leave their counts in a directory every few seconds (`CLOPOS_METRICS_DIR`, which
`clopos serve` sets), so that whichever worker a scrape reaches answers for all of them.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from prometheus_client import CollectorRegistry, ProcessCollector, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

if TYPE_CHECKING:
    from clopos.server.auth.audit import AuditLog
    from clopos.server.auth.ratelimit import RateLimits

log = logging.getLogger("clopos.server")

# How often a worker leaves its counts for the others (their /metrics lag this much).
SHARE_SECONDS = 2.0
# Seconds: a cached answer takes well under a millisecond, an order a few milliseconds.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Histogram:
    """Counts per bucket (the last: above every bound) and the sum of what was observed."""

    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)
        self.total = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(BUCKETS, seconds)] += 1  # a bound is `le`: inclusive
        self.total += seconds

    def add(self, counts: list[int], total: float) -> None:
        """Another histogram's counts and sum, added to these."""
        for index, count in enumerate(counts):
            self.counts[index] += count
        self.total += total

    def cumulative(self) -> list[tuple[str, float]]:
        """Prometheus' buckets: how many observations were at most each bound."""
        buckets: list[tuple[str, float]] = []
        running = 0
        for bound, count in zip((*map(str, BUCKETS), "+Inf"), self.counts, strict=True):
            running += count
            buckets.append((bound, running))
        return buckets


class Series:
    """One route template and method: answers by status, and their latency."""

    __slots__ = ("latency", "method", "route", "statuses")

    def __init__(self, route: str, method: str) -> None:
        self.route = route
        self.method = method
        self.statuses: dict[int, int] = {}
        self.latency = Histogram()

    def record(self, status: int, seconds: float) -> None:
        statuses = self.statuses
        statuses[status] = statuses.get(status, 0) + 1
        self.latency.observe(seconds)


class Metrics:
    """One server's counts. The pipeline's metrics piece, the order route and the unit of
    work add to them; the audit trail and the rate limits keep counts of their own, read
    here at scrape time."""

    def __init__(self) -> None:
        self.started = time.time()
        self._series: dict[tuple[str, str], Series] = {}
        self.orders_created = 0
        self.units = {"read": Histogram(), "write": Histogram()}
        self.audit: AuditLog | None = None
        self.limits: RateLimits | None = None
        # Whether the shared counters' storage answers (None: no shared storage).
        self.shared_counters_up: Callable[[], bool] | None = None
        # Where the workers of one `clopos serve` leave their counts (None: one process).
        self.share_dir: Path | None = None
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self)
        ProcessCollector(registry=self.registry)

    def series(self, route: str, method: str) -> Series:
        """The requests of one route template and method (the pipeline keeps it at hand)."""
        found = self._series.get((route, method))
        if found is None:
            found = self._series[route, method] = Series(route, method)
        return found

    def unit(self, write: bool, seconds: float) -> None:
        """A unit of work's time (store/db.py calls it, when set, after each one)."""
        self.units["write" if write else "read"].observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    # --- counts as plain data: this process's, and the other workers' ---------------------

    def counts(self) -> dict[str, Any]:
        """This process's counts as JSON-able data (what a worker leaves for the others)."""
        audit = self.audit.counts if self.audit is not None else {}
        refused = self.limits.refused if self.limits is not None else {}
        return {
            "series": [
                [
                    route,
                    method,
                    {str(k): v for k, v in series.statuses.items()},
                    series.latency.counts,
                    series.latency.total,
                ]
                for (route, method), series in self._series.items()
            ],
            "orders": self.orders_created,
            "units": {kind: [h.counts, h.total] for kind, h in self.units.items()},
            "audit": [[*key, count] for key, count in audit.items()],
            "refused": dict(refused),
        }

    def _all_counts(self) -> list[dict[str, Any]]:
        """This process's counts, and those the other workers left in the shared directory."""
        found = [self.counts()]
        if self.share_dir is None:
            return found
        own = f"{os.getpid()}.json"
        for path in self.share_dir.glob("*.json"):
            if path.name != own:
                with contextlib.suppress(OSError, orjson.JSONDecodeError):
                    found.append(orjson.loads(path.read_bytes()))
        return found

    def share(self, directory: Path) -> None:
        """Read the other workers' counts from `directory`, and leave this one's there."""
        self.share_dir = directory
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def leave_counts(self) -> None:
        """Write this process's counts where the other workers read them (atomically)."""
        if self.share_dir is None:
            return
        target = self.share_dir / f"{os.getpid()}.json"
        partial = target.with_suffix(".partial")
        partial.write_bytes(orjson.dumps(self.counts()))
        partial.replace(target)

    async def keep_leaving_counts(self) -> None:
        while True:
            try:
                self.leave_counts()
            except OSError:
                log.exception("metrics: could not leave this worker's counts; trying again")
            await asyncio.sleep(SHARE_SECONDS)

    # --- the collector prometheus-client calls at each scrape -----------------------------

    def collect(self) -> Iterator[Metric]:
        everyone = self._all_counts()
        requests = CounterMetricFamily(
            "clopos_http_requests",
            "HTTP requests answered, by route template, method and status",
            labels=["route", "method", "status"],
        )
        latency = HistogramMetricFamily(
            "clopos_http_request_duration_seconds",
            "Time from a request's arrival in the app to its answer, by route and method",
            labels=["route", "method"],
        )
        answers: collections.Counter[tuple[str, str, str]] = collections.Counter()
        timings: dict[tuple[str, str], Histogram] = {}
        for counts in everyone:
            for route, method, statuses, buckets, total in counts["series"]:
                for status, count in statuses.items():
                    answers[route, method, status] += count
                timings.setdefault((route, method), Histogram()).add(buckets, total)
        for (route, method, status), count in sorted(answers.items()):
            requests.add_metric([route, method, status], count)
        for (route, method), histogram in sorted(timings.items()):
            latency.add_metric([route, method], histogram.cumulative(), histogram.total)
        yield requests
        yield latency

        units = HistogramMetricFamily(
            "clopos_db_unit_duration_seconds",
            "Time of a unit of work (one transaction) in the database, by kind",
            labels=["kind"],
        )
        for kind in ("read", "write"):
            histogram = Histogram()
            for counts in everyone:
                histogram.add(*counts["units"][kind])
            units.add_metric([kind], histogram.cumulative(), histogram.total)
        yield units

        orders = CounterMetricFamily("clopos_orders_created", "Orders created through the API")
        orders.add_metric([], sum(counts["orders"] for counts in everyone))
        yield orders

        yield from _audit_families(everyone)
        yield from self._limit_families(everyone)

        started = GaugeMetricFamily(
            "clopos_start_time_seconds", "When this server started (Unix time)"
        )
        started.add_metric([], self.started)
        yield started

    def _limit_families(self, everyone: list[dict[str, Any]]) -> Iterator[Metric]:
        hits = CounterMetricFamily(
            "clopos_rate_limit_hits",
            "Requests a rate-limit tier refused, by tier",
            labels=["tier"],
        )
        refused: collections.Counter[str] = collections.Counter()
        for counts in everyone:
            refused.update(counts["refused"])
        for tier, count in sorted(refused.items()):
            hits.add_metric([tier], count)
        yield hits
        if self.shared_counters_up is not None:
            up = GaugeMetricFamily(
                "clopos_shared_counters_up",
                "1 while the shared rate-limit storage (Redis) answers, 0 while this process "
                "counts on its own",
            )
            up.add_metric([], 1.0 if self.shared_counters_up() else 0.0)
            yield up


def _audit_families(everyone: list[dict[str, Any]]) -> Iterator[Metric]:
    tokens = CounterMetricFamily(
        "clopos_tokens_issued",
        "Tokens issued by the exchanges, by API version",
        labels=["version"],
    )
    rejections = CounterMetricFamily(
        "clopos_rejections",
        "Refused token exchanges, API requests (401, 403, 429) and console sign-ins, "
        "by event and reason",
        labels=["event", "reason"],
    )
    issued: collections.Counter[str] = collections.Counter()
    refused: collections.Counter[tuple[str, str]] = collections.Counter()
    for counts in everyone:
        for event, outcome, reason, path, count in counts["audit"]:
            if event == "token_exchange" and outcome == "issued":
                issued["2" if path == "/open-api/v2/auth" else "1"] += count
            elif outcome == "rejected":
                refused[event, reason] += count
    for version in ("1", "2"):
        tokens.add_metric([version], issued[version])
    for (event, reason), count in sorted(refused.items()):
        rejections.add_metric([event, reason], count)
    yield tokens
    yield rejections
