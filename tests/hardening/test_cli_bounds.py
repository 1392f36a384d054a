"""Issue 11, items 18 and 21: the admin CLI refuses out-of-range numbers as a usage error (exit
2, no traceback), and every admin command offers `--json` as docs/operations.md promises."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from clopos.cli import main
from tests.support import LiveServer

HUGE = [str(2**64), str(2**63), "99999999999999999999999999"]


@pytest.fixture
def live(make_server) -> LiveServer:
    return make_server()


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    "args",
    [
        ("venue", "create", "X", "--brand", "openapitest", "--id", "{n}"),
        ("stop-list", "set", "--brand", "openapitest", "1", "--limit", "{n}"),
        ("stop-list", "set", "--brand", "openapitest", "{n}", "--limit", "1"),
        ("stop-list", "clear", "--brand", "openapitest", "{n}"),
        ("audit", "--since-minutes", "{n}"),
        ("audit-prune", "--days", "{n}"),
        ("client", "grant", "6553676e0d265ac837e8f79fc", "--venue", "{n}"),
        ("client", "grant", "6553676e0d265ac837e8f79fc", "--default-venue", "{n}"),
        ("client", "create", "--brand", "openapitest", "--venue", "{n}"),
        ("audit", "--limit", "{n}"),
    ],
)
def test_numbers_over_64_bits_are_a_usage_error(
    live: LiveServer, args: tuple[str, ...], number: str
) -> None:
    result = live.admin(*(a.replace("{n}", number) for a in args), check=False)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_stop_list_limit_fits_the_column(live: LiveServer) -> None:
    """The CLI takes what the database column holds (64-bit), and not one more."""
    assert live.admin("stop-list", "set", "--brand", "openapitest", "1", "--limit", str(2**63 - 1))
    result = live.admin(
        "stop-list", "set", "--brand", "openapitest", "1", "--limit", str(2**63), check=False
    )
    assert result.exit_code == 2, result.output


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


ADMIN = main.commands["admin"]
assert isinstance(ADMIN, click.Group)


@pytest.mark.parametrize("path", _commands(ADMIN), ids=" ".join)
def test_every_admin_command_offers_json(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, ["admin", *path, "--help"])
    assert result.exit_code == 0
    assert "--json" in result.output, f"clopos admin {' '.join(path)} has no --json"


@pytest.mark.parametrize(
    "args",
    [
        ("brand", "disable", "openapitest"),
        ("brand", "enable", "openapitest"),
        ("brand", "set-mode", "openapitest", "test"),
        ("integrator", "disable", "1"),
        ("integrator", "enable", "1"),
        ("integrator", "set-test", "1"),
        ("client", "revoke", "6553676e0d265ac837e8f79fc"),
        ("client", "disable", "6553676e0d265ac837e8f79fc"),
        ("client", "enable", "6553676e0d265ac837e8f79fc"),
    ],
)
def test_setters_print_json(live: LiveServer, args: tuple[str, ...]) -> None:
    printed = json.loads(live.admin(*args, "--json").output)
    assert isinstance(printed, dict) and printed
