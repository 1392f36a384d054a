"""The `clopos` command: serve, administer, and call the API.

Exit codes: 0 success; 1 invalid input; 2 usage error; 3 not found; 4 conflict with the
current state (duplicate, rotation already started, ...), or a database schema that cannot
be used or migrated as it is.
"""

from __future__ import annotations

from typing import Any

import click

from clopos import __version__
from clopos.cli import books, catalogue, client_commands, sandbox, venue_side, webhooks
from clopos.cli.admin import admin
from clopos.cli.db import db
from clopos.cli.serve import serve
from clopos.store.errors import DriverMissing, SchemaError


class SchemaRefused(click.ClickException):
    """A SchemaError as the CLI answers it: its message on stderr, exit code 4."""

    exit_code = 4


class _Main(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        # The store raises its own error; this is the one place it becomes an exit code, for
        # every command that touches the schema (serve, db, and the admin commands).
        try:
            return super().invoke(ctx)
        except SchemaError as error:
            raise SchemaRefused(str(error)) from error
        except DriverMissing as error:  # one line naming what to install, not a traceback
            raise click.ClickException(str(error)) from error


@click.group(cls=_Main)
@click.version_option(__version__, prog_name="clopos")
def main() -> None:
    """Clopos Open API server and client tooling."""


main.add_command(serve)
main.add_command(admin)
main.add_command(db)
main.add_command(sandbox.sandbox)
main.add_command(webhooks.webhooks)
admin.add_command(webhooks.webhook)


catalogue.register(admin)
venue_side.register(admin)
books.register(admin)
client_commands.register(main)
