"""docs/orders.md's client examples run as written, as scripts, against a real server whose
operator token plays the venue's side."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.support import SANDBOX, LiveServer

DOCS = Path(__file__).resolve().parents[2] / "docs"
SECTION = "## 5. With the Python client"
OPERATOR_TOKEN = "docs-orders-operator"


def examples() -> list[str]:
    text = (DOCS / "orders.md").read_text()
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def test_the_section_has_a_sync_and_an_async_example() -> None:
    sync, async_ = examples()
    assert "Client()" in sync and "AsyncClient()" in async_
    for number, code in enumerate((sync, async_)):
        compile(code, f"docs/orders.md example {number}", "exec")


def run(code: str, path: Path, env: dict[str, str]) -> list[str]:
    path.write_text(code)
    result = subprocess.run(
        [sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()


def test_the_examples_run_against_a_server(
    make_server: Callable[..., LiveServer], tmp_path: Path
) -> None:
    # The examples count what they made: a sandbox without the seeded history.
    live = make_server(admin_token=OPERATOR_TOKEN, seed_demo_history=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    env.update(
        {
            "CLOPOS_BASE_URL": live.url,
            "CLOPOS_CLIENT_ID": SANDBOX["client_id"],
            "CLOPOS_CLIENT_SECRET": SANDBOX["client_secret"],
            "CLOPOS_BRAND": SANDBOX["brand"],
            "CLOPOS_INTEGRATOR_ID": SANDBOX["integrator_id"],
            "CLOPOS_ADMIN_TOKEN": OPERATOR_TOKEN,
        }
    )
    sync, async_ = examples()

    life = run(sync, tmp_path / "life.py", env)
    order_id, status, total = life[0].split()
    assert (status, total) == ("PENDING", "13.1000")
    assert life[-1] == "DELIVERED"
    deducted = {line.rsplit(" ", 2)[0] for line in life[1:-1]}
    assert deducted == {"Coffee beans", "Whole milk", "Oat milk"}

    reading = run(async_, tmp_path / "reading.py", env)
    assert reading[0] == f"{order_id} W-1042 13.1000"
    assert reading[1].startswith("1 closed receipts;")
    assert reading[-1] == "PENDING IGNORE"
