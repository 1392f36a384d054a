"""`clopos db`: current, upgrade, check; and `clopos serve` refusing a database it cannot use."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from clopos.cli import main
from clopos.store import schema
from tests.store import dbutil, process


def clopos(database_url: str, *args: str) -> Result:
    # Both variables are given so that CliRunner restores them: `db` sets them from options.
    env = {"CLOPOS_DATABASE_URL": database_url, "CLOPOS_DATA_DIR": None}
    if dbutil.is_sqlite(database_url):
        env = {"CLOPOS_DATABASE_URL": None, "CLOPOS_DATA_DIR": None}
        args = ("--data-dir", str(dbutil.sqlite_path(database_url).parent), *args)
    return CliRunner().invoke(main, ["db", *args], env=env, catch_exceptions=False)


def head() -> str:
    return schema._head(schema.script_directory())


def test_upgrade_current_and_check(database_url: str) -> None:
    before = clopos(database_url, "current", "--json")
    assert before.exit_code == 0, before.output
    assert json.loads(before.stdout)["state"] in ("empty", "missing")
    assert clopos(database_url, "check").exit_code == 4

    upgraded = clopos(database_url, "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.stdout.startswith("upgraded: was empty database")

    now = json.loads(clopos(database_url, "current", "--json").stdout)
    named = now.pop("database")  # the SQLite file's path, or the URL without a password
    if dbutil.is_sqlite(database_url):
        assert named == str(dbutil.sqlite_path(database_url))
    else:
        assert named.rsplit("/", 1)[1] == database_url.rsplit("/", 1)[1]
    human = clopos(database_url, "current").stdout.strip()
    assert human == f"{named}: revision {head()} (head)"
    assert now == {
        "state": "current",
        "revisions": [head()],
        "head": head(),
        "description": f"revision {head()} (head)",
    }
    checked = clopos(database_url, "check")
    assert checked.exit_code == 0, checked.output

    again = clopos(database_url, "upgrade")
    assert again.exit_code == 0 and again.stdout.startswith("nothing to do"), again.output


def test_upgrade_of_a_release_database(database_url: str) -> None:
    dbutil.load_release_dump(database_url)
    assert json.loads(clopos(database_url, "current", "--json").stdout)["state"] == "release"
    upgraded = clopos(database_url, "upgrade", "--json")
    assert upgraded.exit_code == 0, upgraded.output
    answer = json.loads(upgraded.stdout)
    assert answer["before"]["state"] == "release"
    assert answer["after"]["revisions"] == [head()]
    assert clopos(database_url, "check").exit_code == 0


def test_check_names_a_difference_from_the_models(database_url: str) -> None:
    clopos(database_url, "upgrade")
    dbutil.query(database_url, "DROP INDEX ix_audit_events_client_at")
    checked = clopos(database_url, "check")
    assert checked.exit_code == 4
    assert "add_index audit_events.ix_audit_events_client_at" in checked.stdout


def test_a_database_ahead_of_the_code_is_refused(
    database_url: str, backend_name: str, tmp_path: Path
) -> None:
    clopos(database_url, "upgrade")
    dbutil.query(database_url, "UPDATE alembic_version SET version_num = '9999'")

    refused = clopos(database_url, "upgrade")
    assert refused.exit_code == 4
    assert "revision 9999, unknown to this version of clopos" in refused.stderr
    assert "newer version" in refused.stderr

    # `clopos serve` refuses before it listens, with the same message and exit code.
    if backend_name == "sqlite":
        env = process.server_env(dbutil.sqlite_path(database_url).parent)
    else:
        env = process.server_env(tmp_path / "data", database_url=database_url)
    served = process.run(env, "serve", "--port", str(process.free_port()))
    assert served.returncode == 4, served.stdout + served.stderr
    assert "unknown to this version of clopos" in served.stderr
    assert "Traceback" not in served.stderr


def test_an_unknown_target_revision(database_url: str) -> None:
    refused = clopos(database_url, "upgrade", "7777")
    assert refused.exit_code == 4
    assert "7777" in refused.stderr
