"""`clopos admin operator`: the accounts that sign in to the venue console (/console)."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy.orm import Session

from clopos.cli.context import emit, json_option, run_db, table
from clopos.core.errors import DomainError


def _hashed(password: str) -> str:
    from clopos.core.operators import service as operators

    try:
        return operators.hash_password(password)
    except DomainError as error:
        raise click.BadParameter(error.message, param_hint="--password") from None


def _row(view: Any) -> dict[str, Any]:
    data: dict[str, Any] = view.to_json()
    return data


password_option = click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="The password (at least 8 characters); prompted for when absent.",
)


@click.group("operator")
def operator() -> None:
    """Operator accounts of the venue console (/console)."""


@operator.command("create")
@click.argument("name")
@password_option
@click.option(
    "--brand",
    "brands",
    multiple=True,
    help="Limit the account to this brand (repeatable; default: every brand).",
)
@json_option
def create(name: str, password: str, brands: tuple[str, ...], as_json: bool) -> None:
    """Create an operator account for the console."""
    from clopos.core.operators import service as operators

    hashed = _hashed(password)

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return _row(operators.create_operator(session, name, hashed, list(brands) or None))

    def human(row: dict[str, Any]) -> str:
        brands_text = "every brand" if row["brands"] == "all" else ", ".join(row["brands"])
        return f"created operator {row['name']} ({brands_text}); sign in at /console"

    emit(run_db(work), as_json, human)


@operator.command("list")
@json_option
def list_operators(as_json: bool) -> None:
    """List operator accounts (never their passwords)."""
    from clopos.core.operators import service as operators

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        return [_row(view) for view in operators.list_operators(session)]

    emit(
        run_db(work),
        as_json,
        lambda rows: table(rows, ["name", "enabled", "brands", "last_login_at"]),
    )


@operator.command("set-password")
@click.argument("name")
@password_option
@json_option
def set_password(name: str, password: str, as_json: bool) -> None:
    """Change an operator's password; its console sessions end."""
    from clopos.core.operators import service as operators

    hashed = _hashed(password)

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return _row(operators.set_password(session, name, hashed))

    emit(run_db(work), as_json, lambda row: f"operator {row['name']}: password changed")


@operator.command("limit")
@click.argument("name")
@click.option("--brand", "brands", multiple=True, help="A brand the account may use (repeatable).")
@click.option("--all-brands", is_flag=True, help="Lift the limit: every brand.")
@json_option
def limit(name: str, brands: tuple[str, ...], all_brands: bool, as_json: bool) -> None:
    """Limit an operator to some brands (or lift the limit with --all-brands)."""
    from clopos.core.operators import service as operators

    if bool(brands) == all_brands:
        raise click.UsageError("give --brand (one or more) or --all-brands")

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return _row(operators.limit_brands(session, name, None if all_brands else list(brands)))

    def human(row: dict[str, Any]) -> str:
        shown = "every brand" if row["brands"] == "all" else ", ".join(row["brands"])
        return f"operator {row['name']}: {shown}"

    emit(run_db(work), as_json, human)


def _setter(command_name: str, help_text: str, enabled: bool) -> None:
    @operator.command(command_name, help=help_text)
    @click.argument("name")
    @json_option
    def command(name: str, as_json: bool) -> None:
        from clopos.core.operators import service as operators

        def work(session: Session, settings: Any) -> dict[str, Any]:
            return _row(operators.set_enabled(session, name, enabled))

        emit(run_db(work), as_json, lambda row: f"operator {row['name']}: {command_name}d")


_setter("disable", "Refuse the operator's sign-ins; its sessions end at once.", False)
_setter("enable", "Allow the operator to sign in again.", True)


@operator.command("delete")
@click.argument("name")
@json_option
def delete(name: str, as_json: bool) -> None:
    """Delete an operator account and its sessions."""
    from clopos.core.operators import service as operators

    def work(session: Session, settings: Any) -> dict[str, Any]:
        operators.delete_operator(session, name)
        return {"name": name, "deleted": True}

    emit(run_db(work), as_json, lambda row: f"operator {row['name']}: deleted")
