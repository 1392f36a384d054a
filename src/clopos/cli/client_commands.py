"""`clopos token` and `clopos call`: the Python client from the shell, for curl and debugging.

Configuration comes from the same `CLOPOS_*` variables as `clopos.Client`; flags override.
Exit codes follow the rest of the CLI: 1 failed call or invalid input, 2 usage or
configuration error, 3 not found, 4 conflict.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_EXIT_CODES = {404: 3, 409: 4}


def _connection_options(func: F) -> F:
    options = [
        click.option("--base-url", help="Server root. [env: CLOPOS_BASE_URL]"),
        click.option("--client-id", help="[env: CLOPOS_CLIENT_ID]"),
        click.option(
            "--client-secret",
            help="Prefer the variable: flags are visible to other users in the process list."
            " [env: CLOPOS_CLIENT_SECRET]",
        ),
        click.option("--brand", help="[env: CLOPOS_BRAND]"),
        click.option("--venue", "venue_id", help="Venue id. [env: CLOPOS_VENUE_ID]"),
        click.option("--integrator", "integrator_id", help="v2 only. [env: CLOPOS_INTEGRATOR_ID]"),
        click.option(
            "--token-cache",
            type=click.Path(dir_okay=False),
            help="Keep tokens in this file (mode 0600) so repeated runs reuse them.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


# The client's settings as this command's flags name them.
_FLAGS = {
    "base_url": "--base-url",
    "client_id": "--client-id",
    "client_secret": "--client-secret",
    "brand": "--brand",
    "venue_id": "--venue",
    "integrator_id": "--integrator",
}


def _usage_error(error: Any) -> click.UsageError:
    """A ConfigurationError in the CLI's words: flags, not the library's argument names."""
    if not error.missing:
        return click.UsageError(error.message)
    named = ", ".join(f"{_FLAGS[name]} or CLOPOS_{name.upper()}" for name in error.missing)
    reason = " (v1 calls address one venue)" if error.missing == ("venue_id",) else ""
    return click.UsageError(f"missing configuration: {named}{reason}")


def _client(version: int, **config: Any) -> Any:
    from clopos.client import Client, ConfigurationError

    try:
        return Client(version=version, **config)
    except ConfigurationError as error:
        raise _usage_error(error) from None


def _fail(error: Exception) -> None:
    from clopos.client import CloposError, ConfigurationError

    if isinstance(error, ConfigurationError):
        raise _usage_error(error) from None
    click.echo(f"error: {error}", err=True)
    status = error.status if isinstance(error, CloposError) else None
    sys.exit(_EXIT_CODES.get(status or 0, 1))


@click.command("token")
@click.option(
    "--api-version",
    type=click.Choice(["1", "2"]),
    default="2",
    show_default=True,
    help="Which /auth to call: v1 tokens are per venue, v2 tokens per integrator.",
)
@_connection_options
def token(api_version: str, **config: Any) -> None:
    """Print a valid token, e.g. for `curl -H "x-token: $(clopos token)"`."""
    from clopos.client import CloposError

    with _client(int(api_version), **config) as client:
        try:
            click.echo(client.token())
        except CloposError as error:
            _fail(error)


def _query_item(text: str) -> tuple[str, str]:
    name, separator, value = text.partition("=")
    if not separator or not name:
        raise click.BadParameter(f"expected key=value, got {text!r}", param_hint="-q")
    return name, value


@click.command("call")
@click.argument("method", type=str)
@click.argument("path", type=str)
@click.option(
    "-q",
    "--query",
    "query",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query item, repeatable, sent as written (e.g. -q 'with[]=category').",
)
@click.option("-d", "--data", help="A JSON request body.")
@_connection_options
def call(method: str, path: str, query: tuple[str, ...], data: str | None, **config: Any) -> None:
    """Make an authenticated call and print the JSON answer.

    PATH is relative to /open-api: `/v2/venues` calls v2 with a v2 token, `/venues` calls v1.
    """
    from clopos.client import CloposError

    items = [_query_item(item) for item in query]
    try:
        body = json.loads(data) if data is not None else None
    except ValueError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="-d") from None
    path = "/" + path.lstrip("/")
    version = 2 if path == "/v2" or path.startswith("/v2/") else 1
    relative = path.removeprefix("/v2") if version == 2 else path
    with _client(version, **config) as client:
        try:
            answer = client.request(method, relative, params=items, json=body)
        except CloposError as error:
            _fail(error)
    click.echo(json.dumps(answer, indent=2, ensure_ascii=False))


def register(main: click.Group) -> None:
    """Add `token` and `call` to the `clopos` command group."""
    main.add_command(token)
    main.add_command(call)
