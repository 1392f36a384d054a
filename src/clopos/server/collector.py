"""The garbage collector's settings for a serving worker and the webhook sender process.

A worker's heap is mostly what start-up built and keeps for good: the app, its routes and
models, SQLAlchemy's tables and compiled statements. CPython's collector walks every tracked
object of a generation it collects, so each full collection walked all of that again, and a
request path that makes and drops many small containers (parsing, rendering, a unit of
work) triggers collections often: measured under the benchmark's order creation, the
collector was a third of the worker's CPU (docs/performance.md).

So, once start-up is over, what is alive is moved out of the collector's sight
(`gc.freeze`: those objects are still freed by reference counting, only never walked for
cycles), and the youngest generation is collected after 10,000 allocations instead of 700
(fewer, slightly larger collections; the older ones more rarely still). Not in tests: a
process hosting many apps one after another would keep their cycles for good.
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 50, 100)


def settle() -> None:
    """Freeze what start-up left alive and collect the rest more rarely."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
