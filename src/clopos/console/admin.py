"""Access (brands, venues, integrators, clients), the audit trail and the sandbox controls:
what `clopos admin` and the operator API do, by the same services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.responses import Response

from clopos.console import views, web
from clopos.console.web import Ctx, page
from clopos.core.access import service as access
from clopos.core.errors import Forbidden, Invalid, NotFound
from clopos.core.operators import service as operators
from clopos.server.fault_statuses import FAULT_STATUSES, status_refusal
from clopos.server.pipeline.faults import Fault, Latency

# --- brands -------------------------------------------------------------------------------


def _only_unrestricted(ctx: Ctx, what: str) -> None:
    """Things that are not one brand's (integrators, new brands, the whole database) are
    for accounts not limited to some brands."""
    if not ctx.operator.unrestricted:
        raise Forbidden(f"Your account is limited to some brands: {what} is not yours to change")


@page("/brands", brand=False)
async def brands_page(ctx: Ctx) -> Response:
    return ctx.page("brands.html")


@page("/brands", methods=("POST",), brand=False)
async def create_brand(ctx: Ctx) -> Response:
    _only_unrestricted(ctx, "creating a brand")
    slug = ctx.value("slug") or ""
    mode = ctx.value("mode") or "test"
    name = ctx.value("name") or None

    def work(session: Session) -> str:
        return access.create_brand(session, slug, name, mode).slug

    made = await ctx.db.write(work)
    return ctx.done(f"Brand {made} created ({mode}).", f"{web.PREFIX}/b/{made}/access")


# --- one brand's access -------------------------------------------------------------------


@page("/b/{brand}/access")
async def access_page(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    view = await ctx.db.read(views.access_view, ctx.brand.slug, ctx.operator.unrestricted)
    return ctx.page("access.html", **view)


@page("/b/{brand}/settings", methods=("POST",))
async def brand_settings(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    slug = ctx.brand.slug
    action = ctx.value("action")
    if action not in ("enable", "disable", "test", "production"):
        raise Invalid("Unknown brand action")

    def work(session: Session) -> None:
        if action in ("enable", "disable"):
            access.set_brand(session, slug, enabled=action == "enable")
        else:
            access.set_brand(session, slug, mode=action)

    await ctx.db.write(work)
    return ctx.done(f"Brand {slug}: {action}d." if "able" in action else f"Brand {slug}: {action}.")


@page("/b/{brand}/venues", methods=("POST",))
async def create_venue(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    slug = ctx.brand.slug
    name = ctx.value("name") or ""
    address = ctx.value("address") or None

    def work(session: Session) -> int:
        return access.create_venue(session, slug, name, address=address).id

    venue_id = await ctx.db.write(work)
    return ctx.done(f"Venue {venue_id} ({name}) created.")


def _venue_ids(ctx: Ctx, name: str) -> list[int]:
    ids = []
    for raw in ctx.values(name):
        try:
            ids.append(int(raw))
        except ValueError:
            raise Invalid(f"{raw!r} is not a venue id") from None
    return ids


@page("/b/{brand}/clients", methods=("POST",))
async def create_client(ctx: Ctx) -> Response:
    """A new client; its secret is shown on this answer once, and never stored in clear."""
    assert ctx.brand is not None
    slug = ctx.brand.slug
    venues = _venue_ids(ctx, "venue")
    scopes = ctx.values("scope")
    if not venues:
        raise Invalid("Grant the client at least one venue")
    if not scopes:
        raise Invalid("Grant the client at least one scope")
    hasher = ctx.server.hasher
    name = ctx.value("name") or ""

    def work(session: Session) -> dict[str, Any]:
        made = access.create_client(
            session, hasher, slug, name=name, venue_ids=venues, scopes=scopes
        )
        return {**access.client_json(made.client, slug), "client_secret": made.secret}

    client = await ctx.db.write(work)
    return ctx.page("secret.html", client=client, secret=client["client_secret"], new=True)


@page("/b/{brand}/clients/{client_id}", methods=("POST",))
async def client_action(ctx: Ctx) -> Response:
    """grant (venues and scopes as ticked), revoke, disable, enable, rotate-start,
    rotate-complete, rotate-cancel: each what `clopos admin client ...` does."""
    assert ctx.brand is not None
    client_id = ctx.request.path_params["client_id"]
    action = ctx.value("action") or ""
    brand_id = ctx.brand.id
    hasher = ctx.server.hasher
    venues = _venue_ids(ctx, "venue")
    scopes = ctx.values("scope")

    def work(session: Session) -> str | None:
        client = access.get_client(session, client_id)
        if client.brand_id != brand_id:  # another brand's client: as if it did not exist
            raise NotFound(f"no client '{client_id}'")
        if action == "grant":
            current = set(client.venue_ids)
            access.grant(
                session,
                client_id,
                add_venues=sorted(set(venues) - current),
                remove_venues=sorted(current - set(venues)),
                scopes=scopes,
            )
        elif action == "revoke":
            access.revoke_tokens(session, client_id)
        elif action in ("disable", "enable"):
            access.set_client_enabled(session, client_id, action == "enable")
        elif action == "rotate-start":
            return access.start_rotation(session, hasher, client_id)
        elif action in ("rotate-complete", "rotate-cancel"):
            access.finish_rotation(session, client_id, complete=action == "rotate-complete")
        else:
            raise Invalid("Unknown client action")
        return None

    if action == "grant" and (not venues or not scopes):
        raise Invalid("Keep at least one venue and one scope (or disable the client)")
    secret = await ctx.db.write(work)
    if secret is not None:
        client = {"client_id": client_id, "brand": ctx.brand.slug}
        return ctx.page("secret.html", client=client, secret=secret, new=False)
    messages = {
        "grant": "venues and scopes saved",
        "revoke": "every token issued so far revoked",
        "disable": "disabled",
        "enable": "enabled",
        "rotate-complete": "rotation completed: the old secret stops working",
        "rotate-cancel": "rotation cancelled: the new secret stops working",
    }
    return ctx.done(f"Client {client_id}: {messages[action]}.")


@page("/b/{brand}/integrators", methods=("POST",))
async def integrator_action(ctx: Ctx) -> Response:
    _only_unrestricted(ctx, "an integrator (shared by every brand)")
    action = ctx.value("action") or ""
    integrator_id = ctx.value("integrator_id") or None
    name = ctx.value("name") or ""

    def work(session: Session) -> str:
        if action == "create":
            if not name:
                raise Invalid("An integrator needs a name")
            made = access.create_integrator(
                session, name, integrator_id=integrator_id, is_test=ctx.value("production") != "1"
            )
            return made.id
        if integrator_id is None:
            raise Invalid("Which integrator?")
        if action in ("enable", "disable"):
            access.set_integrator(session, integrator_id, enabled=action == "enable")
        elif action in ("test", "production"):
            access.set_integrator(session, integrator_id, is_test=action == "test")
        else:
            raise Invalid("Unknown integrator action")
        return integrator_id

    done = await ctx.db.write(work)
    return ctx.done(f"Integrator {done}: {action}{'d' if action.endswith('e') else ''}.")


# --- audit --------------------------------------------------------------------------------

OUTCOMES = ("issued", "rejected")


@page("/b/{brand}/audit")
async def audit_page(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    outcome = ctx.value("outcome") or None
    if outcome not in (None, *OUTCOMES):
        raise Invalid("outcome must be issued or rejected")
    minutes = ctx.integer("since_minutes", minimum=1)
    limit = min(ctx.integer("limit", default=100, minimum=1) or 100, 1000)
    since = ctx.console.now() - timedelta(minutes=minutes) if minutes else None
    await ctx.server.audit.flush()  # the trail is written in batches: this page shows all
    events = await ctx.db.read(
        views.audit_view,
        ctx.brand.slug,
        limit=limit,
        outcome=outcome,
        reason=ctx.value("reason") or None,
        client_id=ctx.value("client") or None,
        since=since,
    )
    return ctx.page(
        "audit.html",
        events=events,
        outcomes=OUTCOMES,
        filters={
            "outcome": outcome or "",
            "reason": ctx.value("reason") or "",
            "client": ctx.value("client") or "",
            "since_minutes": minutes or "",
            "limit": limit,
        },
    )


# --- sandbox controls ---------------------------------------------------------------------


@page("/b/{brand}/sandbox")
async def sandbox_page(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    controls = ctx.server.sandbox
    values: dict[str, Any] = {"enabled": controls is not None, "statuses": FAULT_STATUSES}
    if controls is not None and ctx.brand.mode == "test":
        values["faults"] = controls.faults.listing(ctx.brand.slug)
        values["clock"] = controls.clock(ctx.brand.slug)
    return ctx.page("sandbox.html", **values)


def _controls(ctx: Ctx) -> Any:
    controls = ctx.server.sandbox
    if controls is None:
        raise Forbidden("The sandbox controls are off on this server (CLOPOS_SANDBOX_CONTROLS)")
    return controls


@page("/b/{brand}/sandbox/faults", methods=("POST",))
async def arm_fault(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    controls = _controls(ctx)
    await controls.test_brand(ctx.brand.slug)
    if ctx.value("action") == "clear":
        controls.faults.clear(ctx.brand.slug)
        return ctx.done("Every armed fault cleared.")
    count = ctx.integer("count", minimum=1)
    path = ctx.value("path") or None
    method = (ctx.value("method") or "").upper() or None
    if path is not None and len(path) > 500:
        raise Invalid("path is at most 500 characters")
    if method is not None and (len(method) > 10 or not method.isalpha()):
        raise Invalid("method is an HTTP method such as POST")
    armed: Fault | Latency
    if ctx.value("kind") == "latency":
        raw = ctx.value("latency") or ""
        try:
            seconds = float(raw)
        except ValueError:
            raise Invalid("latency is a number of seconds") from None
        if not 0 <= seconds <= 120:
            raise Invalid("latency is 0 to 120 seconds")
        armed = Latency(seconds, count, path, method)
    else:
        status = ctx.integer("status", minimum=100) or 0  # none given: refused below
        refusal = status_refusal(status)
        if refusal is not None:
            raise Invalid(refusal)
        retry_after = ctx.integer("retry_after", default=1, minimum=0) or 0
        armed = Fault(status, count, path, method, min(retry_after, 3600))
    controls.faults.arm(ctx.brand.slug, armed)
    return ctx.done("Fault armed.")


@page("/b/{brand}/sandbox/clock", methods=("POST",))
async def advance_clock(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    controls = _controls(ctx)
    seconds = ctx.integer("seconds", minimum=1)
    if seconds is None or seconds > 10 * 365 * 86400:
        raise Invalid("Move the clock by 1 second to 10 years")
    moved = await controls.advance(ctx.brand.slug, seconds)
    return ctx.done(
        f"Clock moved {seconds} s ahead (offset {moved['offset_seconds']:g} s); "
        f"{moved['orders_accepted']} due orders accepted."
    )


@page("/b/{brand}/sandbox/reset", methods=("POST",))
async def reset(ctx: Ctx) -> Response:
    """The whole database back to the server's start; operator accounts and sessions are
    kept (they are the console's own, not the sandbox's data)."""
    controls = _controls(ctx)
    _only_unrestricted(ctx, "resetting the whole database")
    if ctx.value("confirm") != "yes":
        raise Invalid("Tick the box to confirm the reset")
    accounts = await ctx.db.read(operators.export_accounts)
    await controls.reset()
    await ctx.db.write(operators.import_accounts, accounts)
    return ctx.done("The sandbox is back to the state the server started with.")


ROUTES = [
    brands_page,
    create_brand,
    access_page,
    brand_settings,
    create_venue,
    create_client,
    client_action,
    integrator_action,
    audit_page,
    sandbox_page,
    arm_fault,
    advance_clock,
    reset,
]
