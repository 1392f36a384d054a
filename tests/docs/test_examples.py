"""Every example of README.md and docs/*.md runs as written, in order, against a started
server: a real `clopos serve` process on a free loopback port with its own temporary
database, set up as the README says (its `environment` block, run first, gives the variables
every other example gets; the server starts with them, plus the sandbox controls that
docs/testing.md turns on). Markers and what runs: tests/docs/examples.py.

- Each page starts from the seeded sandbox (the sandbox reset, as docs/testing.md does it).
- A page's shell examples run one after the other in bash (`set -euo pipefail`), each with
  the variables the page's earlier ones set, in a directory laid out as a checkout is: the
  server's data in `./var`, the environment in `./.venv`. `curl` fails on an answer >= 400
  unless the block is marked `refusals`.
- Python examples run as scripts (a `pytest` one with pytest) with the same environment.
- `127.0.0.1:8080` in an example is the started server's address.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.docs.examples import KINDS, RUN, Block, blocks, pages
from tests.support import ServerProcess

BLOCK_TIMEOUT = 120


@dataclass
class Reader:
    """The reader's machine: the checkout-like directory, the environment, the server."""

    home: Path
    env: dict[str, str]
    url: str
    admin_token: str

    def address(self, text: str) -> str:
        port = self.url.rsplit(":", 1)[1]
        return text.replace("127.0.0.1:8080", f"127.0.0.1:{port}").replace(
            "localhost:8080", f"127.0.0.1:{port}"
        )


def _environment_block() -> Block:
    found = [b for p in pages() for b in blocks(p) if b.kind == "environment"]
    assert len(found) == 1, [b.where for b in found]
    return found[0]


def _run_environment(
    block: Block, home: Path, base: dict[str, str], address: str
) -> dict[str, str]:
    """The variables after running the setup block in a clean shell."""
    script = f"set -e\ncd {home}\n{block.commands().replace('127.0.0.1:8080', address)}\nenv -0"
    done = subprocess.run(
        ["bash", "-c", script], env=base, capture_output=True, timeout=30, check=False
    )
    assert done.returncode == 0, f"{block.where}: {done.stderr.decode()[-2000:]}"
    pairs = [item.split("=", 1) for item in done.stdout.decode().split("\0") if "=" in item]
    return {name: value for name, value in pairs}


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    home = tmp_path_factory.mktemp("reader")
    venv = Path(sys.prefix)
    assert (venv / "bin" / "activate").exists(), "run the suite in a virtual environment (./dev)"
    (home / ".venv").symlink_to(venv)  # the checkout's environment
    base = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    # Without the demo history: docs/orders.md's walkthrough counts ids from an empty
    # sandbox, as it says.
    server = ServerProcess(home / "var", sandbox_controls="true", seed_demo_history="false")
    env = _run_environment(_environment_block(), home, base, f"127.0.0.1:{server.port}")
    token = env.get("CLOPOS_ADMIN_TOKEN")
    assert token, "the README's environment sets no CLOPOS_ADMIN_TOKEN for the operator API"
    server.live.env["CLOPOS_ADMIN_TOKEN"] = token
    try:
        live = server.launch().ready()
        yield Reader(home, env, live.url, token)
    finally:
        server.stop()


def _baseline(reader: Reader) -> str:
    """The shell's own variable names, which are not a page's to carry over."""
    done = subprocess.run(
        ["bash", "-c", "compgen -v"], env=reader.env, capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


def _shell(block: Block, reader: Reader, state: Path, baseline: str) -> str:
    curl = (
        ""
        if block.kind == "refusals"
        else ('curl() { command curl --fail-with-body --show-error "$@"; }\n')
    )
    return (
        f"set -euo pipefail\ncd {reader.home}\n"
        f"if [ -f {state} ]; then source {state}; fi\n{curl}"
        f"{reader.address(block.commands())}\n"
        f"for __name in $(compgen -v); do\n"
        f'  case " {baseline} __name " in *" $__name "*) ;; *) declare -p "$__name" ;; esac\n'
        f"done > {state}\n"
    )


def _run(block: Block, reader: Reader, state: Path, baseline: str, number: int) -> None:
    if block.language == "python":
        script = reader.home / f"example_{Path(block.page).stem}_{number}.py"
        script.write_text(reader.address(block.code))
        command = [sys.executable, str(script)]
        if block.kind == "pytest":
            script = script.rename(script.with_name(f"test_{script.name}"))
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)]
    else:
        command = ["bash", "-c", _shell(block, reader, state, baseline)]
    done = subprocess.run(
        command,
        cwd=reader.home,
        env=reader.env,
        capture_output=True,
        text=True,
        timeout=BLOCK_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, (
        f"{block.where} ({block.language}) exited {done.returncode}\n"
        f"--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    )


RUNNABLE = [p for p in pages() if any(b.runs and b.kind != "environment" for b in blocks(p))]


def test_markers_are_well_formed() -> None:
    for page in pages():
        for block in blocks(page):
            if block.kind is None:
                continue
            assert block.kind in KINDS, f"{block.where}: unknown marker {block.kind!r}"
            assert block.language in RUN, f"{block.where}: a marker on a block that never runs"
            if block.kind == "skip":
                assert block.reason, f"{block.where}: a skip says why"
            if block.kind in ("environment", "refusals"):
                assert block.language == "sh", f"{block.where}: {block.kind} is for sh"
            if block.kind == "pytest":
                assert block.language == "python", f"{block.where}: pytest is for python"


@pytest.mark.timeout(400)
@pytest.mark.parametrize("page", RUNNABLE, ids=[p.name for p in RUNNABLE])
def test_the_page_s_examples_run(page: Path, reader: Reader, tmp_path: Path) -> None:
    reset = httpx.post(
        f"{reader.url}/admin/api/sandbox/reset",
        headers={"authorization": f"Bearer {reader.admin_token}"},
        timeout=30,
    )
    assert reset.status_code == 200, reset.text
    state = tmp_path / "shell-state.sh"
    baseline = _baseline(reader)
    for number, block in enumerate(blocks(page)):
        if block.runs and block.kind != "environment":
            _run(block, reader, state, baseline, number)
