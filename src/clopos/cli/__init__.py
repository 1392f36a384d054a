"""The `clopos` command: serve, administer, and call the API.

Exit codes: 0 success; 1 invalid input; 2 usage error; 3 not found; 4 conflict with the
current state (duplicate, rotation already started, ...).
"""

from __future__ import annotations

import click

from clopos import __version__
from clopos.cli import catalogue, client_commands, sandbox, venue_side
from clopos.cli.admin import admin
from clopos.cli.db import db
from clopos.cli.serve import serve


@click.group()
@click.version_option(__version__, prog_name="clopos")
def main() -> None:
    """Clopos Open API server and client tooling."""


main.add_command(serve)
main.add_command(admin)
main.add_command(db)
main.add_command(sandbox.sandbox)


catalogue.register(admin)
venue_side.register(admin)
client_commands.register(main)
