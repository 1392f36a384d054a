"""`clopos call` and `clopos token` name their own flags for missing configuration, not the
library's argument names."""

from __future__ import annotations

import os

from click.testing import CliRunner

from clopos.cli import main


def run(*args: str, **env: str) -> tuple[int, str]:
    clean: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CLOPOS_")}
    clean.update({f"CLOPOS_{k.upper()}": v for k, v in env.items()})
    result = CliRunner().invoke(main, list(args), env=clean)
    return result.exit_code, result.output


def test_a_v1_call_without_a_venue_names_the_venue_flag() -> None:
    settings = {"base_url": "http://127.0.0.1:9", "client_id": "c", "client_secret": "s"}
    code, output = run("call", "GET", "/venues", brand="b", **settings)
    assert code == 2
    assert "missing configuration: --venue or CLOPOS_VENUE_ID (v1 calls address one venue)" in (
        output
    )
    assert "venue=" not in output and "venue_id /" not in output


def test_missing_settings_are_named_as_flags() -> None:
    code, output = run("token")
    assert code == 2
    for flag, variable in (
        ("--base-url", "CLOPOS_BASE_URL"),
        ("--client-id", "CLOPOS_CLIENT_ID"),
        ("--client-secret", "CLOPOS_CLIENT_SECRET"),
        ("--brand", "CLOPOS_BRAND"),
        ("--integrator", "CLOPOS_INTEGRATOR_ID"),
    ):
        assert f"{flag} or {variable}" in output
