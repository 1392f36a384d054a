"""The sandbox controls from any language: the operator HTTP API and `clopos sandbox`."""

from __future__ import annotations

import json
import time

import httpx
from click.testing import CliRunner

from clopos.cli import main
from clopos.testing import Sandbox, sandbox
from tests.testing.helpers import cafe_order
from tests.testing.test_client_faults import _production_brand

SANDBOX = "/admin/api/sandbox"


def _operator(box: Sandbox) -> httpx.Client:
    return box.http(headers={"Authorization": f"Bearer {box.admin_token}"})


def _v2_token(box: Sandbox) -> dict[str, str]:
    keys = ("client_id", "client_secret", "brand", "integrator_id")
    answer = box.http().post("/open-api/v2/auth", json={k: box.credentials[k] for k in keys})
    return {"x-token": answer.json()["token"]}


def test_faults_clock_and_reset_over_http(clopos_sandbox: Sandbox) -> None:
    operator, api = _operator(clopos_sandbox), clopos_sandbox.http()
    headers = _v2_token(clopos_sandbox)
    armed = operator.post(
        f"{SANDBOX}/brands/openapitest/faults", json={"status": 504, "path": "/venues"}
    )
    assert armed.status_code == 201, armed.text
    assert armed.json()["data"][0]["status"] == 504
    timed_out = api.get("/open-api/v2/venues", headers=headers)
    assert timed_out.status_code == 504
    assert timed_out.json()["message"] == "The upstream did not respond within 8 seconds"
    assert api.get("/open-api/v2/venues", headers=headers).status_code == 200
    assert operator.get(f"{SANDBOX}/brands/openapitest/faults").json()["data"] == []

    operator.post(f"{SANDBOX}/brands/openapitest/faults", json={"latency": 0.2, "count": 1})
    started = time.monotonic()
    assert api.get("/open-api/v2/venues", headers=headers).status_code == 200
    assert time.monotonic() - started >= 0.2

    moved = operator.post(f"{SANDBOX}/brands/openapitest/clock/advance", json={"seconds": 3600})
    assert moved.json()["data"]["offset_seconds"] == 3600
    assert api.get("/open-api/v2/venues", headers=headers).json()["error"] == "token_expired"

    assert operator.post(f"{SANDBOX}/reset").status_code == 200
    assert operator.get(f"{SANDBOX}/brands/openapitest/clock").json()["data"]["offset_seconds"] == 0


def test_snapshots_over_http(clopos_sandbox: Sandbox) -> None:
    operator = _operator(clopos_sandbox)
    assert operator.post(f"{SANDBOX}/snapshots", json={"name": "empty"}).status_code == 201
    with clopos_sandbox.client() as client:
        seeded = [o.id for o in client.orders.list()]  # the sandbox's history
        client.orders.create(cafe_order(client))
        assert operator.post(f"{SANDBOX}/snapshots/empty/restore").status_code == 200
        assert [o.id for o in client.orders.list()] == seeded
    assert "empty" in operator.get(f"{SANDBOX}/snapshots").json()["data"]
    missing = operator.post(f"{SANDBOX}/snapshots/nothing/restore")
    assert missing.status_code == 404


def test_only_the_operator_token_and_only_test_brands() -> None:
    with sandbox() as box:
        anonymous = box.http().post(f"{SANDBOX}/reset")
        assert anonymous.status_code == 401
        wrong = box.http(headers={"Authorization": "Bearer nope"}).post(f"{SANDBOX}/reset")
        assert wrong.status_code == 401
        _production_brand(box)
        operator = _operator(box)
        for method, path, body in (
            ("POST", "/brands/realcafe/faults", {"status": 500}),
            ("GET", "/brands/realcafe/faults", None),
            ("POST", "/brands/realcafe/clock/advance", {"seconds": 60}),
            ("POST", "/reset", None),
            ("POST", "/snapshots", {"name": "x"}),
        ):
            refused = operator.request(method, f"{SANDBOX}{path}", json=body)
            assert refused.status_code == 403, (path, refused.text)
            assert refused.json()["error"] == "sandbox_forbidden"


def test_the_controls_need_the_setting() -> None:
    with sandbox(settings={"sandbox_controls": False}) as box:
        assert box.controls is None
        refused = _operator(box).post(f"{SANDBOX}/reset")
        assert refused.status_code == 403 and refused.json()["error"] == "sandbox_disabled"


def test_the_cli_drives_a_running_server(clopos_sandbox_http: Sandbox) -> None:
    box = clopos_sandbox_http
    env = {"CLOPOS_SANDBOX_URL": box.base_url, "CLOPOS_ADMIN_TOKEN": box.admin_token}

    def run(*args: str) -> object:
        result = CliRunner().invoke(main, ["sandbox", *args], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    run("fault", "500", "--path", "/venues", "--count", "2")
    assert run("faults")[0]["remaining"] == 2  # type: ignore[index]
    run("clear-faults")
    assert run("faults") == []
    assert run("advance", "90")["offset_seconds"] == 90  # type: ignore[index]
    run("snapshot", "cli")
    assert "cli" in run("snapshots")  # type: ignore[operator]
    run("restore", "cli")
    run("reset")
    assert run("clock")["offset_seconds"] == 0  # type: ignore[index]


def test_the_cli_finds_the_server_by_the_client_s_base_url(clopos_sandbox_http: Sandbox) -> None:
    """Without CLOPOS_SANDBOX_URL, the reader's CLOPOS_BASE_URL (with or without its API
    root) names the server."""
    box = clopos_sandbox_http
    for base_url in (box.base_url, f"{box.base_url}/open-api/v2"):
        env = {
            "CLOPOS_SANDBOX_URL": None,
            "CLOPOS_BASE_URL": base_url,
            "CLOPOS_ADMIN_TOKEN": box.admin_token,
        }
        result = CliRunner().invoke(main, ["sandbox", "clock"], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["offset_seconds"] == 0
