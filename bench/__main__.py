"""Throughput of the API against bare-framework baselines, all on the same ASGI server.

Every server runs as one granian worker; the load generator is wrk (one thread, 64
connections), sharing the machine's cores with it. Each scenario is measured `--rounds`
times, interleaved with the others so that drift affects all alike, and the median is
reported with its ratio to the Starlette hello measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SANDBOX = {
    "client_id": "6553676e0d265ac837e8f79fc",
    "client_secret": "seCyF_4vja6yddQxE2PlerET0Uhy8ASbJ36hO68PD3JM=",
    "brand": "openapitest",
}


@dataclass
class Scenario:
    name: str
    server: str  # "starlette" | "fastapi" | "clopos" | "clopos-uncached"
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    results: list[float] = field(default_factory=list)
    latency_p99_ms: list[float] = field(default_factory=list)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _serve(kind: str, data_dir: Path) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    if kind.startswith("clopos"):
        env.update(
            CLOPOS_DATA_DIR=str(data_dir),
            # The tiers stay on (their cost is part of the request path), set above the load.
            CLOPOS_AUTH_PER_MINUTE="100000000",
            CLOPOS_TENANT_PER_MINUTE="100000000",
            CLOPOS_V1_PER_MINUTE="100000000",
            CLOPOS_V1_PER_HOUR="100000000",
            CLOPOS_FAILED_PER_MINUTE="100000000",
            CLOPOS_RESPONSE_CACHE_ENTRIES="0" if kind == "clopos-uncached" else "4096",
        )
        command = [sys.executable, "-m", "clopos", "serve", "--port", str(port)]
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
            f"bench.baseline_apps:{kind}_hello",
        ]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        probe = "/health" if kind.startswith("clopos") else "/hello"
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url + probe, timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{kind} server did not start")
            time.sleep(0.1)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def _wrk(url: str, scenario: Scenario, seconds: int, connections: int) -> tuple[float, float]:
    script = f"wrk.method = {json.dumps(scenario.method)}\n"
    for name, value in scenario.headers.items():
        script += f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
    if scenario.body is not None:
        script += f"wrk.body = {json.dumps(scenario.body)}\n"
    # Count non-2xx answers: a fast error is not throughput.
    script += (
        "bad = 0\nfunction response(status, headers, body)\n"
        "  if status >= 300 then bad = bad + 1 end\nend\n"
        "function done(summary, latency, requests)\n"
        "  io.write(string.format('non2xx=%d\\n', bad))\nend\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
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
    if bad:
        raise RuntimeError(f"{scenario.name}: {bad} non-2xx answers\n{output}")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    _ensure_wrk()

    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        urls = {
            kind: stack.enter_context(_serve(kind, Path(tmp) / kind))
            for kind in ("starlette", "fastapi", "clopos", "clopos-uncached")
        }
        v1_auth = {**SANDBOX, "venue_id": "1"}
        v2_auth = {**SANDBOX, "integrator_id": "1"}

        def v1(kind: str) -> dict[str, str]:
            token = httpx.post(urls[kind] + "/open-api/auth", json=v1_auth).json()["token"]
            return {"x-token": token, "x-brand": "openapitest", "x-venue": "1"}

        def v2(kind: str) -> dict[str, str]:
            token = httpx.post(urls[kind] + "/open-api/v2/auth", json=v2_auth).json()["token"]
            return {"x-token": token}

        json_type = {"content-type": "application/json"}
        products = "/open-api/v2/products?limit=50"
        scenarios = [
            Scenario("starlette hello (baseline)", "starlette", "GET", "/hello"),
            Scenario("fastapi hello", "fastapi", "GET", "/hello"),
            Scenario(
                "POST /v2/auth (token issuance)",
                "clopos",
                "POST",
                "/open-api/v2/auth",
                json_type,
                json.dumps(v2_auth),
            ),
            Scenario(
                "POST /auth (v1 token issuance)",
                "clopos",
                "POST",
                "/open-api/auth",
                json_type,
                json.dumps(v1_auth),
            ),
            Scenario("GET /v2/venues", "clopos", "GET", "/open-api/v2/venues", v2("clopos")),
            Scenario("GET /venues (v1)", "clopos", "GET", "/open-api/venues", v1("clopos")),
            Scenario("GET /v2/products?limit=50", "clopos", "GET", products, v2("clopos")),
            Scenario(
                "GET /v2/venues, cache off",
                "clopos-uncached",
                "GET",
                "/open-api/v2/venues",
                v2("clopos-uncached"),
            ),
            Scenario(
                "GET /v2/products?limit=50, cache off",
                "clopos-uncached",
                "GET",
                products,
                v2("clopos-uncached"),
            ),
        ]
        for scenario in scenarios:  # warm-up: imports, caches, connection pools
            _wrk(urls[scenario.server], scenario, 1, args.connections)
        for round_number in range(args.rounds):
            for scenario in scenarios:
                rate, p99 = _wrk(urls[scenario.server], scenario, args.seconds, args.connections)
                scenario.results.append(rate)
                scenario.latency_p99_ms.append(p99)
            print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr, flush=True)

    baseline = statistics.median(scenarios[0].results)
    print(
        f"\n{'scenario':<38} {'req/s':>9} {'ratio':>7} {'p99 ms':>8}   (median of "
        f"{args.rounds} x {args.seconds}s, {args.connections} connections, 1 worker)"
    )
    for scenario in scenarios:
        rate = statistics.median(scenario.results)
        p99 = statistics.median(scenario.latency_p99_ms)
        print(f"{scenario.name:<38} {rate:>9.0f} {rate / baseline:>7.2f} {p99:>8.2f}")


if __name__ == "__main__":
    main()
