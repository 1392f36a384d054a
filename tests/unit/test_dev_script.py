"""`./dev`: help is an answer, not a usage error; an unknown task is one; and `./dev install`
installs what docs/testing.md's examples need (the `testing` extra: the server and pytest)."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dev(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "dev"), *args], capture_output=True, text=True, timeout=30, check=False
    )


def test_help_exits_0_and_lists_every_task() -> None:
    tasks = set(re.findall(r"^    ([a-z|-]+)\)$", (ROOT / "dev").read_text(), re.M))
    named = {name for group in tasks for name in group.split("|") if not name.startswith("-")}
    for flag in ("help", "--help", "-h"):
        result = dev(flag)
        assert result.returncode == 0, result.stderr
        listed = set(re.findall(r"^  ([a-z]+)", result.stdout, re.M))
        assert listed == named


def test_an_unknown_task_is_a_usage_error() -> None:
    result = dev("no-such-task")
    assert result.returncode == 2
    assert "unknown task 'no-such-task'" in result.stderr and "usage:" in result.stderr


def test_install_and_serve_install_the_testing_extra() -> None:
    script = (ROOT / "dev").read_text()
    assert re.search(r"install\)\n\s+install server,testing", script)
    assert re.search(r"serve\)\n\s+install server,testing", script)
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    pinned = {line.split("==")[0]: line for line in extras["test"]}
    assert extras["testing"] == ["clopos[server]", pinned["pytest"]]
