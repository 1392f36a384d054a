"""Running the CLI's database work: settings from the environment, an initialised database."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.orm import Session

from clopos.core.errors import Conflict, DomainError, NotFound

T = TypeVar("T")


def run_db(work: Callable[[Session, Any], T]) -> T:
    """Run `work(session, settings)` as one unit of work on the configured database (its
    schema migrated if needed; never seeded: only `clopos serve` seeds the sandbox).

    The database must exist: an admin command never creates one (run where the server does
    not, it would answer from an empty database: "brand not found"). A refusal ends the
    process with its exit code (see `exit_code`) and a one-line message on stderr; a "not
    found" names the database it looked in.
    """
    from clopos.server.bootstrap import initialise
    from clopos.server.settings import Settings

    settings = Settings()
    where = database_named(settings.resolved_database_url)
    if interactive():  # a person at a terminal sees which database answers; scripts do not
        click.echo(f"database: {where}", err=True)

    async def main() -> T:
        await _refuse_a_new_database(settings.resolved_database_url, where)
        db = settings.open_database()
        try:
            await initialise(settings, db, seed=False)
            return await db.write(work, settings)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except DomainError as error:
        message = error.message
        if isinstance(error, NotFound) and not isinstance(error, NoDatabase):
            message = f"{message} (in the database {where})"
        click.echo(f"error: {message}", err=True)
        sys.exit(exit_code(error))


class NoDatabase(NotFound):
    """The database an admin command is pointed at has no schema: it was never served."""


def interactive() -> bool:
    """Whether a person reads stderr (a terminal), not a script or a pipe."""
    return sys.stderr.isatty()


# Where the CLI looks for its database, said in every refusal of a missing one.
LOOKUP = (
    "the database is CLOPOS_DATABASE_URL (--database-url) if set, else clopos.db in "
    "CLOPOS_DATA_DIR (--data-dir), default ./var under the current directory"
)


def database_named(url: str) -> str:
    """The database at `url` as a message names it: a SQLite file's path, or the URL
    without its password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database)
    return parsed.render_as_string(hide_password=True)


def missing_sqlite_file(url: str) -> str | None:
    """The path of an embedded database that does not exist yet, else None."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return None if Path(parsed.database).exists() else parsed.database


async def _refuse_a_new_database(url: str, where: str) -> None:
    """NotFound for a database with no schema (a SQLite file that is not there, a
    PostgreSQL database without tables): made by `clopos serve` or `clopos db upgrade`."""
    from clopos.store import schema

    if url.startswith("sqlite"):
        empty = missing_sqlite_file(url) is not None
    else:
        empty = (await schema.status(url)).state is schema.State.EMPTY
    if not empty:
        return
    raise NoDatabase(
        f"no database at {where} ({LOOKUP}); start `clopos serve` with the same settings "
        "first (or create an empty one with `clopos db upgrade`), or point --data-dir or "
        "--database-url at the server's"
    )


def exit_code(error: DomainError) -> int:
    """The documented exit codes: 1 invalid, 3 not found, 4 conflict (2 is click's usage)."""
    if isinstance(error, NotFound):
        return 3
    if isinstance(error, Conflict):
        return 4
    return 1


def emit(data: Any, as_json: bool, human: Callable[[Any], str] | None = None) -> None:
    """Print `data` as JSON for scripts, or as the human form."""
    if as_json or human is None:
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        click.echo(human(data))


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain aligned table; an empty list says so."""
    if not rows:
        return "(none)"
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value)) or "-"
    return "-" if value is None else str(value)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")

F = TypeVar("F", bound=Callable[..., Any])


def _into_environment(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    # Flags become environment variables, which every Settings reads: the server's worker
    # processes and the CLI's own database work alike.
    def store(_context: click.Context, _parameter: click.Parameter, value: Any) -> None:
        if value is not None:
            os.environ[name] = str(value)

    return store


def database_options(command: F) -> F:
    """`--data-dir` and `--database-url`: which database a command works on."""
    command = click.option(
        "--database-url",
        expose_value=False,
        callback=_into_environment("CLOPOS_DATABASE_URL"),
        help="SQLAlchemy URL [env CLOPOS_DATABASE_URL].",
    )(command)
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        expose_value=False,
        callback=_into_environment("CLOPOS_DATA_DIR"),
        help="Directory of the embedded database [env CLOPOS_DATA_DIR, default ./var].",
    )(command)


# The largest integer a database column holds (64-bit signed): a larger number is a usage
# error (exit 2) here, never an OverflowError from the database driver.
INT64_MAX = 2**63 - 1


def int64(minimum: int = 0, maximum: int = INT64_MAX) -> click.IntRange:
    """An integer option or argument within `minimum`..`maximum` (at most 64-bit)."""
    return click.IntRange(minimum, min(maximum, INT64_MAX))


ID = int64(1)
# Durations the CLI turns into dates: at most about 100 years, so the date stays valid.
MAX_DAYS = 36_500
MAX_MINUTES = MAX_DAYS * 24 * 60
