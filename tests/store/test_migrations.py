"""Schema migrations: the revisions make exactly the models' schema, on both backends, and
start-up treats every state a database can be in as docs/operations.md says."""

from __future__ import annotations

import asyncio
import shutil
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from clopos.store import schema
from clopos.store.db import Database
from tests.store import dbutil


def create_schema(url: str) -> None:
    """What `clopos serve` does to the schema at start, on a Database of `url`."""

    async def run() -> None:
        db = Database(url)
        try:
            await schema.create_schema(db)
        finally:
            await db.dispose()

    asyncio.run(run())


def status(url: str) -> schema.Status:
    return asyncio.run(schema.status(url))


def head() -> str:
    return schema._head(schema.script_directory())


# --- the revisions ---------------------------------------------------------------------------


def test_one_line_of_revisions_from_the_baseline() -> None:
    script = schema.script_directory()
    assert len(script.get_heads()) == 1, "two revisions have the same parent: renumber one"
    assert [base for base in script.get_bases()] == [schema.BASELINE]
    for revision in script.walk_revisions():
        assert revision.revision.isdigit() and len(revision.revision) == 4, revision.revision


def test_migrations_produce_exactly_the_models_schema(database_url: str) -> None:
    """The drift guard: a model change without its revision (or the reverse) fails here.
    Write the revision with `clopos db revision -m "..."` (see docs/operations.md)."""
    asyncio.run(schema.upgrade(database_url))
    differences = asyncio.run(schema.differences(database_url))
    assert [schema.describe_difference(d) for d in differences] == []


def test_baseline_is_the_release_schema(
    database_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Revision 0001 makes what release 0.1.0's create_all made, to the letter: SQLite's
    stored CREATE statements, PostgreSQL's pg_dump of the schema."""
    if dbutil.is_sqlite(database_url):
        release_url = f"sqlite+aiosqlite:///{tmp_path / 'release.db'}"
    else:
        release_url = request.getfixturevalue("postgres").new_database()
    dbutil.load_release_dump(release_url)
    asyncio.run(schema.upgrade(database_url, schema.BASELINE))
    assert dbutil.schema_dump(database_url) == dbutil.schema_dump(release_url)


# --- start-up: each state --------------------------------------------------------------------


def test_an_empty_database_is_migrated_to_head(database_url: str) -> None:
    assert status(database_url).state is schema.State.EMPTY
    create_schema(database_url)
    now = status(database_url)
    assert now.state is schema.State.CURRENT
    assert now.revisions == (head(),)
    assert dbutil.query(database_url, "SELECT version_num FROM alembic_version") == [(head(),)]
    # Starting again changes nothing.
    create_schema(database_url)
    assert status(database_url) == now


def test_a_release_database_is_stamped_and_upgraded_with_its_data(database_url: str) -> None:
    dbutil.load_release_dump(database_url)
    before = dbutil.snapshot(database_url)
    placed = in_system_group(database_url)
    assert status(database_url).state is schema.State.RELEASE
    # As an operator would: `clopos db upgrade` (start-up does the same on SQLite, below).
    asyncio.run(schema.upgrade(database_url))
    assert status(database_url).state is schema.State.CURRENT
    after = dbutil.snapshot(database_url)
    # Every row of every release column that the schema still has is still there, but for
    # the customers' venue and group, which revision 0007 fills in where they were empty.
    filled = {("customers", "venue_id"), ("customers", "group_id")}
    kept = {
        table: {
            column: rows
            for column, rows in columns.items()
            if column in after[table] and (table, column) not in filled
        }
        for table, columns in before.items()
        if table in after
    }
    assert kept == {table: {c: after[table][c] for c in kept[table]} for table in kept}
    assert "'+994501110003'" in before["customers"]["phone"]  # made through the release's API
    # The release stored customers without a venue or group; now each has the brand's main
    # venue and its "My Customers" group, as customers made today do.
    assert "None" in before["customers"]["group_id"] + before["customers"]["venue_id"]
    assert "None" not in after["customers"]["group_id"] + after["customers"]["venue_id"]
    assert in_system_group(database_url) == placed + before["customers"]["group_id"].count("None")
    assert len(before["products"]["id"]) > 10 and len(before["audit_events"]["id"]) >= 2
    assert asyncio.run(schema.differences(database_url)) == []


def in_system_group(url: str) -> int:
    """How many customers are in their brand's "My Customers" group."""
    return int(
        dbutil.on_connection(
            url,
            lambda connection: connection.execute(
                text(
                    "SELECT count(*) FROM customers c JOIN customer_groups g"
                    " ON g.brand_id = c.brand_id AND g.id = c.group_id"
                    " WHERE g.system_type = 'my_customers'"
                )
            ).scalar_one(),
        )
    )


def test_start_up_upgrades_a_release_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'clopos.db'}"
    dbutil.load_release_dump(url)
    create_schema(url)
    assert status(url).state is schema.State.CURRENT


def test_a_database_ahead_of_the_code_is_refused(database_url: str) -> None:
    create_schema(database_url)
    dbutil.query(database_url, "UPDATE alembic_version SET version_num = '9999'")
    assert status(database_url).state is schema.State.AHEAD
    with pytest.raises(schema.SchemaError, match="newer version"):
        create_schema(database_url)
    with pytest.raises(schema.SchemaError, match="newer version"):
        asyncio.run(schema.upgrade(database_url))
    assert dbutil.query(database_url, "SELECT version_num FROM alembic_version") == [("9999",)]


def test_a_database_with_some_clopos_tables_is_refused(database_url: str) -> None:
    dbutil.query(database_url, "CREATE TABLE brands (id INTEGER PRIMARY KEY)")
    assert status(database_url).state is schema.State.PARTIAL
    with pytest.raises(schema.SchemaError, match="neither empty nor a clopos database"):
        create_schema(database_url)


def test_unrelated_tables_do_not_matter(database_url: str) -> None:
    dbutil.query(database_url, "CREATE TABLE someone_elses (id INTEGER PRIMARY KEY)")
    create_schema(database_url)
    assert status(database_url).state is schema.State.CURRENT
    assert "someone_elses" in dbutil.tables(database_url)


def test_two_processes_starting_together_migrate_once(database_url: str) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            create_schema(database_url)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert dbutil.query(database_url, "SELECT version_num FROM alembic_version") == [(head(),)]


# --- a database behind head, with revisions made up for the test ----------------------------


@pytest.fixture
def add_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], str]:
    """Add a revision (id, body of upgrade()) on top of a copy of the real migrations."""
    copy = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(schema, "MIGRATIONS", copy)

    def add(revision: str, upgrade: str) -> str:
        parent = head()
        (copy / "versions" / f"{revision}_test.py").write_text(
            f"import sqlalchemy as sa\nfrom alembic import op\n\n"
            f"revision = {revision!r}\ndown_revision = {parent!r}\n"
            f"branch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n{textwrap.indent(textwrap.dedent(upgrade), '    ')}\n"
        )
        return revision

    return add


def test_a_database_behind_head(
    database_url: str, backend_name: str, add_revision: Callable[[str, str], str]
) -> None:
    """SQLite upgrades at start; PostgreSQL refuses and names `clopos db upgrade`."""
    create_schema(database_url)
    add_revision("9001", 'op.create_table("probe", sa.Column("id", sa.Integer, primary_key=True))')
    assert status(database_url).state is schema.State.BEHIND
    if backend_name == "sqlite":
        create_schema(database_url)
    else:
        with pytest.raises(schema.SchemaError, match="clopos db upgrade"):
            create_schema(database_url)
        assert status(database_url).state is schema.State.BEHIND
        asyncio.run(schema.upgrade(database_url))
    assert status(database_url).revisions == ("9001",)
    assert "probe" in dbutil.tables(database_url)


def test_a_failed_migration_leaves_the_database_as_it_was(
    database_url: str, add_revision: Callable[[str, str], str]
) -> None:
    create_schema(database_url)
    was = head()
    add_revision("9001", 'op.create_table("probe", sa.Column("id", sa.Integer, primary_key=True))')
    add_revision(
        "9002",
        """
        op.execute("INSERT INTO probe (id) VALUES (1)")
        raise RuntimeError("this migration fails")
        """,
    )
    with pytest.raises(RuntimeError, match="this migration fails"):
        asyncio.run(schema.upgrade(database_url))
    assert status(database_url).revisions == (was,)
    assert "probe" not in dbutil.tables(database_url)


def test_rebuilding_a_sqlite_table_keeps_the_rows_that_refer_to_it(
    tmp_path: Path, add_revision: Callable[[str, str], str]
) -> None:
    """SQLite alters a table by copying it, dropping it and renaming the copy: with foreign
    keys on, dropping `products` would delete every row referring to it (ON DELETE
    CASCADE). Migrations run with foreign keys off, as SQLite prescribes."""
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'clopos.db'}"
    dbutil.load_release_dump(database_url)
    asyncio.run(schema.upgrade(database_url))
    before = dbutil.snapshot(database_url)
    assert before["recipe_items"]["dish_id"] and before["product_taxes"]["tax_id"]
    add_revision(
        "9001",
        """
        with op.batch_alter_table("products", recreate="always") as batch:
            batch.add_column(sa.Column("probe", sa.String(20), nullable=True))
        """,
    )
    asyncio.run(schema.upgrade(database_url))
    after = dbutil.snapshot(database_url)
    assert after["products"].pop("probe") == ["None"] * len(before["products"]["id"])
    assert after == before


def test_a_migration_that_breaks_a_foreign_key_is_rolled_back(
    tmp_path: Path, add_revision: Callable[[str, str], str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'clopos.db'}"
    dbutil.load_release_dump(url)
    create_schema(url)
    was = status(url).revisions
    add_revision("9001", 'op.execute("DELETE FROM brands")')
    with pytest.raises(schema.SchemaError, match="foreign keys"):
        create_schema(url)
    assert status(url).revisions == was
    assert dbutil.query(url, "SELECT count(*) FROM brands") == [(1,)]


# --- the developer's tool -------------------------------------------------------------------


def test_new_revision_writes_what_the_models_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`clopos db revision`: the store writes the revision, the CLI formats it (ruff)."""
    from click.testing import CliRunner
    from sqlalchemy import Column, Integer, String, Table

    from clopos.cli import main
    from clopos.store.base import Base

    copy = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(schema, "MIGRATIONS", copy)
    parent = head()
    probe = Table(
        "probe_revision",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(20), nullable=False, index=True),
    )
    try:
        made = CliRunner().invoke(
            main, ["db", "revision", "-m", "probe revision"], catch_exceptions=False
        )
        assert made.exit_code == 0, made.output
        path = Path(made.stdout.splitlines()[-1])  # after Alembic's "Generating ..."
        url = f"sqlite+aiosqlite:///{tmp_path / 'clopos.db'}"
        asyncio.run(schema.upgrade(url))
        assert asyncio.run(schema.differences(url)) == []
    finally:
        Base.metadata.remove(probe)
    number = f"{int(parent) + 1:04d}"
    assert path == copy / "versions" / f"{number}_probe_revision.py"
    source = path.read_text()
    assert f'down_revision: str | None = "{parent}"' in source
    assert 'op.create_table(\n        "probe_revision"' in source
    assert status(url).revisions == (number,)


def test_a_brand_without_the_system_group_gets_one_past_its_ids(database_url: str) -> None:
    """Revision 0007 makes "My Customers" where a brand has none, numbered past the brand's
    groups and id sequence, so the next group made at run time does not collide with it."""
    dbutil.load_release_dump(database_url)

    def drop_system_group(connection: Connection) -> None:
        connection.execute(text("UPDATE customers SET group_id = NULL WHERE group_id = 1"))
        connection.execute(text("DELETE FROM customer_groups WHERE system_type = 'my_customers'"))

    dbutil.on_connection(database_url, drop_system_group)
    asyncio.run(schema.upgrade(database_url))

    def read(connection: Connection) -> tuple[list[tuple[int, str]], int, set[int]]:
        groups = connection.execute(
            text("SELECT id, name FROM customer_groups WHERE system_type = 'my_customers'")
        ).all()
        counter = connection.execute(
            text("SELECT last_value FROM id_sequences WHERE name = 'customer_groups'")
        ).scalar_one()
        used = set(connection.execute(text("SELECT DISTINCT group_id FROM customers")).scalars())
        return [tuple(row) for row in groups], counter, used

    groups, counter, used = dbutil.on_connection(database_url, read)
    assert groups == [(4, "My Customers")]  # the release's groups are 1 to 3
    assert counter == 4 and 4 in used and None not in used
    assert asyncio.run(schema.differences(database_url)) == []
