"""A serving worker keeps the collector off what start-up built; an app in a test does not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from clopos.server.collector import THRESHOLDS

# Builds the app as a worker does (or not), runs its start-up, and reports the collector.
_PROBE = """
import asyncio, gc, json, sys
from clopos.server.app import create_app
from clopos.server.bootstrap import initialise
from clopos.server.settings import Settings
from clopos.store.db import Database

async def main():
    settings = Settings(data_dir=sys.argv[1])
    db = settings.open_database()
    await initialise(settings, db)
    await db.dispose()
    app = create_app(settings, serving=sys.argv[2] == "serving")
    async with app.router.lifespan_context(app):
        return {"frozen": gc.get_freeze_count(), "thresholds": list(gc.get_threshold())}

print(json.dumps(asyncio.run(main())))
"""


def _probe(tmp_path: Path, mode: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    env["CLOPOS_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path), mode],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def test_a_serving_worker_freezes_its_start_up_heap(tmp_path: Path) -> None:
    serving = _probe(tmp_path, "serving")
    assert isinstance(serving["frozen"], int) and serving["frozen"] > 10_000
    assert serving["thresholds"] == list(THRESHOLDS)


def test_an_app_in_a_test_leaves_the_collector_alone(tmp_path: Path) -> None:
    assert _probe(tmp_path, "test") == {"frozen": 0, "thresholds": [700, 10, 10]}
