"""The console's edge: sessions, CSRF, brand limits, rendering, and how a page is declared.

Every console route is declared with `page(...)`, which runs, before the route:

1. the session: the `clopos_console` cookie's token, looked up by its SHA-256 among live
   sessions of enabled operators (no session: the sign-in page, or 401 for a script);
2. on a POST, the CSRF check: the form's `csrf` field or the `x-csrf-token` header must be
   the session's token (an HMAC of the session token under the server's key), and a
   browser's `Origin` / `Sec-Fetch-Site` must name this site;
3. the brand in the path, which the operator's account must be allowed (on every request,
   so a limit set while signed in applies at once).

The console never reads `x-token` or `Authorization`: an integrator's token opens nothing
here, and the session cookie (path `/console`) opens nothing elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from clopos.console import words
from clopos.console.state import ConsoleState
from clopos.core.access import service as access
from clopos.core.errors import DomainError, Invalid
from clopos.core.operators import actions
from clopos.core.operators import service as operators
from clopos.core.operators.service import OperatorView
from clopos.core.sealing import SealError
from clopos.server.errors import ApiError, to_api_error
from clopos.server.pipeline.context import client_ip
from clopos.store.db import Database

if TYPE_CHECKING:
    from clopos.server.state import ServerState

log = logging.getLogger("clopos.console")

T = TypeVar("T")
# A console action's unit of work: its result, and the state before and after it.
Change = Callable[[Session], tuple[T, Any, Any]]

PREFIX = "/console"
SESSION_COOKIE = "clopos_console"
LOGIN_COOKIE = "clopos_console_login"
FLASH_COOKIE = "clopos_console_flash"
_MAX_FIELDS = 200

templates = Environment(
    loader=PackageLoader("clopos.console", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(money=words.money, iso_utc=words.iso_utc, clock=words.clock)


# --- plumbing -------------------------------------------------------------------------------


def console_state(request: Request) -> ConsoleState:
    state: ConsoleState = request.app.state.console
    return state


def server_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def over_tls(request: Request) -> bool:
    """Whether the browser talks to us over TLS: the request's own scheme, or a TLS-ending
    proxy's `X-Forwarded-Proto` where the operator named trusted proxies
    (`CLOPOS_FORWARDED_ALLOW_IPS`). A forged header can only make the forger's own cookie
    Secure, which hurts no one else."""
    if request.url.scheme == "https":
        return True
    if not server_state(request).settings.forwarded_allow_ips.strip():
        return False
    forwarded = request.headers.get("x-forwarded-proto", "")
    return forwarded.split(",")[-1].strip().lower() == "https"


def _mac(request: Request, purpose: str, value: str) -> str:
    key = server_state(request).settings.hashing_key
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def genuine(request: Request, form: dict[str, list[str]], expected: str) -> bool:
    """Whether a POST comes from our own page: sent from this site, with the CSRF token
    `expected` in the form's `csrf` field (or the `x-csrf-token` header of a script)."""
    sent = (form.get("csrf") or [request.headers.get("x-csrf-token", "")])[-1]
    return same_site(request) and hmac.compare_digest(sent.encode(), expected.encode())


def seal(request: Request, purpose: str, plain: str) -> str:
    """`plain` encrypted and authenticated under the server's key and bound to `purpose`
    (core/sealing.py), as cookie text, for a cookie that carries a secret across one
    redirect (post-redirect-get) and is never stored anywhere."""
    sealed = server_state(request).seal.seal(purpose, plain.encode())
    return base64.urlsafe_b64encode(sealed).decode()


def unseal(request: Request, purpose: str, sealed: str | None) -> str | None:
    """What `seal` sealed for `purpose`, or None for anything else.

    A cookie sealed by a release before core/sealing.py is refused like any other: it lived
    for one redirect (two minutes at most), so reading it would keep the old hand-built
    cipher alive for one page at an upgrade; the page then says how to get a new secret."""
    if not sealed or len(sealed) > 2048:
        return None
    try:
        raw = base64.urlsafe_b64decode(sealed.encode())
        return server_state(request).seal.open(purpose, raw).decode()
    except (ValueError, SealError):  # bad base64 or UTF-8 (both ValueError), or the seal
        return None


def csrf_token(request: Request, session_token: str) -> str:
    """The CSRF token of a session: an HMAC of its token, so it needs no storage and a
    page can carry it while the session token stays in an HttpOnly cookie."""
    return _mac(request, "console-csrf", session_token)


def login_csrf_token(request: Request, nonce: str) -> str:
    return _mac(request, "console-login", nonce)


def same_site(request: Request) -> bool:
    """A browser says where a request comes from: refuse what another site sent.

    `Sec-Fetch-Site` when the browser sends it, else `Origin`. (Under the pipeline's
    `Referrer-Policy: no-referrer` Chromium sends `Origin: null` even for its own forms, so
    an opaque origin proves nothing either way: the CSRF token decides.)"""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def safe_path(path: str | None, default: str) -> str:
    """A path inside the console to go back to; anything else is `default`."""
    if not path or not path.startswith(PREFIX + "/") or "//" in path or "\\" in path:
        return default
    if any(ord(c) < 32 for c in path):
        return default
    return path


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        secure=over_tls(request),
        httponly=True,
        samesite="strict",
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path=PREFIX, secure=over_tls(request), httponly=True, samesite="strict"
    )


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = templates.get_template(template).render(**values)
    response = HTMLResponse(html, status_code=status)
    flash = request.cookies.get(FLASH_COOKIE)
    if flash is not None and "flash" in values:
        clear_cookie(request, response, FLASH_COOKIE)
    return response


def fragment(ctx: Ctx, template: str, **values: Any) -> HTMLResponse:
    """A part of a page (what the script swaps in), rendered like the page around it."""
    html = templates.get_template(template).render(
        ctx=ctx, brand=ctx.brand, csrf=ctx.csrf, operator=ctx.operator, **values
    )
    return HTMLResponse(html)


def read_flash(request: Request) -> tuple[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    kind, _, text = unquote(raw).partition(":")
    if kind not in ("ok", "error") or not text:
        return None
    return kind, text[:500]


def redirect(request: Request, to: str, flash: tuple[str, str] | None = None) -> Response:
    response = RedirectResponse(to, status_code=303)
    if flash is not None:
        set_cookie(request, response, FLASH_COOKIE, quote(f"{flash[0]}:{flash[1][:500]}"), 60)
    return response


def is_script(request: Request) -> bool:
    """A request the console's script makes (it wants JSON or a fragment, not a page)."""
    return request.headers.get("x-console-fetch") == "1"


async def read_form(request: Request) -> dict[str, list[str]] | None:
    """An urlencoded form (what the console's forms and script send); None for any other
    content type."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return None
    body = await request.body()
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=_MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        return None
    form: dict[str, list[str]] = {}
    for name, value in pairs:
        if "\x00" in name or "\x00" in value:
            return None
        form.setdefault(name, []).append(value)
    return form


# --- the request's context ------------------------------------------------------------------


@dataclass(frozen=True)
class BrandInfo:
    id: int
    slug: str
    name: str
    mode: str
    enabled: bool


@dataclass
class Ctx:
    """A console request past its checks."""

    request: Request
    operator: OperatorView
    session_token: str
    csrf: str
    brands: list[BrandInfo]
    brand: BrandInfo | None = None
    form: dict[str, list[str]] = field(default_factory=dict)

    @property
    def db(self) -> Database:
        return database(self.request)

    @property
    def server(self) -> ServerState:
        return server_state(self.request)

    @property
    def console(self) -> ConsoleState:
        return console_state(self.request)

    @property
    def section(self) -> str:
        """Which section of a brand's pages this is (orders, receipts, menu, ...)."""
        parts = self.request.url.path.split("/")
        return parts[4] if len(parts) > 4 and parts[2] == "b" else ""

    @property
    def current(self) -> str:
        """This page's path and query, to come back to after an action."""
        query = self.request.url.query
        return self.request.url.path + (f"?{query}" if query else "")

    def value(self, name: str, default: str | None = None) -> str | None:
        values = self.form.get(name)
        if values:
            return values[-1].strip()
        found = self.request.query_params.get(name)
        return found.strip() if found is not None else default

    def values(self, name: str) -> list[str]:
        return [v.strip() for v in self.form.get(name, []) if v.strip()]

    def integer(self, name: str, default: int | None = None, minimum: int = 0) -> int | None:
        raw = self.value(name)
        if raw is None or raw == "":
            return default
        try:
            number = int(raw)
        except ValueError:
            raise Invalid(f"{name} must be a whole number") from None
        if number < minimum or number > 2**63 - 1:
            raise Invalid(f"{name} must be between {minimum} and {2**63 - 1}")
        return number

    def url(self, where: str, /, **query: Any) -> str:
        assert self.brand is not None
        path = f"{PREFIX}/b/{quote(self.brand.slug)}/{where}".rstrip("/")
        wanted = {k: v for k, v in query.items() if v is not None}
        return path + (f"?{urlencode(wanted)}" if wanted else "")

    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        server = self.server
        return render(
            self.request,
            template,
            status,
            ctx=self,
            operator=self.operator,
            brand=self.brand,
            brands=self.brands,
            csrf=self.csrf,
            flash=read_flash(self.request),
            sandbox=server.sandbox is not None,
            current=self.current,
            section=self.section,
            **values,
        )

    def done(self, message: str, to: str | None = None) -> Response:
        """An action succeeded: a script gets the message, a form goes back (or to `to`)."""
        if is_script(self.request):
            return JSONResponse({"message": message})
        back = safe_path(self.value("back"), self.default_page)
        return redirect(self.request, safe_path(to, back) if to else back, ("ok", message))

    async def act(self, action: str, target: str | Callable[[T], str], work: Change[T]) -> T:
        """Make a change and record it in the audit trail, in one unit of work: `work`
        answers its result and the state before and after (see core/operators/actions.py);
        `target` names what was acted on (from the result, for what the change made)."""
        actor = actions.Actor(self.operator.name, client_ip(self.request.scope), self.current)
        brand = self.brand.slug if self.brand is not None else None

        def unit(session: Session) -> T:
            result, before, after = work(session)
            actions.record(
                session,
                actor,
                brand=brand,
                action=action,
                target=target(result) if callable(target) else target,
                before=before,
                after=after,
            )
            return result

        return await self.db.write(unit)

    @property
    def default_page(self) -> str:
        return self.url("orders") if self.brand is not None else f"{PREFIX}/brands"


Handler = Callable[[Ctx], Awaitable[Response]]


def _brand_info(brand: Any) -> BrandInfo:
    return BrandInfo(brand.id, brand.slug, brand.name, brand.mode, brand.enabled)


def _brands(session: Any, operator: OperatorView) -> list[BrandInfo]:
    return [_brand_info(b) for b in access.list_brands(session) if operator.may_use(int(b.id))]


def refusal(request: Request, status: int, title: str, message: str) -> Response:
    if is_script(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(
        request, "error.html", status, title=title, message=message, operator=None, brand=None
    )


async def signed_in(request: Request) -> tuple[OperatorView, str] | None:
    """The operator of the request's live session, and the session's token."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 128:
        return None
    operator = await database(request).read(
        operators.session_operator, operators.token_hash(token), console_state(request).now()
    )
    return None if operator is None else (operator, token)


def page(
    path: str, *, methods: tuple[str, ...] = ("GET",), brand: bool = True
) -> Callable[[Handler], Route]:
    """Declare a console route (see the module's docstring for what runs before it)."""

    def declare(handler: Handler) -> Route:
        async def endpoint(request: Request) -> Response:
            session = await signed_in(request)
            if session is None:
                return _signed_out(request)
            operator, token = session
            form: dict[str, list[str]] = {}
            if request.method == "POST":
                parsed = await read_form(request)
                if parsed is None:
                    return refusal(request, 415, "Not a form", "Send an urlencoded form.")
                form = parsed
                if not genuine(request, form, csrf_token(request, token)):
                    log.warning("console: refused a form without a valid CSRF token")
                    return refusal(
                        request,
                        403,
                        "Refused",
                        "This form did not come from your console session (its CSRF token "
                        "is missing or wrong). Reload the page and try again.",
                    )
            db = database(request)
            brands = await db.read(_brands, operator)
            ctx = Ctx(request, operator, token, csrf_token(request, token), brands, form=form)
            if brand:
                slug = request.path_params["brand"]
                found = [b for b in brands if b.slug == slug]
                if not found:
                    exists = any(b.slug == slug for b in await db.read(access.list_brands))
                    if exists:
                        return refusal(
                            request,
                            403,
                            "Not your brand",
                            f"Your account is not allowed brand '{slug}'.",
                        )
                    return refusal(request, 404, "Not found", f"No brand '{slug}'.")
                ctx.brand = found[0]
            try:
                return await handler(ctx)
            except (DomainError, ApiError) as error:
                refused = error if isinstance(error, ApiError) else to_api_error(error)
                status, message = refused.status, refused.message
                if request.method == "POST" and not is_script(request):
                    back = safe_path(ctx.value("back"), ctx.default_page)
                    return redirect(request, back, ("error", message))
                return refusal(request, status, "Refused", message)

        endpoint.__name__ = handler.__name__
        return Route(path, endpoint, methods=list(methods), name=handler.__name__)

    return declare


def _signed_out(request: Request) -> Response:
    ended = ("error", "Your session has ended: sign in again.")
    had_session = bool(request.cookies.get(SESSION_COOKIE))
    if is_script(request) or request.headers.get("accept") == "text/event-stream":
        response: Response = JSONResponse({"error": ended[1]}, status_code=401)
        if had_session:  # the script goes to the sign-in page, which says why
            set_cookie(request, response, FLASH_COOKIE, quote(f"{ended[0]}:{ended[1]}"), 60)
    else:
        next_path = request.url.path if request.method == "GET" else ""
        target = f"{PREFIX}/login" + (f"?{urlencode({'next': next_path})}" if next_path else "")
        response = redirect(request, target, ended if had_session else None)
    if had_session:
        clear_cookie(request, response, SESSION_COOKIE)
    return response
