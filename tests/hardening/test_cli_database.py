"""The admin CLI's database: never created by an admin command, and named when it answers
"not found" (run from another directory, `./var` there is another, empty database)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from clopos.cli import main
from tests.support import Backend, LiveServer


def clean_env(**settings: str) -> dict[str, str | None]:
    """Exactly these CLOPOS_* settings: every other one this process has is unset."""
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("CLOPOS_")}
    env.update({f"CLOPOS_{k.upper()}": v for k, v in settings.items()})
    return env


def test_an_admin_command_in_a_directory_without_a_database_creates_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["admin", "brand", "list"], env=clean_env())
    assert result.exit_code == 3, result.output
    expected = tmp_path.resolve() / "var" / "clopos.db"
    assert f"error: no database at {expected} " in result.output
    assert "default ./var under the current directory" in result.output
    assert "--data-dir" in result.output and "clopos serve" in result.output
    assert list(tmp_path.iterdir()) == []  # no ./var made


def test_an_empty_postgresql_database_is_refused_too(backend: Backend, tmp_path: Path) -> None:
    settings = backend()  # a new, empty database (on SQLite: none in tmp_path)
    env = clean_env(data_dir=str(tmp_path / "data"), **settings)
    result = CliRunner().invoke(main, ["admin", "brand", "list"], env=env)
    assert result.exit_code == 3, result.output
    assert "error: no database at " in result.output
    if "database_url" in settings:
        assert settings["database_url"].rsplit("/", 1)[1] in result.output
    else:
        assert not (tmp_path / "data").exists()


def test_not_found_names_the_database_it_looked_in(make_server: object) -> None:
    live: LiveServer = make_server()  # type: ignore[operator]
    result = live.admin("venue", "list", "--brand", "nosuch", check=False)
    assert result.exit_code == 3
    if live.on_sqlite:
        where = str((live.data_dir / "clopos.db").resolve())
    else:
        where = live.env["CLOPOS_DATABASE_URL"]
    assert f"(in the database {where})" in result.output, result.output


def test_a_password_in_the_url_is_not_printed(tmp_path: Path) -> None:
    from clopos.cli.context import database_named

    named = database_named("postgresql+asyncpg://clopos:s3cret@db.example:5432/clopos")
    assert "s3cret" not in named and "db.example:5432/clopos" in named
    assert database_named(f"sqlite:///{tmp_path}/clopos.db") == f"{tmp_path}/clopos.db"


def test_at_a_terminal_the_database_is_named(
    make_server: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clopos.cli import context

    live: LiveServer = make_server()  # type: ignore[operator]
    quiet = live.admin("brand", "list").output
    assert "database:" not in quiet  # a script's output stays as it was
    monkeypatch.setattr(context, "interactive", lambda: True)
    told = live.admin("brand", "list").output
    where = (
        str((live.data_dir / "clopos.db").resolve())
        if live.on_sqlite
        else live.env["CLOPOS_DATABASE_URL"]
    )
    assert told.startswith(f"database: {where}\n"), told
