"""Signing in and out, and the console's front door."""

from __future__ import annotations

import asyncio
import logging
import secrets
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from clopos.console import web
from clopos.console.web import Ctx, page
from clopos.core.errors import NotFound
from clopos.core.operators import service as operators
from clopos.server.auth.audit import AuditRecord
from clopos.server.pipeline.context import client_ip

log = logging.getLogger("clopos.console")


def _login_page(
    request: Request, status: int = 200, error: str | None = None, name: str = ""
) -> Response:
    nonce = request.cookies.get(web.LOGIN_COOKIE) or secrets.token_urlsafe(24)
    response = web.render(
        request,
        "login.html",
        status,
        login_csrf=web.login_csrf_token(request, nonce),
        next=web.safe_path(request.query_params.get("next"), ""),
        error=error,
        name=name,
        flash=web.read_flash(request),
        operator=None,
        brand=None,
    )
    web.set_cookie(request, response, web.LOGIN_COOKIE, nonce, 3600)
    return response


async def login_form(request: Request) -> Response:
    if await web.signed_in(request) is not None:
        return web.redirect(request, f"{web.PREFIX}/")
    return _login_page(request)


def _audit(request: Request, outcome: str, status: int, reason: str | None, name: str) -> None:
    # The operator's name stands where a client id would: it is no secret.
    web.server_state(request).audit.record(
        AuditRecord(
            event="console_login",
            outcome=outcome,
            status=status,
            reason=reason,
            client_id=f"operator:{name[:55]}",
            ip=client_ip(request.scope),
            method="POST",
            path=request.url.path,
        )
    )


async def login(request: Request) -> Response:
    """Check the form's CSRF nonce, the throttle, then the password (argon2, in a thread);
    start a session: a random token in an HttpOnly, SameSite=Strict cookie, its hash in the
    database."""
    form = await web.read_form(request)
    nonce = request.cookies.get(web.LOGIN_COOKIE, "")
    if form is None:
        return web.refusal(request, 415, "Not a form", "Send the sign-in form.")
    if not nonce or not web.genuine(request, form, web.login_csrf_token(request, nonce)):
        return _login_page(request, 403, "The sign-in form expired. Please try again.")
    name = (form.get("name") or [""])[-1].strip()
    password = (form.get("password") or [""])[-1]
    ip = client_ip(request.scope)
    console = web.console_state(request)
    server = web.server_state(request)
    refused = await console.login_refused(server, name, ip)
    if refused is not None:
        _audit(request, "rejected", 429, "rate_limited", name)
        minutes = max(1, round(refused.reset_in / 60))
        response = _login_page(
            request,
            429,
            f"Too many failed sign-ins. Try again in about {minutes} minute"
            + ("s." if minutes != 1 else "."),
            name,
        )
        response.headers["retry-after"] = str(refused.reset_in)
        return response
    db = web.database(request)
    found = await db.read(operators.credentials, name) if name else None
    usable = found is not None and found.enabled
    matched = await asyncio.to_thread(
        operators.verify_password, found.password_hash if usable and found else None, password
    )
    if not matched or found is None:
        await console.login_failed(server, name, ip)
        _audit(request, "rejected", 401, "invalid_credentials", name)
        return _login_page(request, 401, "Wrong name or password.", name)
    rehashed = None
    if operators.needs_rehash(found.password_hash):
        rehashed = await asyncio.to_thread(operators.hash_password, password)
    token = secrets.token_urlsafe(32)
    now = console.now()
    try:
        await db.write(
            operators.start_session,
            found.operator_id,
            operators.token_hash(token),
            now,
            now + console.session_lifetime,
            rehashed,
        )
    except NotFound:  # disabled or deleted between the two reads
        return _login_page(request, 401, "Wrong name or password.", name)
    await console.login_succeeded(server, name, ip)
    _audit(request, "issued", 200, None, name)
    log.info("console: operator %s signed in from %s", name, ip)
    next_path = web.safe_path((form.get("next") or [""])[-1], f"{web.PREFIX}/")
    response = web.redirect(request, next_path)
    web.set_cookie(
        request,
        response,
        web.SESSION_COOKIE,
        token,
        int(console.session_lifetime.total_seconds()),
    )
    web.clear_cookie(request, response, web.LOGIN_COOKIE)
    return response


@page("/logout", methods=("POST",), brand=False)
async def logout(ctx: Ctx) -> Response:
    await ctx.db.write(operators.end_session, operators.token_hash(ctx.session_token))
    response = web.redirect(ctx.request, f"{web.PREFIX}/login", ("ok", "You are signed out."))
    web.clear_cookie(ctx.request, response, web.SESSION_COOKIE)
    return response


@page("/", brand=False)
async def home(ctx: Ctx) -> Response:
    if len(ctx.brands) == 1:
        return web.redirect(ctx.request, f"{web.PREFIX}/b/{quote(ctx.brands[0].slug)}/orders")
    return web.redirect(ctx.request, f"{web.PREFIX}/brands")


SECTIONS = ("orders", "kitchen", "receipts", "menu", "access", "audit", "sandbox")


@page("/go", brand=False)
async def go(ctx: Ctx) -> Response:
    """The brand switcher's target: the same section of another brand."""
    slug = ctx.value("brand") or ""
    section = ctx.value("page") or "orders"
    if section not in SECTIONS:
        section = "orders"
    if not any(b.slug == slug for b in ctx.brands):
        return web.redirect(ctx.request, f"{web.PREFIX}/brands")
    return web.redirect(ctx.request, f"{web.PREFIX}/b/{quote(slug)}/{section}")


ROUTES = [
    go,
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    logout,
    home,
]
