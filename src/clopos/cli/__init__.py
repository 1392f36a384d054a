"""The `clopos` command: serve, administer, and call the API.

Exit codes: 0 success; 1 invalid input; 2 usage error; 3 not found; 4 conflict with the
current state (duplicate, rotation already started, ...).
"""

from __future__ import annotations

import click

from clopos import __version__
from clopos.cli.admin import admin
from clopos.cli.serve import serve


@click.group()
@click.version_option(__version__, prog_name="clopos")
def main() -> None:
    """Clopos Open API server and client tooling."""


main.add_command(serve)
main.add_command(admin)


def _register_optional() -> None:
    import importlib
    import importlib.util

    # TODO(lead): make strict once both modules land.
    if importlib.util.find_spec("clopos.cli.catalogue"):
        importlib.import_module("clopos.cli.catalogue").register(admin)
    if importlib.util.find_spec("clopos.cli.client_commands"):
        importlib.import_module("clopos.cli.client_commands").register(main)


_register_optional()
