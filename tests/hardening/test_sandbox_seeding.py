"""Only a starting server seeds the public sandbox: an admin command on a database a server
was told not to seed (`--no-sandbox`) must not put the published secret in it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from clopos.cli import main


def test_admin_commands_never_seed_the_sandbox(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"CLOPOS_DATA_DIR": str(tmp_path), "CLOPOS_SEED_SANDBOX": None}
    # An empty database, as an operator makes one without serving (admin commands refuse
    # to create one).
    made = runner.invoke(main, ["db", "upgrade"], env=env)
    assert made.exit_code == 0, made.output
    listed = runner.invoke(main, ["admin", "brand", "list", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output) == []
    clients = runner.invoke(main, ["admin", "client", "list", "--json"], env=env)
    assert clients.exit_code == 0, clients.output
    assert json.loads(clients.output) == []
