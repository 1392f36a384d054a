"""The venue console: a web page that plays the restaurant's side, served under /console by
the same process (server-rendered Jinja2 templates, one small script, no build step).

See docs/console.md. `install(app)` mounts it; `web.py` holds the session, CSRF and brand
checks every route passes; `views.py` composes the domain's services for each page.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from clopos.console import admin, floor, menu, signin, web, webhooks
from clopos.console.state import ConsoleSettings, ConsoleState

__all__ = ["ConsoleSettings", "ConsoleState", "install"]


class _Static(StaticFiles):
    """The package's style sheet and script: revalidated, never sniffed."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["cache-control"] = "no-cache"
        return response


async def _front(request: Request) -> Response:
    return web.redirect(request, f"{web.PREFIX}/")


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    """A path under /console that no page has: the console's own page (or, for its script,
    JSON), not the API's answer."""
    request = Request(scope, receive)
    response = web.refusal(request, 404, "Page not found", "There is no such page in the console.")
    await response(scope, receive, send)


def install(app: Starlette, settings: ConsoleSettings | None = None) -> None:
    """Serve the console under /console on `app` (the Open API's app: same pipeline)."""
    app.state.console = ConsoleState(settings)
    routes = [
        Mount("/static", app=_Static(packages=[("clopos.console", "static")]), name="static"),
        *signin.ROUTES,
        *floor.ROUTES,
        *menu.ROUTES,
        *admin.ROUTES,
        *webhooks.ROUTES,
    ]
    app.router.routes.append(Route(web.PREFIX, _front, methods=["GET"]))
    app.router.routes.append(
        Mount(web.PREFIX, app=Router(routes, default=_not_found), name="console")
    )
