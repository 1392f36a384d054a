"""Issue 11, item 21: the documentation matches the behaviour.

- the client guide's blocking-and-async example runs as a script, against a real server;
- every admin command offers `--json`, as docs/operations.md promises (test_cli_bounds.py);
- docs/authentication.md describes the validation error as the server sends it (and as the
  reference documents it): the sentence in `error`, "Validation failed" in `message`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support import SANDBOX

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _example(title: str) -> str:
    text = (DOCS / "client.md").read_text()
    section = text[text.index(f"## {title}") :]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_the_async_example_is_a_valid_script() -> None:
    compile(_example("Blocking and async use"), "docs/client.md", "exec")


def test_the_async_example_runs_against_a_server(make_server: Any, tmp_path: Path) -> None:
    live = make_server()
    script = tmp_path / "example.py"
    script.write_text(_example("Blocking and async use"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    env.update(
        {
            "CLOPOS_BASE_URL": live.url + "/open-api",
            "CLOPOS_CLIENT_ID": SANDBOX["client_id"],
            "CLOPOS_CLIENT_SECRET": SANDBOX["client_secret"],
            "CLOPOS_BRAND": SANDBOX["brand"],
            "CLOPOS_INTEGRATOR_ID": SANDBOX["integrator_id"],
        }
    )
    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "20"


def test_the_validation_error_is_documented_as_sent(make_server: Any) -> None:
    live = make_server()
    answer = live.http.post("/open-api/v2/customers", headers=live.v2_headers(), json={})
    assert answer.status_code == 400
    body = answer.json()
    assert body == {
        "success": False,
        "message": "Validation failed",
        "error": "The name field is required.",
    }
    text = (DOCS / "authentication.md").read_text()
    assert "Every error has the body" not in text
    assert '"message": "Validation failed", "error": "The name field is required."' in text
