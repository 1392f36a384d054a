"""`clopos sandbox ...`: the sandbox controls of a running server, through its operator API
(`/admin/api/sandbox/...`; the server needs CLOPOS_SANDBOX_CONTROLS and CLOPOS_ADMIN_TOKEN).

    clopos sandbox reset
    clopos sandbox snapshot before-test      clopos sandbox restore before-test
    clopos sandbox fault 504 --path /orders --count 2
    clopos sandbox latency 3 --path /orders
    clopos sandbox faults                    clopos sandbox clear-faults
    clopos sandbox advance 3600              clopos sandbox clock
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click
import httpx

from clopos.server.fault_statuses import FAULT_STATUSES

DEFAULT_URL = "http://127.0.0.1:8080"


class _Target:
    def __init__(self, url: str, token: str | None, brand: str) -> None:
        # Here, not at the top: the client package costs every CLI command its import.
        from clopos.client._config import normalise_base_url

        self.url = normalise_base_url(url)
        self.token = token
        self.brand = brand

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        if not self.token:
            raise click.UsageError(
                "the operator token is needed: --admin-token or CLOPOS_ADMIN_TOKEN"
            )
        try:
            answer = httpx.request(
                method,
                f"{self.url}/admin/api/sandbox{path}",
                json=body,
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=30,
            )
        except httpx.HTTPError as exc:
            click.echo(f"error: cannot reach {self.url}: {exc}", err=True)
            sys.exit(1)
        try:
            payload = answer.json()
        except ValueError:
            payload = {"message": answer.text}
        if answer.status_code >= 400:
            click.echo(f"error: {answer.status_code} {payload.get('message', '')}", err=True)
            sys.exit(3 if answer.status_code == 404 else 4 if answer.status_code == 409 else 1)
        return payload.get("data")


def _show(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


@click.group("sandbox")
@click.option(
    "--url",
    # The client's CLOPOS_BASE_URL names the same server when nothing more specific is set.
    envvar=["CLOPOS_SANDBOX_URL", "CLOPOS_BASE_URL"],
    default=DEFAULT_URL,
    show_default=True,
    help="The running server (env CLOPOS_SANDBOX_URL, else CLOPOS_BASE_URL).",
)
@click.option(
    "--admin-token", envvar="CLOPOS_ADMIN_TOKEN", help="Operator token (env CLOPOS_ADMIN_TOKEN)."
)
@click.option("--brand", default="openapitest", show_default=True, help="A test-mode brand.")
@click.pass_context
def sandbox(ctx: click.Context, url: str, admin_token: str | None, brand: str) -> None:
    """Reset, snapshot, break and fast-forward a running sandbox server (docs/testing.md)."""
    ctx.obj = _Target(url, admin_token, brand)


@sandbox.command()
@click.pass_obj
def reset(target: _Target) -> None:
    """Back to the state the server started with (data, caches, counters, faults, clock)."""
    _show(target.call("POST", "/reset"))


@sandbox.command()
@click.argument("name")
@click.pass_obj
def snapshot(target: _Target, name: str) -> None:
    """Keep the data as it is now under NAME."""
    _show(target.call("POST", "/snapshots", {"name": name}))


@sandbox.command()
@click.argument("name")
@click.pass_obj
def restore(target: _Target, name: str) -> None:
    """The data as snapshot NAME kept it."""
    _show(target.call("POST", f"/snapshots/{name}/restore"))


@sandbox.command()
@click.pass_obj
def snapshots(target: _Target) -> None:
    """The snapshots kept (`baseline` is what reset goes back to)."""
    _show(target.call("GET", "/snapshots"))


def _where(path: str | None, method: str | None, count: int | None) -> dict[str, Any]:
    return {"path": path, "method": method, "count": count}


@sandbox.command()
@click.argument("status", type=click.Choice([str(status) for status in FAULT_STATUSES]))
@click.option("--count", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--always", is_flag=True, help="Every matching request until clear-faults.")
@click.option("--path", help="An API path, e.g. /orders (and what is under it).")
@click.option("--method", help="Only this HTTP method.")
@click.option("--retry-after", type=click.IntRange(min=0), default=1, show_default=True)
@click.pass_obj
def fault(
    target: _Target,
    status: str,
    count: int,
    always: bool,
    path: str | None,
    method: str | None,
    retry_after: int,
) -> None:
    """Answer the next matching requests of the brand with STATUS."""
    body = {**_where(path, method, None if always else count), "status": int(status)}
    _show(
        target.call("POST", f"/brands/{target.brand}/faults", {**body, "retry_after": retry_after})
    )


@sandbox.command()
@click.argument("seconds", type=click.FloatRange(min=0))
@click.option("--count", type=click.IntRange(min=1), help="Only the next N (default: all).")
@click.option("--path", help="An API path, e.g. /orders (and what is under it).")
@click.option("--method", help="Only this HTTP method.")
@click.pass_obj
def latency(
    target: _Target, seconds: float, count: int | None, path: str | None, method: str | None
) -> None:
    """Delay matching requests of the brand by SECONDS."""
    body = {**_where(path, method, count), "latency": seconds}
    _show(target.call("POST", f"/brands/{target.brand}/faults", body))


@sandbox.command()
@click.pass_obj
def faults(target: _Target) -> None:
    """The faults still armed for the brand."""
    _show(target.call("GET", f"/brands/{target.brand}/faults"))


@sandbox.command("clear-faults")
@click.pass_obj
def clear_faults(target: _Target) -> None:
    """Disarm every fault of the brand."""
    _show(target.call("DELETE", f"/brands/{target.brand}/faults"))


@sandbox.command()
@click.pass_obj
def clock(target: _Target) -> None:
    """The brand's test clock."""
    _show(target.call("GET", f"/brands/{target.brand}/clock"))


@sandbox.command()
@click.argument("seconds", type=click.FloatRange(min=0, min_open=True))
@click.pass_obj
def advance(target: _Target, seconds: float) -> None:
    """Move the brand's clock forward: tokens expire, rate windows pass, accept-after
    orders are accepted."""
    _show(target.call("POST", f"/brands/{target.brand}/clock/advance", {"seconds": seconds}))
