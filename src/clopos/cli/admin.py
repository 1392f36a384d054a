"""`clopos admin`: provision brands, venues, integrators and clients; control access."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import click
from sqlalchemy.orm import Session

from clopos.cli.context import (
    ID,
    MAX_DAYS,
    MAX_MINUTES,
    database_options,
    emit,
    int64,
    json_option,
    run_db,
    table,
)


@click.group()
@database_options
def admin() -> None:
    """Operator commands. They act on the database directly; running servers follow at once."""


def _brand_json(brand: Any) -> dict[str, Any]:
    return {"slug": brand.slug, "name": brand.name, "mode": brand.mode, "enabled": brand.enabled}


def _integrator_json(integrator: Any) -> dict[str, Any]:
    return {
        "id": integrator.id,
        "name": integrator.name,
        "mode": "test" if integrator.is_test else "production",
        "enabled": integrator.enabled,
    }


# --- brands ---------------------------------------------------------------------------------


@admin.group()
def brand() -> None:
    """Brands: the top-level tenants."""


@brand.command("create")
@click.argument("slug")
@click.option("--name", help="Display name (default: the slug).")
@click.option(
    "--mode",
    type=click.Choice(["test", "production"]),
    default="production",
    show_default=True,
    help="Test brands accept test integrators.",
)
@click.option("--venue-name", default="Main", show_default=True, help="Name of venue 1.")
@json_option
def brand_create(slug: str, name: str | None, mode: str, venue_name: str, as_json: bool) -> None:
    """Create a brand with its main venue."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return _brand_json(ops.create_brand(session, slug, name, mode, venue_name))

    emit(run_db(work), as_json, lambda b: f"created brand {b['slug']} ({b['mode']})")


@brand.command("list")
@json_option
def brand_list(as_json: bool) -> None:
    """List brands."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        return [_brand_json(b) for b in ops.list_brands(session)]

    emit(run_db(work), as_json, lambda rows: table(rows, ["slug", "name", "mode", "enabled"]))


def _brand_setter(name: str, help_text: str, **change: Any) -> None:
    @brand.command(name, help=help_text)
    @click.argument("slug")
    @json_option
    def command(slug: str, as_json: bool) -> None:
        from clopos.core.access import service as ops

        def work(session: Session, settings: Any) -> dict[str, Any]:
            return _brand_json(ops.set_brand(session, slug, **change))

        emit(run_db(work), as_json, lambda b: f"brand {slug}: {name}d")


_brand_setter("disable", "Refuse every token and exchange of the brand.", enabled=False)
_brand_setter("enable", "Allow the brand's clients again.", enabled=True)


@brand.command("set-mode")
@click.argument("slug")
@click.argument("mode", type=click.Choice(["test", "production"]))
@json_option
def brand_set_mode(slug: str, mode: str, as_json: bool) -> None:
    """Switch a brand between test and production."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return _brand_json(ops.set_brand(session, slug, mode=mode))

    emit(run_db(work), as_json, lambda b: f"brand {slug}: mode {mode}")


# --- venues ---------------------------------------------------------------------------------


@admin.group()
def venue() -> None:
    """Venues: a brand's locations."""


@venue.command("create")
@click.argument("name")
@click.option("--brand", "brand_slug", required=True)
@click.option("--id", "venue_id", type=ID, help="Explicit venue id.")
@click.option("--address")
@click.option("--phone")
@click.option("--email")
@json_option
def venue_create(
    name: str,
    brand_slug: str,
    venue_id: int | None,
    address: str | None,
    phone: str | None,
    email: str | None,
    as_json: bool,
) -> None:
    """Create a venue in a brand."""
    from clopos.core.access import service as ops
    from clopos.core.venues.service import VENUE

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return VENUE.render(
            ops.create_venue(
                session,
                brand_slug,
                name,
                venue_id=venue_id,
                address=address,
                phone=phone,
                email=email,
            )
        )

    emit(run_db(work), as_json, lambda v: f"created venue {v['id']} ({v['name']}) in {brand_slug}")


@venue.command("list")
@click.option("--brand", "brand_slug", required=True)
@json_option
def venue_list(brand_slug: str, as_json: bool) -> None:
    """List a brand's venues."""
    from clopos.core.access import service as ops
    from clopos.core.venues.service import list_venues

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        return list_venues(session, (ops.get_brand(session, brand_slug)).id)

    emit(run_db(work), as_json, lambda rows: table(rows, ["id", "name", "is_main", "address"]))


# --- integrators ----------------------------------------------------------------------------


@admin.group()
def integrator() -> None:
    """Integrators: the partners that call v2."""


@integrator.command("create")
@click.argument("name")
@click.option("--id", "integrator_id", help="Explicit id (default: generated).")
@click.option("--production", is_flag=True, help="A production integrator (default: test).")
@json_option
def integrator_create(
    name: str, integrator_id: str | None, production: bool, as_json: bool
) -> None:
    """Create an integrator."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> dict[str, Any]:
        return _integrator_json(
            ops.create_integrator(
                session, name, integrator_id=integrator_id, is_test=not production
            )
        )

    emit(run_db(work), as_json, lambda i: f"created integrator {i['id']} ({i['mode']})")


@integrator.command("list")
@json_option
def integrator_list(as_json: bool) -> None:
    """List integrators."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        return [_integrator_json(i) for i in ops.list_integrators(session)]

    emit(run_db(work), as_json, lambda rows: table(rows, ["id", "name", "mode", "enabled"]))


def _integrator_setter(name: str, help_text: str, **change: Any) -> None:
    @integrator.command(name, help=help_text)
    @click.argument("integrator_id")
    @json_option
    def command(integrator_id: str, as_json: bool) -> None:
        from clopos.core.access import service as ops

        def work(session: Session, settings: Any) -> dict[str, Any]:
            return _integrator_json(ops.set_integrator(session, integrator_id, **change))

        emit(run_db(work), as_json, lambda i: f"integrator {integrator_id}: {name}")


_integrator_setter("disable", "Refuse the integrator's exchanges and tokens.", enabled=False)
_integrator_setter("enable", "Allow the integrator again.", enabled=True)
_integrator_setter("set-test", "Mark the integrator as a test integrator.", is_test=True)
_integrator_setter("set-production", "Mark the integrator as a production one.", is_test=False)


# --- clients --------------------------------------------------------------------------------


@admin.group()
def client() -> None:
    """API clients: a brand's credentials."""


@client.command("create")
@click.option("--brand", "brand_slug", required=True)
@click.option("--name", default="", help="A label for operators.")
@click.option(
    "--venue",
    "venues",
    multiple=True,
    type=ID,
    help="Grant a venue (repeatable; default: every venue of the brand).",
)
@click.option("--scope", "scopes", multiple=True, help="Grant a scope (repeatable; default: all).")
@json_option
def client_create(
    brand_slug: str, name: str, venues: tuple[int, ...], scopes: tuple[str, ...], as_json: bool
) -> None:
    """Create a client. Its secret is printed once and never stored in clear."""
    from clopos.core.access import service as ops
    from clopos.core.access.credentials import SecretHasher

    def work(session: Session, settings: Any) -> dict[str, Any]:
        made = ops.create_client(
            session,
            SecretHasher(settings.hashing_key),
            brand_slug,
            name=name,
            venue_ids=list(venues) or None,
            scopes=list(scopes) or None,
        )
        return {**ops.client_json(made.client, brand_slug), "client_secret": made.secret}

    def human(c: dict[str, Any]) -> str:
        return (
            f"client_id:     {c['client_id']}\nclient_secret: {c['client_secret']}\n"
            f"venues: {c['venues']}  scopes: {', '.join(c['scopes'])}\n"
            "Store the secret now: it cannot be shown again."
        )

    emit(run_db(work), as_json, human)


@client.command("list")
@click.option("--brand", "brand_slug", help="Only this brand's clients.")
@json_option
def client_list(brand_slug: str | None, as_json: bool) -> None:
    """List clients (never their secrets)."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        return ops.list_clients(session, brand_slug)

    emit(
        run_db(work),
        as_json,
        lambda rows: table(rows, ["client_id", "brand", "name", "enabled", "venues", "scopes"]),
    )


@client.command("grant")
@click.argument("client_id")
@click.option(
    "--venue",
    "add_venues",
    multiple=True,
    type=ID,
    help="Grant a venue (repeatable).",
)
@click.option("--remove-venue", "remove_venues", multiple=True, type=ID)
@click.option("--scope", "add_scopes", multiple=True, help="Grant a scope (repeatable).")
@click.option("--remove-scope", "remove_scopes", multiple=True)
@click.option("--default-venue", type=ID, help="The v2 token's default venue.")
@json_option
def client_grant(
    client_id: str,
    add_venues: tuple[int, ...],
    remove_venues: tuple[int, ...],
    add_scopes: tuple[str, ...],
    remove_scopes: tuple[str, ...],
    default_venue: int | None,
    as_json: bool,
) -> None:
    """Change a client's venues and scopes; takes effect on its next request."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> dict[str, Any]:
        changed = ops.grant(
            session,
            client_id,
            add_venues=add_venues,
            remove_venues=remove_venues,
            add_scopes=add_scopes,
            remove_scopes=remove_scopes,
            default_venue=default_venue,
        )
        return ops.client_json(changed, ops.brand_slug_of(session, changed.brand_id))

    emit(
        run_db(work),
        as_json,
        lambda c: f"client {c['client_id']}: venues {c['venues']}, scopes {', '.join(c['scopes'])}",
    )


_DONE = {"disable": "disabled", "enable": "enabled", "revoke": "every token revoked"}


def _client_action(name: str, help_text: str, action: str) -> None:
    @client.command(name, help=help_text)
    @click.argument("client_id")
    @json_option
    def command(client_id: str, as_json: bool) -> None:
        from clopos.core.access import service as ops

        def work(session: Session, settings: Any) -> dict[str, Any]:
            if action == "revoke":
                changed = ops.revoke_tokens(session, client_id)
            else:
                changed = ops.set_client_enabled(session, client_id, action == "enable")
            return ops.client_json(changed, ops.brand_slug_of(session, changed.brand_id))

        emit(run_db(work), as_json, lambda c: f"client {client_id}: {_DONE[action]}")


_client_action("disable", "Refuse the client's exchanges; its tokens stop working.", "disable")
_client_action("enable", "Allow the client again (old tokens stay revoked).", "enable")
_client_action("revoke", "Revoke every token issued to the client so far.", "revoke")


@client.command("rotate-secret")
@click.argument("step", type=click.Choice(["start", "complete", "cancel"]))
@click.argument("client_id")
@json_option
def client_rotate(step: str, client_id: str, as_json: bool) -> None:
    """Rotate a client's secret: start (both work), then complete or cancel."""
    from clopos.core.access import service as ops
    from clopos.core.access.credentials import SecretHasher

    def work(session: Session, settings: Any) -> dict[str, Any]:
        if step == "start":
            secret = ops.start_rotation(session, SecretHasher(settings.hashing_key), client_id)
            return {"client_id": client_id, "step": step, "new_client_secret": secret}
        ops.finish_rotation(session, client_id, complete=step == "complete")
        return {"client_id": client_id, "step": step}

    def human(r: dict[str, Any]) -> str:
        if step == "start":
            return (
                f"new client_secret: {r['new_client_secret']}\nBoth secrets work until "
                f"`clopos admin client rotate-secret complete {client_id}` (or cancel)."
            )
        if step == "complete":
            return f"client {client_id}: rotation completed; the old secret and its tokens stop"
        return f"client {client_id}: rotation cancelled; the new secret and its tokens stop"

    emit(run_db(work), as_json, human)


# --- signing keys ---------------------------------------------------------------------------


@admin.group()
def keys() -> None:
    """Token signing keys."""


@keys.command("rotate")
@json_option
def keys_rotate(as_json: bool) -> None:
    """Sign with a new key; tokens signed by the previous one stay valid until they expire."""
    from clopos.core.sealing import Seal
    from clopos.server.auth.keys import rotate_signing_key

    def work(session: Session, settings: Any) -> dict[str, Any]:
        # Older retired keys are kept as long as a token they signed could still be alive.
        seal = Seal(settings.hashing_key)
        kid, purged = rotate_signing_key(session, seal, timedelta(seconds=settings.token_ttl))
        return {"signing_kid": kid, "purged": purged}

    emit(
        run_db(work),
        as_json,
        lambda r: (
            f"now signing with key {r['signing_kid']}"
            + (f"; purged {', '.join(r['purged'])}" if r["purged"] else "")
        ),
    )


@keys.command("list")
@json_option
def keys_list(as_json: bool) -> None:
    """List signing keys (ids and dates only)."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        return [
            {
                "kid": k.kid,
                "algorithm": k.algorithm,
                "created_at": k.created_at.isoformat(),
                "retired_at": k.retired_at.isoformat() if k.retired_at else None,
                "signing": k.retired_at is None,
            }
            for k in ops.list_keys(session)
        ]

    emit(
        run_db(work),
        as_json,
        lambda rows: table(rows, ["kid", "algorithm", "created_at", "retired_at", "signing"]),
    )


# --- audit ----------------------------------------------------------------------------------


@admin.command("audit")
@click.option("--limit", default=50, show_default=True, type=int64(1, 100_000))
@click.option("--client", "client_id", help="Only this client id.")
@click.option("--outcome", type=click.Choice(["issued", "rejected", "done"]))
@click.option("--since-minutes", type=int64(1, MAX_MINUTES), help="Only the last N minutes.")
@json_option
def audit(
    limit: int, client_id: str | None, outcome: str | None, since_minutes: int | None, as_json: bool
) -> None:
    """Read the audit trail: token exchanges, rejected requests, console sign-ins and
    operators' console actions (outcome done, with before and after), oldest first."""
    from clopos.core.access import service as ops

    since = datetime.now(UTC) - timedelta(minutes=since_minutes) if since_minutes else None

    def work(session: Session, settings: Any) -> list[dict[str, Any]]:
        events = ops.audit_events(
            session, limit=limit, client_id=client_id, outcome=outcome, since=since
        )
        return [
            {
                "at": e.at.isoformat(),
                "event": e.event,
                "outcome": e.outcome,
                "status": e.status,
                "reason": e.reason,
                "client_id": e.client_id,
                "brand": e.brand,
                "venue_id": e.venue_id,
                "integrator_id": e.integrator_id,
                "ip": e.ip,
                "method": e.method,
                "path": e.path,
                "operator": e.operator,
                "target": e.target,
                "detail": e.detail,
            }
            for e in events
        ]

    emit(
        run_db(work),
        as_json,
        lambda rows: table(
            rows,
            ["at", "event", "outcome", "status", "reason", "client_id", "brand", "target", "path"],
        ),
    )


@admin.command("audit-prune")
@click.option(
    "--days", type=int64(0, MAX_DAYS), help="Keep this many days [CLOPOS_AUDIT_RETENTION_DAYS]."
)
@json_option
def audit_prune(days: int | None, as_json: bool) -> None:
    """Delete audit events older than the retention (servers also do this hourly)."""
    from clopos.core.access import service as ops

    def work(session: Session, settings: Any) -> dict[str, Any]:
        keep = settings.audit_retention_days if days is None else days
        removed = ops.prune_audit(session, datetime.now(UTC) - timedelta(days=keep))
        return {"kept_days": keep, "deleted": removed}

    emit(
        run_db(work),
        as_json,
        lambda r: f"deleted {r['deleted']} audit events older than {r['kept_days']} days",
    )


# --- operator accounts of the venue console (cli/operators.py) ------------------------------

from clopos.cli.operators import operator  # noqa: E402

admin.add_command(operator)
