"""Access (brands, venues, integrators, clients), the audit trail and the sandbox controls:
what `clopos admin` and the operator API do, by the same services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.responses import Response

from clopos.console import views, web
from clopos.console.web import Ctx, page
from clopos.core.access import service as access
from clopos.core.errors import Forbidden, Invalid, NotFound
from clopos.core.operators import actions
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


def _brand_state(session: Session, slug: str) -> dict[str, Any]:
    brand = access.get_brand(session, slug)
    return {"enabled": brand.enabled, "mode": brand.mode}


@page("/b/{brand}/settings", methods=("POST",))
async def brand_settings(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    slug = ctx.brand.slug
    action = ctx.value("action")
    if action not in ("enable", "disable", "test", "production"):
        raise Invalid("Unknown brand action")

    def work(session: Session) -> tuple[None, Any, Any]:
        before = _brand_state(session, slug)
        if action in ("enable", "disable"):
            access.set_brand(session, slug, enabled=action == "enable")
        else:
            access.set_brand(session, slug, mode=action)
        return None, before, _brand_state(session, slug)

    await ctx.act(f"brand_{action}", f"brand {slug}", work)
    return ctx.done(f"Brand {slug}: {action}d." if "able" in action else f"Brand {slug}: {action}.")


@page("/b/{brand}/venues", methods=("POST",))
async def create_venue(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    slug = ctx.brand.slug
    name = ctx.value("name") or ""
    address = ctx.value("address") or None

    def work(session: Session) -> tuple[int, Any, Any]:
        made = access.create_venue(session, slug, name, address=address).id
        return made, None, {"id": made, "name": name, "address": address}

    venue_id = await ctx.act("venue_create", lambda made: f"venue {made}", work)
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

    def work(session: Session) -> tuple[tuple[str, str], Any, Any]:
        made = access.create_client(
            session, hasher, slug, name=name, venue_ids=venues, scopes=scopes
        )
        shown = access.client_json(made.client, slug)
        after = {k: shown[k] for k in ("name", "enabled", "venues", "scopes")}
        return (made.client.client_id, made.secret), None, after

    client_id, secret = await ctx.act("client_create", lambda made: f"client {made[0]}", work)
    return _show_secret(ctx, client_id, secret, new=True)


# The secret goes to the page it is shown on in a sealed cookie, for one redirect: the
# answer to the form is a redirect (a reload does not make a second client), the secret is
# never stored, and the page shows it once.
SECRET_COOKIE = "clopos_console_secret"
SECRET_SECONDS = 120


def _show_secret(ctx: Ctx, client_id: str, secret: str, *, new: bool) -> Response:
    to = ctx.url(f"clients/{quote(client_id)}/secret", new="1" if new else None)
    response = web.redirect(ctx.request, to)
    sealed = web.seal(ctx.request, f"client-secret:{client_id}", secret)
    web.set_cookie(ctx.request, response, SECRET_COOKIE, sealed, SECRET_SECONDS)
    return response


@page("/b/{brand}/clients/{client_id}/secret")
async def secret_page(ctx: Ctx) -> Response:
    """A client's secret, once: the sealed cookie is cleared as the page is answered."""
    assert ctx.brand is not None
    client_id = ctx.request.path_params["client_id"]
    sealed = ctx.request.cookies.get(SECRET_COOKIE)
    secret = web.unseal(ctx.request, f"client-secret:{client_id}", sealed)
    brand_id, slug = ctx.brand.id, ctx.brand.slug

    def read(session: Session) -> dict[str, Any]:
        client = access.get_client(session, client_id)
        if client.brand_id != brand_id:
            raise NotFound(f"no client '{client_id}'")
        return access.client_json(client, slug)

    client = await ctx.db.read(read)
    response = ctx.page("secret.html", client=client, secret=secret, new=ctx.value("new") == "1")
    if sealed is not None:
        web.clear_cookie(ctx.request, response, SECRET_COOKIE)
    return response


def _client_state(client: Any) -> dict[str, Any]:
    """What an access change may change of a client (never its secret or hash)."""
    return {
        "enabled": client.enabled,
        "venues": list(client.venue_ids),
        "scopes": list(client.scopes),
        "rotating": client.pending_secret_id is not None,
        "token_epoch": client.token_epoch,
    }


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

    def work(session: Session) -> tuple[str | None, Any, Any]:
        client = access.get_client(session, client_id)
        if client.brand_id != brand_id:  # another brand's client: as if it did not exist
            raise NotFound(f"no client '{client_id}'")
        before = _client_state(client)
        secret = change(session, client)
        return secret, before, _client_state(access.get_client(session, client_id))

    def change(session: Session, client: Any) -> str | None:
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
    secret = await ctx.act(f"client_{action}", f"client {client_id}", work)
    if secret is not None:
        return _show_secret(ctx, client_id, secret, new=False)
    messages = {
        "grant": "venues and scopes saved",
        "revoke": "every token issued so far revoked",
        "disable": "disabled",
        "enable": "enabled",
        "rotate-complete": "rotation completed: the old secret stops working",
        "rotate-cancel": "rotation cancelled: the new secret stops working",
    }
    return ctx.done(f"Client {client_id}: {messages[action]}.")


def _integrator_state(session: Session, integrator_id: str) -> dict[str, Any]:
    for found in access.list_integrators(session):
        if found.id == integrator_id:
            return {"enabled": found.enabled, "is_test": found.is_test}
    return {}


@page("/b/{brand}/integrators", methods=("POST",))
async def integrator_action(ctx: Ctx) -> Response:
    _only_unrestricted(ctx, "an integrator (shared by every brand)")
    action = ctx.value("action") or ""
    integrator_id = ctx.value("integrator_id") or None
    name = ctx.value("name") or ""

    def work(session: Session) -> tuple[str, Any, Any]:
        if action == "create":
            if not name:
                raise Invalid("An integrator needs a name")
            made = access.create_integrator(
                session, name, integrator_id=integrator_id, is_test=ctx.value("production") != "1"
            )
            return made.id, None, _integrator_state(session, made.id)
        if integrator_id is None:
            raise Invalid("Which integrator?")
        before = _integrator_state(session, integrator_id)
        if action in ("enable", "disable"):
            access.set_integrator(session, integrator_id, enabled=action == "enable")
        elif action in ("test", "production"):
            access.set_integrator(session, integrator_id, is_test=action == "test")
        else:
            raise Invalid("Unknown integrator action")
        return integrator_id, before, _integrator_state(session, integrator_id)

    target = f"integrator {integrator_id or name}"
    done = await ctx.act(f"integrator_{action}", target, work)
    return ctx.done(f"Integrator {done}: {action}{'d' if action.endswith('e') else ''}.")


# --- audit --------------------------------------------------------------------------------

OUTCOMES = ("issued", "rejected", actions.DONE)


@page("/b/{brand}/audit")
async def audit_page(ctx: Ctx) -> Response:
    """The brand's trail: the API's token exchanges and refusals naming it, operators'
    console actions on it (before and after), and the sign-ins of its operators."""
    assert ctx.brand is not None
    outcome = ctx.value("outcome") or None
    if outcome not in (None, *OUTCOMES):
        raise Invalid(f"outcome must be one of {', '.join(OUTCOMES)}")
    kind = ctx.value("kind") or None
    if kind not in (None, *actions.KINDS):
        raise Invalid(f"kind must be one of {', '.join(actions.KINDS)}")
    minutes = ctx.integer("since_minutes", minimum=1)
    limit = min(ctx.integer("limit", default=100, minimum=1) or 100, 1000)
    since = ctx.console.now() - timedelta(minutes=minutes) if minutes else None
    await ctx.server.audit.flush()  # the trail is written in batches: this page shows all
    events = await ctx.db.read(
        views.audit_view,
        ctx.brand.slug,
        ctx.brand.id,
        limit=limit,
        kind=kind,
        outcome=outcome,
        reason=ctx.value("reason") or None,
        client_id=ctx.value("client") or None,
        since=since,
    )
    return ctx.page(
        "audit.html",
        events=events,
        outcomes=OUTCOMES,
        kinds=actions.KINDS,
        filters={
            "kind": kind or "",
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


async def _record(ctx: Ctx, action: str, before: Any, after: Any) -> None:
    """A sandbox control's action in the trail (the controls keep their state in memory:
    there is no database change to record it with)."""
    await ctx.act(
        action, f"sandbox {ctx.brand.slug if ctx.brand else ''}", lambda _: (None, before, after)
    )


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
        before = controls.faults.listing(ctx.brand.slug)
        controls.faults.clear(ctx.brand.slug)
        await _record(ctx, "sandbox_faults_clear", before, [])
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
    before = controls.faults.listing(ctx.brand.slug)
    controls.faults.arm(ctx.brand.slug, armed)
    await _record(ctx, "sandbox_fault_arm", before, controls.faults.listing(ctx.brand.slug))
    return ctx.done("Fault armed.")


@page("/b/{brand}/sandbox/clock", methods=("POST",))
async def advance_clock(ctx: Ctx) -> Response:
    assert ctx.brand is not None
    controls = _controls(ctx)
    seconds = ctx.integer("seconds", minimum=1)
    if seconds is None or seconds > 10 * 365 * 86400:
        raise Invalid("Move the clock by 1 second to 10 years")
    before = controls.clock(ctx.brand.slug)
    moved = await controls.advance(ctx.brand.slug, seconds)
    await _record(ctx, "sandbox_clock", before, moved)
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
    await _record(ctx, "sandbox_reset", None, {"reset": True})
    return ctx.done("The sandbox is back to the state the server started with.")


ROUTES = [
    brands_page,
    create_brand,
    access_page,
    brand_settings,
    create_venue,
    create_client,
    secret_page,
    client_action,
    integrator_action,
    audit_page,
    sandbox_page,
    arm_fault,
    advance_clock,
    reset,
]
