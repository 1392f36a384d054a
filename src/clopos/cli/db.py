"""`clopos db`: the database schema's revision, and migrating it (Alembic, store/migrations)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from clopos.cli.context import (
    database_named,
    database_options,
    emit,
    json_option,
    missing_sqlite_file,
)


@click.group()
@database_options
def db() -> None:
    """The schema: which revision a database is at, and upgrading it."""


def _settings() -> Any:
    from clopos.server.settings import Settings

    return Settings()


def _status_json(status: Any) -> dict[str, Any]:
    return {
        "state": str(status.state),
        "revisions": list(status.revisions),
        "head": status.head,
        "description": status.describe(),
    }


@db.command()
@json_option
def current(as_json: bool) -> None:
    """Show which database the settings name, its revision and this version's head."""
    from clopos.store import schema

    url = _settings().resolved_database_url
    missing = missing_sqlite_file(url)
    if missing is not None:
        head = schema.script_directory().get_current_head()
        data: dict[str, Any] = {
            "state": "missing",
            "revisions": [],
            "head": head,
            "description": f"no database at {missing} yet (head is {head})",
        }
    else:
        data = _status_json(asyncio.run(schema.status(url)))
    # Which database the settings name (admin commands use the same): the answer to "why
    # does this command not see my brand?".
    data["database"] = database_named(url)
    emit(data, as_json, lambda d: f"{d['database']}: {d['description']}")


@db.command()
@click.argument("revision", default="head")
@json_option
def upgrade(revision: str, as_json: bool) -> None:
    """Migrate the database to REVISION (default: head).

    An empty database gets the whole schema; a database made by release 0.1.0 is first
    stamped with the baseline revision. Run it with the servers stopped, after a backup.
    """
    from clopos.store import schema

    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    before, after = asyncio.run(schema.upgrade(settings.resolved_database_url, revision))
    data = {"before": _status_json(before), "after": _status_json(after)}

    def human(d: dict[str, Any]) -> str:
        if before.revisions == after.revisions:
            return f"nothing to do: {after.describe()}"
        return f"upgraded: was {before.describe()}; now {after.describe()}"

    emit(data, as_json, human)


@db.command()
@json_option
def check(as_json: bool) -> None:
    """Exit 0 when the database is at head and its schema is the models' exactly, else 4."""
    from clopos.store import schema

    url = _settings().resolved_database_url
    if missing_sqlite_file(url) is not None:
        click.echo(f"error: no database at {missing_sqlite_file(url)}", err=True)
        sys.exit(4)
    status = asyncio.run(schema.status(url))
    differences = (
        [schema.describe_difference(d) for d in asyncio.run(schema.differences(url))]
        if status.state is schema.State.CURRENT
        else []
    )
    data = {**_status_json(status), "differences": differences}
    ok = status.state is schema.State.CURRENT and not differences

    def human(d: dict[str, Any]) -> str:
        lines = [d["description"]]
        lines += [f"differs from the models: {line}" for line in d["differences"]]
        return "\n".join(lines)

    emit(data, as_json, human)
    if not ok:
        sys.exit(4)


@db.command()
@click.option("-m", "--message", required=True, help="What the revision does.")
@click.option(
    "--empty", is_flag=True, help="Write an empty revision instead of comparing the models."
)
def revision(message: str, empty: bool) -> None:
    """For developers: write the next revision into the source tree's migrations.

    It compares the models with a scratch SQLite database migrated to head and writes the
    difference as Alembic operations. Review it (and try it on PostgreSQL) before committing.
    """
    from clopos.store import schema

    path = schema.new_revision(message, autogenerate=not empty)
    _format(path)
    click.echo(str(path))


def _format(path: Path) -> None:
    """Alembic's rendering in the project's style (ruff), so the revision is committed as
    `./dev lint` wants it; left as rendered where ruff is not installed."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if Path(ruff).exists():
        subprocess.run([ruff, "check", "--fix", "--quiet", str(path)], check=False)
        subprocess.run([ruff, "format", "--quiet", str(path)], check=False)
